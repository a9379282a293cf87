import { DEMO_LOGINS, signIn } from "../bench/sign-in";
import { readSingleFetch, redirectOf } from "../tests/support/single-fetch";
import { launchServer, type RunningServer } from "./test-server";

/**
 * Single fetch (docs/decisions/012) through the real server: the `.data` requests
 * the browser's scripts send must keep what `?_data` requests had — the session
 * cookie, "private, no-store", the cross-site refusal — and nothing Remix reports
 * about a client's request may reach the error log.
 */
let server: RunningServer;
beforeAll(async () => {
  server = await launchServer({ LOG_LEVEL: "info" });
}, 30_000);
afterAll(() => {
  server.child.kill("SIGTERM");
});

const ADA = DEMO_LOGINS[0];

function get(path: string, cookie?: string) {
  return fetch(server.base + path, { redirect: "manual", headers: cookie ? { cookie } : {} });
}

/** Error-level (pino 50+) lines the server logged. */
function errorLines(): string[] {
  return server
    .output()
    .split("\n")
    .filter((line) => /"level":(5\d|60)/.test(line));
}

describe("single fetch data requests", () => {
  it("a page's loaders in one request: turbo-stream, personal, never cached", async () => {
    const cookie = await signIn(server.base, ADA);
    const response = await get("/dashboard.data", cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/x-script");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("vary")).toContain("Cookie");
    const value = await readSingleFetch(response);
    expect(value).toMatchObject({
      root: { data: { signedIn: true, customerName: "Ada Lovelace" } },
      "routes/dashboard": { data: { customer: { status: "ok", data: { fullName: "Ada Lovelace" } } } },
    });
  });

  it("signed out: a 202 redirect to sign-in that comes back to the page, not to its .data URL", async () => {
    const response = await get("/transactions.data?cursor=abc&_routes=routes%2Ftransactions");
    expect(response.status).toBe(202);
    expect(redirectOf(await readSingleFetch(response))).toMatchObject({
      redirect: "/login?redirectTo=%2Ftransactions%3Fcursor%3Dabc",
      status: 302,
    });
  });

  it("a sign-in through the form's data request: the session cookie reaches the browser with the 202 redirect", async () => {
    const response = await fetch(`${server.base}/login.data`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.base },
      body: new URLSearchParams({ email: ADA.email, password: ADA.password, redirectTo: "/dashboard" }).toString(),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(redirectOf(await readSingleFetch(response))).toMatchObject({ redirect: "/dashboard", status: 302 });
    const cookie = response.headers
      .getSetCookie()
      .map((header) => header.split(";")[0] ?? "")
      .find((pair) => pair.startsWith("session="));
    expect(cookie).toBeTruthy();
    const dashboard = await get("/dashboard.data", cookie);
    expect(dashboard.status).toBe(200);
  });

  it("a wrong password: 401 with the form's message, no cookie", async () => {
    const response = await fetch(`${server.base}/login.data`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.base },
      body: new URLSearchParams({ email: ADA.email, password: "wrong-password-1", redirectTo: "/dashboard" }).toString(),
    });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie().filter((header) => header.startsWith("session="))).toEqual([]);
    expect(await readSingleFetch(response)).toMatchObject({ data: { status: "refused", message: "The email or password is incorrect." } });
  });

  it("a cross-site POST to a .data URL is refused before Remix, as problem+json", async () => {
    const cookie = await signIn(server.base, ADA);
    const response = await fetch(`${server.base}/payments/new.data`, {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "creditorName=Eve&creditorIban=GB82WEST12345698765432&amount=100.00",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
  });

  it("an old `?_data` request is still answered, and not logged as our error", async () => {
    const before = errorLines().length;
    const cookie = await signIn(server.base, ADA);
    const response = await get("/dashboard?_data=routes%2Fdashboard", cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(errorLines().slice(before)).toEqual([]);
  });
});
