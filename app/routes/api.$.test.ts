import { http, HttpResponse } from "msw";
import { buildRequest, call, cookieFrom } from "../../tests/support/remix";
import { readSession, rewriteSession, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { leaksIn } from "../../tests/support/trimming";
import { action, loader } from "./api.$";

const CSRF = { "x-csrf": "1" };

const get = (path: string, cookie: string, headers: Record<string, string> = CSRF) =>
  call(loader, buildRequest(path, { cookie, headers }));

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  return (await response.json()) as { type: string; title: string; status: number; detail: string };
}

describe("/api/transactions", () => {
  it("returns a trimmed page for the signed-in customer", async () => {
    const response = await get("/api/transactions?limit=5", await signInAs("ada"));
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: unknown[]; nextCursor: string };
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(leaksIn(page)).toEqual([]);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  it.each([
    ["with X-CSRF", CSRF],
    ["without X-CSRF", {}],
    ["with a wrong X-CSRF", { "x-csrf": "0" }],
  ])("answers 401 JSON without a session, %s: never a redirect", async (_case, headers) => {
    for (const path of ["/api/transactions", "/api/nope"]) {
      const response = await get(path, "", headers);
      expect(response.status, path).toBe(401);
      expect(await problemOf(response)).toMatchObject({ status: 401, title: "Unauthorized" });
    }
    const post = await call(action, buildRequest("/api/transactions", { method: "POST", headers }));
    expect(post.status).toBe(401);
  });

  it("answers 401 for a cookie that no longer opens, and clears it", async () => {
    const response = await get("/api/transactions", "session=forged.value", {});
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toMatch(/^session=; Max-Age=0/);
  });

  it("answers 403 with a session but without the X-CSRF header", async () => {
    const response = await get("/api/transactions", await signInAs("ada"), {});
    expect(response.status).toBe(403);
    expect((await problemOf(response)).detail).toContain("X-CSRF");
  });

  it("forwards none of the browser's headers: the stand-in sees only our bearer token", async () => {
    const cookie = await signInAs("ada");
    const session = await readSession(cookie);
    await get("/api/transactions", cookie, {
      ...CSRF,
      authorization: "Bearer stolen-or-forged",
      "x-forwarded-for": "10.0.0.1",
      connection: "keep-alive, x-secret",
      "x-secret": "hop",
      "proxy-authorization": "Basic abc",
    });
    const seen = standins.requests.filter((request) => request.service === "transactions").at(-1);
    expect(seen?.headers.authorization).toBe(`Bearer ${session?.tokens.accessToken}`);
    expect(seen?.headers.cookie).toBeUndefined();
    expect(seen?.headers["x-secret"]).toBeUndefined();
    expect(seen?.headers["proxy-authorization"]).toBeUndefined();
    expect(seen?.headers["x-forwarded-for"]).toBeUndefined();
  });

  it.each([
    [400, "*/transactions", 400],
    [422, "*/transactions", 400],
    [500, "*/transactions", 502],
    [503, "*/transactions", 502],
  ])("turns an upstream %i into problem JSON %i without internals", async (upstream, path, status) => {
    const cookie = await signInAs("ada");
    standins.use(http.get(path, () => HttpResponse.json({ error: "db_down", detail: "pg at 10.1.2.3:5432" }, { status: upstream })));
    const response = await get("/api/transactions", cookie);
    expect(response.status).toBe(status);
    const body = JSON.stringify(await problemOf(response));
    expect(body).not.toMatch(/db_down|10\.1\.2\.3|127\.0\.0\.1|stack|Error:/);
  });

  it("answers 504 when Transactions is too slow", async () => {
    const cookie = await signInAs("ada");
    standins.configure({ latencyMs: { transactions: 6_000 } });
    expect((await get("/api/transactions", cookie)).status).toBe(504);
  });

  it("validates its query", async () => {
    const cookie = await signInAs("ada");
    expect((await get("/api/transactions?limit=0", cookie)).status).toBe(400);
    expect((await get("/api/transactions?limit=101", cookie)).status).toBe(400);
    expect((await get("/api/transactions?cursor=%3Cscript%3E", cookie)).status).toBe(400);
  });

  it("refreshes an expiring token exactly as loaders do, and writes the new cookie", async () => {
    const stale = await rewriteSession(await signInAs("ada"), (session) => {
      session.tokens.accessTokenExpiresAt = Date.now() + 5_000;
    });
    const response = await get("/api/transactions", stale);
    expect(response.status).toBe(200);
    const refreshed = await readSession(cookieFrom(response));
    expect(refreshed?.tokens.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 60_000);
  });

  it("answers 401 (not a redirect) when the session ends during the call", async () => {
    const dead = await rewriteSession(await signInAs("ada"), (session) => {
      session.tokens.accessTokenExpiresAt = Date.now() - 1_000;
      session.tokens.refreshToken = "revoked";
    });
    const response = await get("/api/transactions", dead);
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toMatch(/^session=; Max-Age=0/);
  });
});

describe("the /api allowlist", () => {
  it.each(["/api/users/me", "/api/v1/users/me", "/api/transactions/extra", "/api/"])("answers 404 JSON for %s", async (path) => {
    const response = await get(path, await signInAs("ada"));
    expect(response.status).toBe(404);
    expect((await problemOf(response)).title).toBe("Not Found");
  });

  it.each([
    "/api/transactions%2F..%2Fusers",
    "/api/%2Ftransactions",
    "/api/transactions%5C..",
    "/api/%252e%252e/transactions",
  ])("refuses the path trick %s with 400", async (path) => {
    const cookie = await signInAs("ada");
    const before = standins.requests.length;
    const response = await get(path, cookie);
    expect(response.status).toBe(400);
    expect(standins.requests.length).toBe(before);
  });

  it("refuses other methods with 405 and Allow", async () => {
    const response = await call(action, buildRequest("/api/transactions", { method: "POST", cookie: await signInAs("ada"), headers: CSRF }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });
});
