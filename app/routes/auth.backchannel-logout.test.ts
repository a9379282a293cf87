import { SignJWT, base64url, decodeJwt, generateKeyPair, type JWK } from "jose";
import { forgeLogoutToken, logoutClaims, postLogoutToken } from "../../tests/support/backchannel";
import { buildRequest, call } from "../../tests/support/remix";
import { readSession, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { resetEnvCache } from "../env.server";
import { resetLogoutTokenVerifier } from "../backchannel/logout.server";
import { MAX_TOKEN_AGE_S } from "../backchannel/verify.server";
import { loader as dashboard } from "./dashboard";
import { action, loader } from "./auth.backchannel-logout";

beforeEach(() => resetLogoutTokenVerifier());

const page = (cookie: string) => call(dashboard, buildRequest("/dashboard", { cookie }));

async function loginOf(cookie: string) {
  const session = await readSession(cookie);
  if (!session?.loginId || !session.userId) throw new Error("the session names no login");
  return { sid: session.loginId, sub: session.userId };
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ error: "invalid_request" });
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("set-cookie")).toBeNull();
}

const jwksKey = async () => {
  const response = await fetch(`${standins.urls.auth}/.well-known/jwks.json`);
  const { keys } = (await response.json()) as { keys: (JWK & { kid: string })[] };
  if (!keys[0]) throw new Error("no key");
  return keys[0];
};

describe("POST /auth/backchannel-logout", () => {
  it("ends the session of the token's sid: 200, no cookie, no-store; the browser's next request goes to sign in", async () => {
    const cookie = await signInAs("ada");
    const other = await signInAs("ada");
    expect((await page(cookie)).status).toBe(200);
    const response = await postLogoutToken(await forgeLogoutToken(logoutClaims(await loginOf(cookie))));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("location")).toBeNull();

    const after = await page(cookie);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe("/login?redirectTo=%2Fdashboard&reason=ended");
    expect(after.headers.get("set-cookie")).toMatch(/^session=; Max-Age=0/);
    expect((await page(other)).status).toBe(200);
  });

  it("with only a sub, ends every session of that customer that began before the token, and nobody else's", async () => {
    const ada = [await signInAs("ada"), await signInAs("ada")];
    const grace = await signInAs("grace");
    const { sub } = await loginOf(ada[0] ?? "");
    const response = await postLogoutToken(await forgeLogoutToken(logoutClaims({ sub })));
    expect(response.status).toBe(200);
    for (const cookie of ada) expect((await page(cookie)).status).toBe(302);
    expect((await page(grace)).status).toBe(200);
    // A sign-in after the token is not covered by it (in a later second than its iat).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await page(await signInAs("ada"))).status).toBe(200);
  });

  it("answers 200 for a valid token about no session it knows", async () => {
    const response = await postLogoutToken(await forgeLogoutToken(logoutClaims({ sid: "grt_unknown" })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });

  const forged = (change: Record<string, unknown>, header?: Record<string, unknown>) => async (about: { sid: string; sub: string }) =>
    forgeLogoutToken(logoutClaims(about, change), header);
  const now = () => Math.floor(Date.now() / 1000);

  it.each<[string, (about: { sid: string; sub: string }) => Promise<string>]>([
    ["a wrong issuer", forged({ iss: "https://evil.example" })],
    ["a wrong audience", forged({ aud: "another-client" })],
    ["an expired token", forged({ iat: now() - 100, exp: now() - 30 })],
    ["an iat in the future", forged({ iat: now() + 60, exp: now() + 120 })],
    ["an iat older than two minutes", forged({ iat: now() - MAX_TOKEN_AGE_S - 30, exp: now() + 60 })],
    ["no events", forged({ events: undefined })],
    ["the wrong event", forged({ events: { "http://schemas.openid.net/event/other": {} } })],
    ["a nonce", forged({ nonce: "abc" })],
    ["neither sid nor sub", forged({ sid: undefined, sub: undefined })],
    ["no jti", forged({ jti: undefined })],
    ["typ JWT", forged({}, { typ: "JWT" })],
    ["no typ", forged({}, { typ: null })],
    ["no kid", forged({}, { kid: null })],
    ["an unknown kid", forged({}, { kid: "not-a-key-of-auth" })],
    [
      "a bad signature (another key, Auth's kid)",
      async (about) => {
        const { privateKey } = await generateKeyPair("ES256");
        return new SignJWT(logoutClaims(about)).setProtectedHeader({ alg: "ES256", kid: (await jwksKey()).kid, typ: "logout+jwt" }).sign(privateKey);
      },
    ],
    [
      "a tampered payload",
      async (about) => {
        const [header, , signature] = (await forgeLogoutToken(logoutClaims({ sid: "grt_other" }))).split(".");
        return `${header}.${base64url.encode(JSON.stringify(logoutClaims(about)))}.${signature}`;
      },
    ],
    [
      "alg none",
      async (about) => {
        const header = base64url.encode(JSON.stringify({ alg: "none", kid: (await jwksKey()).kid, typ: "logout+jwt" }));
        return `${header}.${base64url.encode(JSON.stringify(logoutClaims(about)))}.`;
      },
    ],
    [
      "HS256 keyed with Auth's public key",
      async (about) => {
        const key = await jwksKey();
        return new SignJWT(logoutClaims(about))
          .setProtectedHeader({ alg: "HS256", kid: key.kid, typ: "logout+jwt" })
          .sign(new TextEncoder().encode(JSON.stringify(key)));
      },
    ],
    ["not a JWT at all", async () => "not-a-jwt"],
  ])("refuses %s with 400 and ends nothing", async (_kind, make) => {
    const cookie = await signInAs("ada");
    await expectRefused(await postLogoutToken(await make(await loginOf(cookie))));
    expect((await page(cookie)).status).toBe(200);
  });

  it("refuses a replayed jti, even for another session", async () => {
    const first = await signInAs("ada");
    const second = await signInAs("ada");
    const claims = logoutClaims(await loginOf(first));
    expect((await postLogoutToken(await forgeLogoutToken(claims))).status).toBe(200);
    expect((await postLogoutToken(await forgeLogoutToken(claims))).status).toBe(400);
    await expectRefused(await postLogoutToken(await forgeLogoutToken(Object.assign(claims, await loginOf(second)))));
    expect((await page(second)).status).toBe(200);
  });

  it("refuses a body without a logout_token, or not form-encoded, with 400", async () => {
    const send = (body: string, type: string) =>
      call(action, new Request("http://localhost:3000/auth/backchannel-logout", { method: "POST", headers: { "content-type": type }, body }));
    await expectRefused(await send("", "application/x-www-form-urlencoded"));
    await expectRefused(await send("other=1", "application/x-www-form-urlencoded"));
    const token = await forgeLogoutToken(logoutClaims({ sid: "grt_x" }));
    await expectRefused(await send(JSON.stringify({ logout_token: token }), "application/json"));
    await expectRefused(await send(`logout_token=${"a".repeat(20_000)}`, "application/x-www-form-urlencoded"));
  });

  it("is not a page: GET answers 405, no-store", async () => {
    const response = await call(loader, buildRequest("/auth/backchannel-logout"));
    expect(response.status).toBe(405);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("limits requests per IP (at least 60 a minute by default): 429 with Retry-After past the limit", async () => {
    const { getEnv } = await import("../env.server");
    expect(getEnv().BACKCHANNEL_RATE_LIMIT_PER_MIN).toBeGreaterThanOrEqual(60);
    vi.stubEnv("BACKCHANNEL_RATE_LIMIT_PER_MIN", "3");
    resetEnvCache();
    try {
      const token = await forgeLogoutToken(logoutClaims({ sid: "grt_x" }));
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await postLogoutToken(token)).status);
      expect(statuses).toEqual([200, 400, 400, 429]);
    } finally {
      vi.unstubAllEnvs();
      resetEnvCache();
    }
  });

  it("fetches Auth's keys once, not per token (an unknown kid right after does not refetch: cooldown)", async () => {
    const fetches = () => standins.requests.filter((request) => request.path === "/.well-known/jwks.json").length;
    for (let i = 0; i < 3; i++) await postLogoutToken(await forgeLogoutToken(logoutClaims({ sid: `grt_${i}` })));
    await postLogoutToken(await forgeLogoutToken(logoutClaims({ sid: "grt_a" }), { kid: "rotated-1" }));
    expect(fetches()).toBe(1);
  });

  it("answers 503 (Auth retries) when Auth's keys cannot be fetched, and ends nothing", async () => {
    const cookie = await signInAs("ada");
    const token = await forgeLogoutToken(logoutClaims(await loginOf(cookie)));
    standins.configure({ failureRate: { auth: 1 } });
    const response = await postLogoutToken(token);
    expect(response.status).toBe(503);
    standins.configure({ failureRate: {} });
    expect((await page(cookie)).status).toBe(200);
    // The same token still works afterwards: its jti was not used up.
    expect((await postLogoutToken(token)).status).toBe(200);
    expect(decodeJwt(token).sid).toBeDefined();
  });
});
