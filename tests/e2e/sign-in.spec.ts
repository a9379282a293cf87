import { expect, test, type BrowserContext, type Page, type Response } from "@playwright/test";
import {
  DEMO,
  SESSION_COOKIE,
  expectSignedIn,
  expectSignedOut,
  inBothModes,
  latestCode,
  pageOf,
  ready,
  requestCode,
  sessionCookie,
  signIn,
} from "./support";

/** Places a `redirectTo` could send a customer off the app to. */
const OFF_SITE_REDIRECTS = ["//evil.example", "https://evil.example", "/\\evil.example"];

/** If the app ever sent the browser off-site, the test sees this page instead of a network error. */
async function trapEvilSite(context: BrowserContext) {
  await context.route(/^https?:\/\/evil\.example\//, (route) =>
    route.fulfill({ contentType: "text/html", body: "<h1>Evil site</h1>" }),
  );
}

/** The POST that a sign-in form sends (a document without JavaScript, a fetch of `path.data` with it). */
function isFormPost(path: string) {
  return (response: Response) => response.request().method() === "POST" && pageOf(response.url()) === path;
}

async function fillPasswordForm(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
}

/** Another 6-digit code than `code`. */
function otherCode(code: string) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

inBothModes(({ javaScript }) => {
  test.describe("password sign-in", () => {
    test("from a protected page: redirected to sign in, then back to the dashboard", async ({ page, context }) => {
      const first = await page.goto("/dashboard");
      await ready(page, javaScript);
      const redirect = await first?.request().redirectedFrom()?.response();
      expect([302, 303]).toContain(redirect?.status());
      // Contract §2: "redirects (302/303) to /login?redirectTo=<that path>".
      expect.soft(page.url(), "the sign-in page keeps where the customer was going").toMatch(
        /\/login\?redirectTo=%2Fdashboard$/,
      );
      await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

      await fillPasswordForm(page, DEMO.ada.email, DEMO.ada.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();

      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

      const cookie = await sessionCookie(context);
      expect(cookie, "a session cookie").toBeDefined();
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.sameSite).toBe("Lax");
      expect(cookie?.path).toBe("/");
    });

    test("the redirectTo of a protected page with a query survives the sign-in", async ({ page }) => {
      await page.goto("/dashboard?view=compact");
      await ready(page, javaScript);
      await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard%3Fview%3Dcompact$/);
      await expect(page.locator('input[name="redirectTo"]')).toHaveValue("/dashboard?view=compact");

      await fillPasswordForm(page, DEMO.ada.email, DEMO.ada.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();

      await expect(page).toHaveURL(/\/dashboard\?view=compact$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
    });

    for (const target of OFF_SITE_REDIRECTS) {
      test(`a redirectTo that leaves the app (${target}) ends on the dashboard`, async ({ page, context, baseURL }) => {
        await trapEvilSite(context);
        await page.goto(`/login?redirectTo=${encodeURIComponent(target)}`);
        await ready(page, javaScript);
        await fillPasswordForm(page, DEMO.ada.email, DEMO.ada.password);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();

        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
        expect(page.url()).toBe(`${baseURL}/dashboard`);
      });
    }

    test("already signed in: /login goes straight to the dashboard", async ({ page, baseURL }) => {
      await signIn(page, "ada");
      await ready(page, javaScript);
      await page.goto("/login");
      await ready(page, javaScript);
      expect(page.url()).toBe(`${baseURL}/dashboard`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
    });

    test("a wrong password: 401, the message, and no session", async ({ page, context }) => {
      await page.goto("/login");
      await ready(page, javaScript);
      await fillPasswordForm(page, DEMO.grace.email, "not-the-password");
      const [response] = await Promise.all([
        page.waitForResponse(isFormPost("/login")),
        page.getByRole("button", { name: "Sign in", exact: true }).click(),
      ]);

      expect(response.request().resourceType()).toBe(javaScript ? "fetch" : "document");
      expect(response.status()).toBe(401);
      expect(await response.headerValue("set-cookie")).toBeNull();
      await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
      await expect(page.getByLabel("Email")).toHaveValue(DEMO.grace.email);
      expect(new URL(page.url()).pathname).toBe("/login");
      expect(await sessionCookie(context)).toBeUndefined();
      await expectSignedOut(page);
    });
  });

  test.describe("passwordless sign-in", () => {
    test("Email → Send code → Code → Sign in lands on the dashboard", async ({ page, context }) => {
      await page.goto("/login");
      await ready(page, javaScript);
      await page.getByRole("link", { name: "Sign in with a code sent to your email" }).click();
      await expect(page).toHaveURL(/\/login\/code$/);

      await requestCode(page, DEMO.ada.email);
      await expect(page.getByRole("status")).toContainText(`If ${DEMO.ada.email} has an account, we have sent it`);
      await expect(page.getByRole("button", { name: "Send a new code" })).toBeVisible();

      await page.getByLabel("Code", { exact: true }).fill(await latestCode(DEMO.ada.email));
      await page.getByRole("button", { name: "Sign in", exact: true }).click();

      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
      expect(await sessionCookie(context)).toBeDefined();
    });

    test("a wrong code: 401, the message, and still signed out", async ({ page, context }) => {
      await page.goto("/login/code");
      await ready(page, javaScript);
      await requestCode(page, DEMO.grace.email);
      await page.getByLabel("Code", { exact: true }).fill(otherCode(await latestCode(DEMO.grace.email)));
      const [response] = await Promise.all([
        page.waitForResponse(isFormPost("/login/code")),
        page.getByRole("button", { name: "Sign in", exact: true }).click(),
      ]);

      expect(response.status()).toBe(401);
      expect(await response.headerValue("set-cookie")).toBeNull();
      await expect(page.getByRole("alert")).toHaveText(
        "That code is incorrect or has expired. Check your latest email, or send a new code.",
      );
      // Still on the code step, so the customer can try again.
      await expect(page.getByLabel("Code", { exact: true })).toBeVisible();
      expect(await sessionCookie(context)).toBeUndefined();
      await expectSignedOut(page);
    });
  });

  test.describe("sign-out", () => {
    test("signs out, and replaying the old cookie is refused", async ({ page, context, browser, baseURL }) => {
      await signIn(page, "ada");
      await ready(page, javaScript);
      const old = await sessionCookie(context);
      expect(old, "a session cookie after sign-in").toBeDefined();
      const oldValue = old!.value;

      // Control: the copied cookie does carry the session into another browser.
      const before = await browser.newContext({ baseURL, javaScriptEnabled: javaScript });
      await before.addCookies([{ name: SESSION_COOKIE, value: oldValue, url: baseURL! }]);
      await expectSignedIn(await before.newPage(), "ada");
      await before.close();

      const [logout] = await Promise.all([
        page.waitForResponse(isFormPost("/logout")),
        page.getByRole("button", { name: "Sign out" }).click(),
      ]);
      expect(javaScript ? [202] : [302, 303]).toContain(logout.status());
      await expect(page).toHaveURL(`${baseURL}/`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your money, clearly.");
      await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
      expect(await sessionCookie(context), "the cookie is cleared").toBeUndefined();
      await expectSignedOut(page);

      // The attacker who copied the cookie before sign-out replays it.
      const replay = await browser.newContext({ baseURL, javaScriptEnabled: javaScript });
      await replay.addCookies([{ name: SESSION_COOKIE, value: oldValue, url: baseURL! }]);
      await expectSignedOut(await replay.newPage());
      await replay.close();
    });

    test("GET /logout changes nothing: it redirects to / and the session stays", async ({ page, baseURL }) => {
      await signIn(page, "ada");
      await ready(page, javaScript);
      await page.goto("/logout");
      expect(page.url()).toBe(`${baseURL}/`);
      await expectSignedIn(page, "ada");
    });
  });

  test.describe("cross-site requests", () => {
    test("a sign-out form on another site is refused with 403 and the customer stays signed in", async ({
      page,
      context,
      baseURL,
    }) => {
      await signIn(page, "ada");
      await context.route("http://evil.example/**", (route) =>
        route.fulfill({
          contentType: "text/html",
          body: `<!doctype html><title>Prize</title>
            <form method="post" action="${baseURL}/logout"><button type="submit">Claim your prize</button></form>`,
        }),
      );
      await page.goto("http://evil.example/prize");
      const [response] = await Promise.all([
        page.waitForResponse(isFormPost("/logout")),
        page.getByRole("button", { name: "Claim your prize" }).click(),
      ]);

      // What an attacker's page makes the browser send: another site's Origin.
      expect(await response.request().headerValue("origin")).toBe("http://evil.example");
      expect(response.status()).toBe(403);
      await expect(page.locator("body")).toContainText("Cross-site requests are refused");

      expect(await sessionCookie(context)).toBeDefined();
      await expectSignedIn(page, "ada");
    });
  });

  test.describe("tampered session cookie", () => {
    test("a cookie changed in the middle signs the customer out (redirect to sign in, no error)", async ({
      page,
      context,
    }) => {
      await signIn(page, "ada");
      await ready(page, javaScript);
      const cookie = await sessionCookie(context);
      expect(cookie).toBeDefined();
      const tampered = flipMiddleCharacter(cookie!.value);
      expect(tampered).not.toBe(cookie!.value);
      await context.addCookies([{ ...cookie!, value: tampered }]);
      expect((await sessionCookie(context))?.value).toBe(tampered);

      await expectSignedOut(page);
      await expect(page.getByText("Something went wrong")).toHaveCount(0);
      // The cookie that no longer opens is cleared rather than sent forever.
      expect((await sessionCookie(context))?.value).not.toBe(tampered);
    });
  });
});

/** Replaces one letter or digit near the middle with another (never a `%xx` escape or separator). */
function flipMiddleCharacter(value: string): string {
  for (let offset = 0; offset < value.length / 2; offset++) {
    for (const index of [Math.floor(value.length / 2) + offset, Math.floor(value.length / 2) - offset]) {
      const char = value[index];
      if (char === undefined || !/[A-Za-z0-9]/.test(char)) continue;
      if (/%[0-9A-Fa-f]?$/.test(value.slice(Math.max(0, index - 2), index))) continue;
      const replacement = char === "A" ? "B" : "A";
      return value.slice(0, index) + replacement + value.slice(index + 1);
    }
  }
  throw new Error("no character to flip in the cookie");
}

test.describe("redirectTo on the form post itself", () => {
  for (const target of OFF_SITE_REDIRECTS) {
    test(`a posted redirectTo of ${target} redirects to /dashboard`, async ({ playwright, baseURL }) => {
      const request = await playwright.request.newContext({ baseURL });
      const response = await request.post("/login", {
        form: { email: DEMO.ada.email, password: DEMO.ada.password, redirectTo: target },
        maxRedirects: 0,
      });
      expect([302, 303]).toContain(response.status());
      expect(response.headers()["location"]).toBe("/dashboard");
      await request.dispose();
    });
  }
});

test.describe("cross-site POSTs with the session cookie attached", () => {
  const attacks: Record<string, Record<string, string>> = {
    "an Origin of another site": { Origin: "https://evil.example" },
    "an opaque Origin (null)": { Origin: "null" },
    "Sec-Fetch-Site: cross-site": { "Sec-Fetch-Site": "cross-site" },
    "Sec-Fetch-Site: same-site": { "Sec-Fetch-Site": "same-site", Origin: "http://shop.localhost:3100" },
  };

  for (const [name, headers] of Object.entries(attacks)) {
    test(`POST /logout with ${name} is 403 and the session survives`, async ({ page, context, playwright, baseURL }) => {
      await signIn(page, "ada");
      const cookie = (await sessionCookie(context))!;
      const request = await playwright.request.newContext({ baseURL });
      const Cookie = `${SESSION_COOKIE}=${cookie.value}`;

      const refused = await request.post("/logout", { headers: { ...headers, Cookie }, maxRedirects: 0 });
      expect(refused.status()).toBe(403);

      const dashboard = await request.get("/dashboard", { headers: { Cookie }, maxRedirects: 0 });
      expect(dashboard.status()).toBe(200);
      expect(await dashboard.text()).toContain("Ada Lovelace");

      // Control: the same POST from the app's own origin does end the session,
      // so the 403 above was the cross-site check and nothing else.
      const own = await request.post("/logout", { headers: { Origin: baseURL!, Cookie }, maxRedirects: 0 });
      expect([302, 303]).toContain(own.status());
      const after = await request.get("/dashboard", { headers: { Cookie }, maxRedirects: 0 });
      expect([302, 303]).toContain(after.status());
      expect(after.headers()["location"]).toMatch(/^\/login/);
      await request.dispose();
    });
  }
});

test.describe("access-token refresh under load", () => {
  // Needs AUTH_ACCESS_TOKEN_TTL_S=40 (playwright.config.ts): a token is refreshed
  // when it is within 30 s of expiry, so 11 s after sign-in every request wants a refresh.
  const TTL_S = 40;
  const REFRESH_MARGIN_S = 30;
  const WAIT_MS = (TTL_S - REFRESH_MARGIN_S + 1) * 1000;

  test("20 concurrent requests in the refresh window all succeed, and the session lives on", async ({
    page,
    context,
  }) => {
    test.slow();
    await signIn(page, "ada");
    // The tokens were issued before this moment, so WAIT_MS from here is inside the window.
    const signedInAt = Date.now();
    const initial = (await sessionCookie(context))!.value;

    // Before the window nothing refreshes, so no cookie is written.
    const early = await page.request.get("/dashboard", { maxRedirects: 0 });
    expect(early.status()).toBe(200);
    expect(early.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie")).toEqual([]);

    await page.waitForTimeout(Math.max(0, signedInAt + WAIT_MS - Date.now()));
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => page.request.get("/dashboard", { maxRedirects: 0 })),
    );
    const results = await Promise.all(
      responses.map(async (response) => ({
        // The status with any redirect target, so a failure says where a request was sent.
        outcome: `${response.status()}${response.headers()["location"] ? ` → ${response.headers()["location"]}` : ""}`,
        greets: (await response.text()).includes("Ada Lovelace"),
        setsSession: response
          .headersArray()
          .some((h) => h.name.toLowerCase() === "set-cookie" && h.value.startsWith(`${SESSION_COOKIE}=`) && !/Max-Age=0/i.test(h.value)),
      })),
    );
    expect(results.map((r) => r.outcome)).toEqual(Array(20).fill("200"));
    expect(results.filter((r) => !r.greets), "responses without the customer's name").toEqual([]);
    // The tokens were refreshed (a new session cookie), so the burst really hit the refresh window.
    expect(results.some((r) => r.setsSession)).toBe(true);
    expect((await sessionCookie(context))!.value).not.toBe(initial);

    // Still signed in with whatever cookie the browser kept (a normal navigation)…
    await expectSignedIn(page, "ada");
    // …and the refreshed session refreshes again once its new token nears expiry.
    await page.waitForTimeout(WAIT_MS);
    await expectSignedIn(page, "ada");
  });
});

test.describe("passwordless sign-in over plain HTTP (the form posts, without the page)", () => {
  // Isolates the server side of the code flow from how /login/code renders.
  test("send → wrong code is 401 → right code redirects to the dashboard with a session", async ({
    playwright,
    baseURL,
  }) => {
    const request = await playwright.request.newContext({ baseURL });
    const email = DEMO.grace.email;
    const sent = await request.post("/login/code", { form: { intent: "send", email }, maxRedirects: 0 });
    expect(sent.status()).toBe(200);
    const code = await latestCode(email);

    const wrong = await request.post("/login/code", {
      form: { intent: "verify", email, code: otherCode(code) },
      maxRedirects: 0,
    });
    expect(wrong.status()).toBe(401);
    expect(wrong.headers()["set-cookie"]).toBeUndefined();

    const right = await request.post("/login/code", { form: { intent: "verify", email, code }, maxRedirects: 0 });
    expect([302, 303]).toContain(right.status());
    expect(right.headers()["location"]).toBe("/dashboard");
    expect(right.headers()["set-cookie"]).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+;.*HttpOnly`, "i"));

    const dashboard = await request.get("/dashboard", { maxRedirects: 0 });
    expect(dashboard.status()).toBe(200);
    expect(await dashboard.text()).toContain("Grace Hopper");
    await request.dispose();
  });
});

test.describe("sign-in pages without a session", () => {
  test("/login?reason=expired tells the customer why", async ({ page }) => {
    await page.goto("/login?reason=expired");
    await expect(page.getByRole("status")).toHaveText("Your session has ended. Please sign in again.");
  });

  test("invalid input is a 400 with field messages, and no session", async ({ page }) => {
    const response = await page.request.post("/login", { form: { email: "not-an-email", password: "" } });
    expect(response.status()).toBe(400);
    expect(response.headers()["set-cookie"]).toBeUndefined();
    const html = await response.text();
    expect(html).toContain("Enter an email address like name@example.com.");
    expect(html).toContain("Enter your password.");
  });
});
