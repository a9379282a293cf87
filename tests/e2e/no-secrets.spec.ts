import { expect, test, type Response } from "@playwright/test";
import { DEMO, latestCode, ready, requestCode } from "./support";

/**
 * Nothing that belongs behind the BFF may reach the browser (design.md, "Security
 * model"): no token, refresh token, client secret, API key or upstream address, in
 * any document, script, JSON data response, header or readable cookie.
 */
const FORBIDDEN: { name: string; pattern: RegExp }[] = [
  { name: "a JWT", pattern: /eyJ[\w-]{10,}\.eyJ/ },
  { name: "the Auth client secret", pattern: /dev-client-secret/ },
  { name: "the Ads API key", pattern: /dev-ads-key/ },
  { name: "an upstream address", pattern: /127\.0\.0\.1:4[12]\d\d/ },
  { name: "an upstream port", pattern: /:4[12]0[1-5](?!\d)/ },
  { name: "an Auth path", pattern: /\/oauth\// },
  { name: "a Users path", pattern: /\/v1\/users/ },
  { name: "a Payments path", pattern: /\/v2\// },
  { name: "a token field", pattern: /refresh_token|access_token/ },
];

interface Recorded {
  url: string;
  status: number;
  type: string;
  headers: { name: string; value: string }[];
  body: string | undefined;
}

interface Leak {
  what: string;
  where: string;
  excerpt: string;
}

/** What a value could be hiding: itself, URL-decoded, and base64 segments decoded (cookies sign base64 JSON). */
function views(value: string, depth = 0): string[] {
  const out = [value];
  if (depth >= 3) return out;
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // not URL-encoded
  }
  if (decoded !== value) out.push(...views(decoded, depth + 1));
  for (const segment of decoded.split(/[.;=\s"]+/)) {
    if (segment.length < 16 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(segment)) continue;
    const text = Buffer.from(segment, "base64").toString("latin1");
    // Only printable results are worth another look (an encrypted payload is not).
    if (/^[\x20-\x7e\s]+$/.test(text)) out.push(...views(text, depth + 1));
  }
  return out;
}

function findLeaks(where: string, value: string, decode = false): Leak[] {
  const leaks: Leak[] = [];
  for (const text of decode ? views(value) : [value]) {
    for (const { name, pattern } of FORBIDDEN) {
      const match = pattern.exec(text);
      if (match) {
        const start = Math.max(0, match.index - 60);
        leaks.push({ what: name, where, excerpt: text.slice(start, match.index + match[0].length + 60) });
      }
    }
  }
  return leaks;
}

function leaksIn(record: Recorded): Leak[] {
  const where = `${record.status} ${record.type} ${record.url}`;
  const leaks = findLeaks(`${where} (URL)`, record.url);
  for (const header of record.headers) {
    const cookie = header.name.toLowerCase() === "set-cookie";
    leaks.push(...findLeaks(`${where} (header ${header.name})`, `${header.name}: ${header.value}`, cookie));
  }
  if (record.body !== undefined) leaks.push(...findLeaks(`${where} (body)`, record.body));
  return leaks;
}

test("the leak detector finds what it looks for (control)", () => {
  const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl";
  expect(findLeaks("body", `<script>window.x = "${jwt}"</script>`).map((l) => l.what)).toEqual(["a JWT"]);
  expect(findLeaks("body", '{"refresh_token":"r1"}').map((l) => l.what)).toEqual(["a token field"]);
  expect(findLeaks("body", "http://127.0.0.1:4202/v1/users/me").map((l) => l.what)).toEqual([
    "an upstream address",
    "an upstream port",
    "a Users path",
  ]);
  // A token that is signed but not encrypted, inside a Remix-style cookie: base64 JSON, URL-encoded.
  const signedOnly = `session=${encodeURIComponent(Buffer.from(JSON.stringify({ accessToken: jwt })).toString("base64"))}.c2ln; Path=/; HttpOnly`;
  expect(findLeaks("set-cookie", signedOnly)).toEqual([]);
  expect(findLeaks("set-cookie", signedOnly, true).map((l) => l.what)).toContain("a JWT");
  expect(findLeaks("body", "Welcome, Ada Lovelace · Sign out")).toEqual([]);
});

test("a whole customer journey never gives the browser a token, secret or upstream address", async ({ page }) => {
  test.slow();
  const pending: Promise<Recorded>[] = [];
  page.on("response", (response) => pending.push(record(response)));
  const cookieJars: { step: string; cookie: string }[] = [];
  const readableCookies = async (step: string) => {
    cookieJars.push({ step, cookie: await page.evaluate(() => document.cookie) });
  };

  try {
    await test.step("landing page", async () => {
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your money, clearly.");
      await ready(page, true);
      await readableCookies("landing");
    });

    await test.step("sign in with the password", async () => {
      await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/\/login$/);
      await page.getByLabel("Email").fill(DEMO.ada.email);
      await page.getByLabel("Password").fill(DEMO.ada.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
      await readableCookies("dashboard after password sign-in");
    });

    await test.step("client-side navigation", async () => {
      await page.goto("/");
      await ready(page, true);
      await readableCookies("landing, signed in");
      const data = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith(".data"));
      await page.getByRole("banner").getByRole("link", { name: "Northwind Bank", exact: true }).hover();
      await page.getByRole("banner").getByRole("link", { name: "Northwind Bank", exact: true }).click();
      await data;
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
      await page.getByRole("link", { name: "Overview" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
      await readableCookies("dashboard after client-side navigation");
    });

    await test.step("sign out", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your money, clearly.");
      await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
      await readableCookies("signed out");
    });

    await test.step("sign in with a code", async () => {
      await page.goto("/login");
      await page.getByRole("link", { name: "Sign in with a code sent to your email" }).click();
      await requestCode(page, DEMO.ada.email);
      await page.getByLabel("Code", { exact: true }).fill(await latestCode(DEMO.ada.email));
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
      await readableCookies("dashboard after code sign-in");
    });
  } finally {
    // Whatever was recorded is checked, also when a step above failed (soft assertions,
    // so the step's own error stays the test's first failure).
    await page.waitForLoadState("load").catch(() => undefined);
    const records = await Promise.all(pending);
    const leaks = records.flatMap(leaksIn);
    expect.soft(leaks, "secrets or upstream details that reached the browser").toEqual([]);

    for (const { step, cookie } of cookieJars) {
      expect.soft(cookie, `document.cookie (${step}): the session cookie is HttpOnly`).toBe("");
    }

    // The recording saw what it had to see, so an empty leak list means something.
    // (A resource served again from the browser's cache may have no readable body; one read suffices.)
    const read = new Set(records.filter((r) => r.body !== undefined).map((r) => r.url));
    // A body the browser discarded (a navigation overtook it) is fetched again with
    // the same cookies and scanned like the rest; only what cannot be had at all counts.
    const unread: string[] = [];
    for (const record of records.filter((r) => !read.has(r.url))) {
      read.add(record.url);
      const again = await page.context().request.get(record.url, { maxRedirects: 0 }).catch(() => undefined);
      if (!again) {
        unread.push(`${record.status} ${record.url}`);
        continue;
      }
      expect.soft(leaksIn({ ...record, body: await again.text() }), `secrets in ${record.url} (fetched again)`).toEqual([]);
    }
    expect.soft(unread, "responses whose body could not be read").toEqual([]);
    expect.soft(records.filter((r) => r.type === "document" && r.body).length).toBeGreaterThan(0);
    expect.soft(records.filter((r) => r.type === "script" && r.body).length).toBeGreaterThan(0);
    expect
      .soft(records.filter((r) => r.type === "fetch" && new URL(r.url).pathname.endsWith(".data") && r.body).length)
      .toBeGreaterThan(0);
    const sessionCookies = records.flatMap((r) =>
      r.headers.filter((h) => h.name.toLowerCase() === "set-cookie" && /^session=[^;]+/.test(h.value)),
    );
    expect.soft(sessionCookies.length, "the session cookies the browser was given").toBeGreaterThan(0);
  }
});

/** Reads headers and body at once: a body not asked for right away may be gone after the next navigation. */
async function record(response: Response): Promise<Recorded> {
  const status = response.status();
  const [headers, body] = await Promise.all([
    response.headersArray().catch(() => []),
    hasBody(status) ? response.text().catch(() => undefined) : Promise.resolve(""),
  ]);
  return { url: response.url(), status, type: response.request().resourceType(), headers, body };
}

/** Redirects and 304s have none (single fetch's 202 redirect carries its target in a body). */
function hasBody(status: number) {
  return status !== 204 && status !== 304 && (status < 300 || status >= 400);
}

