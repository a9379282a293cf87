import { http, HttpResponse } from "msw";
import { SoftAuthenticator } from "../../upstream/soft-authenticator";
import { buildRequest, call, cookieFrom, testContext } from "../../tests/support/remix";
import { readSession, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { action } from "../routes/api.$";
import { loader as dashboardLoader } from "../routes/dashboard";
import { getSessionRuntime } from "../session/runtime.server";

const CSRF = { "x-csrf": "1" };

function post(path: string, json: unknown, init: { cookie?: string; headers?: Record<string, string>; context?: ReturnType<typeof testContext> } = {}) {
  return call(action, buildRequest(path, { json, cookie: init.cookie, headers: init.headers ?? CSRF }), { context: init.context });
}

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  return (await response.json()) as { title: string; status: number; detail: string };
}

/** Registers a passkey for the signed-in customer through the app's relay, as the browser would. */
async function registerThroughApp(cookie: string, authenticator: SoftAuthenticator) {
  const optionsResponse = await post("/api/passkeys/registration/options", {}, { cookie });
  expect(optionsResponse.status).toBe(200);
  const { options } = (await optionsResponse.json()) as { options: Parameters<SoftAuthenticator["register"]>[0] };
  return post("/api/passkeys/registration/verify", { response: authenticator.register(options) }, { cookie });
}

async function signInOptions(context = testContext()) {
  const response = await post("/api/passkeys/authentication/options", {}, { context });
  expect(response.status).toBe(200);
  return (await response.json()) as { options: { challenge: string; rpId: string }; ceremonyId: string };
}

describe("passkey registration through /api/passkeys/registration/*", () => {
  it("relays options and the authenticator's response to Auth: 201 with the passkey's id and dates only", async () => {
    const cookie = await signInAs("grace");
    const authenticator = new SoftAuthenticator();
    const response = await registerThroughApp(cookie, authenticator);
    expect(response.status).toBe(201);
    const { passkey } = (await response.json()) as { passkey: Record<string, unknown> };
    expect(Object.keys(passkey).sort()).toEqual(["createdAt", "createdAtText", "id", "lastUsedAt", "lastUsedAtText"]);
    expect(passkey.id).toBe(authenticator.passkeys[0]?.credentialId);
    // Auth saw the customer's bearer token; the browser saw none.
    const verify = standins.requests.find((request) => request.path === "/v1/passkeys/registration/verify");
    expect(verify?.headers.authorization).toBe(`Bearer ${(await readSession(cookie))?.tokens.accessToken}`);
  });

  it("passes the options through untouched (challenge, RP, user verification required)", async () => {
    const response = await post("/api/passkeys/registration/options", {}, { cookie: await signInAs("grace") });
    const { options } = (await response.json()) as { options: Record<string, unknown> };
    expect(options).toMatchObject({
      rp: { id: "localhost" },
      user: { name: "grace@example.com" },
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    expect(options.challenge).toEqual(expect.any(String));
    expect(response.headers.get("cache-control")).toContain("no-store");
  });

  it("answers 401 without a session, before calling Auth", async () => {
    for (const path of ["/api/passkeys/registration/options", "/api/passkeys/registration/verify"]) {
      const response = await post(path, {});
      expect(response.status).toBe(401);
      expect((await problemOf(response)).title).toBe("Unauthorized");
    }
    expect(standins.requests.filter((request) => request.path.startsWith("/v1/passkeys"))).toEqual([]);
  });

  it("answers 403 without X-CSRF, and 403 from another site", async () => {
    const cookie = await signInAs("grace");
    expect((await post("/api/passkeys/registration/options", {}, { cookie, headers: {} })).status).toBe(403);
    const crossSite = await post("/api/passkeys/registration/options", {}, { cookie, headers: { ...CSRF, origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect((await problemOf(crossSite)).detail).toMatch(/cross-site/i);
  });

  it("answers a response Auth refuses (another origin) with a 400 message and no passkey", async () => {
    const cookie = await signInAs("grace");
    const authenticator = new SoftAuthenticator("https://evil.example");
    const response = await registerThroughApp(cookie, authenticator);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).detail).toBe("That passkey couldn't be added. Please try again.");
  });

  it("answers a body that is not a WebAuthn response with 400, without calling Auth", async () => {
    const cookie = await signInAs("grace");
    for (const json of [{}, { response: { id: "x", type: "password" } }, "just text"]) {
      expect((await post("/api/passkeys/registration/verify", json, { cookie })).status).toBe(400);
    }
    expect(standins.requests.some((request) => request.path === "/v1/passkeys/registration/verify")).toBe(false);
  });

  it("answers a body over 64 KB with 413", async () => {
    const cookie = await signInAs("grace");
    const huge = { response: { id: "x", type: "public-key", response: { clientDataJSON: "a".repeat(70_000) } } };
    expect((await post("/api/passkeys/registration/verify", huge, { cookie })).status).toBe(413);
  });

  it("answers 502 JSON when Auth is down", async () => {
    const cookie = await signInAs("grace");
    standins.use(http.post("*/v1/passkeys/registration/options", () => HttpResponse.json({ error: "down" }, { status: 503 })));
    const response = await post("/api/passkeys/registration/options", {}, { cookie });
    expect(response.status).toBe(502);
    expect((await problemOf(response)).detail).not.toMatch(/127\.0\.0\.1|down|Error/);
  });
});

describe("passkey sign-in through /api/passkeys/authentication/*", () => {
  async function registered(authenticator = new SoftAuthenticator()) {
    const cookie = await signInAs("grace");
    expect((await registerThroughApp(cookie, authenticator)).status).toBe(201);
    return { authenticator, userId: (await readSession(cookie))?.userId };
  }

  it("signs in with no session: JSON {redirectTo} and a new session cookie, never a token", async () => {
    const { authenticator, userId } = await registered();
    const { options, ceremonyId } = await signInOptions();
    expect(options.rpId).toBe("localhost");
    const response = await post("/api/passkeys/authentication/verify", { ceremonyId, response: authenticator.assert(options) });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ redirectTo: "/dashboard" });
    expect(text).not.toMatch(/eyJ|rt_|token/i);
    const cookie = cookieFrom(response);
    expect(response.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    const session = await readSession(cookie);
    expect(session?.userId).toBe(userId);
    const dashboard = await call(dashboardLoader, buildRequest("/dashboard", { cookie }));
    expect(dashboard.status).toBe(200);
  });

  it("rotates: a browser that had a session gets a new one, and the old one is ended", async () => {
    const { authenticator } = await registered();
    const before = await signInAs("ada");
    const { options, ceremonyId } = await signInOptions();
    const response = await post("/api/passkeys/authentication/verify", { ceremonyId, response: authenticator.assert(options) }, { cookie: before });
    expect(response.status).toBe(200);
    const oldSession = await readSession(before);
    const newSession = await readSession(cookieFrom(response));
    expect(newSession?.id).not.toBe(oldSession?.id);
    if (!oldSession) throw new Error("the browser had no session before");
    expect(await getSessionRuntime().revocations.isRevoked(oldSession)).toBe(true);
  });

  it.each([
    ["/payments/new", "/payments/new"],
    ["https://evil.example/", "/dashboard"],
    ["//evil.example", "/dashboard"],
  ])("keeps redirectTo %j only inside the app (%j)", async (redirectTo, expected) => {
    const { authenticator } = await registered();
    const { options, ceremonyId } = await signInOptions();
    const response = await post("/api/passkeys/authentication/verify", { ceremonyId, response: authenticator.assert(options), redirectTo });
    expect(await response.json()).toEqual({ redirectTo: expected });
  });

  it("answers a refused assertion with 401 JSON, no cookie, and counts it toward the sign-in limit", async () => {
    const { authenticator } = await registered();
    const context = testContext({ clientIp: "198.51.100.23" });
    const { options, ceremonyId } = await signInOptions(context);
    const response = await post(
      "/api/passkeys/authentication/verify",
      { ceremonyId, response: authenticator.assert(options, { userVerified: false }) },
      { context },
    );
    expect(response.status).toBe(401);
    expect((await problemOf(response)).detail).toMatch(/passkey wasn't accepted/);
    expect(response.headers.get("set-cookie")).toBeNull();
    const state = await getSessionRuntime().rateLimiter.check("sign-in:ip:198.51.100.23", 1, 900_000);
    expect(state.allowed).toBe(false);
  });

  it("is rate limited like sign-in: past the per-IP failures, 429 with Retry-After and Auth is not asked", async () => {
    const context = testContext({ clientIp: "198.51.100.24" });
    for (let attempt = 0; attempt < 100; attempt++) {
      await getSessionRuntime().rateLimiter.hit("sign-in:ip:198.51.100.24", 100, 900_000);
    }
    for (const path of ["/api/passkeys/authentication/options", "/api/passkeys/authentication/verify"]) {
      const response = await post(path, {}, { context });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(standins.requests.some((request) => request.path.startsWith("/passkeys/"))).toBe(false);
  });

  it("answers 403 without X-CSRF and from another site, though no session is needed", async () => {
    const path = "/api/passkeys/authentication/options";
    expect((await post(path, {}, { headers: {} })).status).toBe(403);
    expect((await post(path, {}, { headers: { ...CSRF, "sec-fetch-site": "cross-site" } })).status).toBe(403);
    expect((await post("/api/passkeys/authentication/verify", {}, { headers: { ...CSRF, origin: "https://evil.example" } })).status).toBe(403);
  });

  it.each([
    ["options", "/api/passkeys/authentication/options", "*/passkeys/authentication/options"],
    ["verify", "/api/passkeys/authentication/verify", "*/passkeys/authentication/verify"],
  ])("answers %s with a clear 502 problem when Auth is down, and no cookie", async (_name, path, upstream) => {
    standins.use(http.post(upstream, () => HttpResponse.json({ error: "down" }, { status: 503 })));
    const body = { ceremonyId: "wac_x", response: { id: "x", type: "public-key", response: { clientDataJSON: "e30" } } };
    const response = await post(path, body);
    expect(response.status).toBe(502);
    expect((await problemOf(response)).detail).toMatch(/unavailable right now/);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("refuses GET: 405 with Allow: POST", async () => {
    const { loader } = await import("../routes/api.$");
    const response = await call(loader, buildRequest("/api/passkeys/authentication/options", { headers: CSRF }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});
