import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from "jose";
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "./jwt";
import {
  ADA,
  GRACE,
  TEST_CLIENT,
  basicAuth,
  bearer,
  getMe,
  login,
  postJson,
  refresh,
  startTestStandins,
  tokenRequest,
  type TestStandins,
} from "./test-support";
import { SERVICE_NAMES } from "./types";

let standins: TestStandins;

beforeAll(async () => {
  standins = await startTestStandins();
});
afterEach(() => standins.restore());
afterAll(() => standins.close());

describe("every service", () => {
  it.each(SERVICE_NAMES)("%s answers GET /health with 200 {status: ok}", async (service) => {
    const response = await fetch(`${standins.urls[service]}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("POST /oauth/token, grant_type=password", () => {
  it("returns an access token, a refresh token, Bearer and expires_in for the right credentials", async () => {
    const response = await tokenRequest(standins, { grant_type: "password", username: ADA.email, password: ADA.password });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "refresh_token", "token_type"]);
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(300);
    expect(typeof body.refresh_token).toBe("string");
    const claims = decodeJwt(body.access_token as string);
    expect(claims.iss).toBe(ACCESS_TOKEN_ISSUER);
    expect(claims.aud).toBe(ACCESS_TOKEN_AUDIENCE);
    expect(claims.sub).toMatch(/^usr_/);
    expect(claims.sid).toMatch(/^grt_/);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    expect(claims.iat).toBe(Math.floor(standins.clock.now / 1000));
  });

  it("accepts the e-mail in any case", async () => {
    const response = await tokenRequest(standins, { grant_type: "password", username: "ADA@Example.com", password: ADA.password });
    expect(response.status).toBe(200);
  });

  it("accepts client credentials sent without form-encoding too", async () => {
    const raw = `Basic ${Buffer.from(`${TEST_CLIENT.clientId}:${TEST_CLIENT.clientSecret}`).toString("base64")}`;
    const response = await tokenRequest(standins, { grant_type: "password", username: ADA.email, password: ADA.password }, raw);
    expect(response.status).toBe(200);
  });

  it("answers a wrong password with 400 invalid_grant and a description", async () => {
    const response = await tokenRequest(standins, { grant_type: "password", username: ADA.email, password: "wrong" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe("invalid_grant");
    expect(typeof body.error_description).toBe("string");
  });

  it("answers an unknown user exactly like a wrong password (no enumeration)", async () => {
    const unknown = await tokenRequest(standins, { grant_type: "password", username: "nobody@example.com", password: "x" });
    const wrong = await tokenRequest(standins, { grant_type: "password", username: ADA.email, password: "x" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it("does not accept one customer's password for another", async () => {
    const response = await tokenRequest(standins, { grant_type: "password", username: GRACE.email, password: ADA.password });
    expect(response.status).toBe(400);
  });

  it("answers a wrong client secret with 401 invalid_client", async () => {
    const response = await tokenRequest(
      standins,
      { grant_type: "password", username: ADA.email, password: ADA.password },
      basicAuth(TEST_CLIENT.clientId, "not-the-secret"),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_client" });
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  it("answers a wrong client id with 401 invalid_client", async () => {
    const response = await tokenRequest(
      standins,
      { grant_type: "password", username: ADA.email, password: ADA.password },
      basicAuth("someone-else", TEST_CLIENT.clientSecret),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_client" });
  });

  it("answers a missing client authentication with 401 invalid_client", async () => {
    const response = await tokenRequest(standins, { grant_type: "password", username: ADA.email, password: ADA.password }, null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_client" });
  });

  it("answers a non-Basic Authorization with 401 invalid_client", async () => {
    const response = await tokenRequest(standins, { grant_type: "password", username: ADA.email, password: ADA.password }, "Bearer x");
    expect(response.status).toBe(401);
  });

  it("answers missing parameters with 400 invalid_request", async () => {
    const forms: Record<string, string>[] = [
      {},
      { grant_type: "password", username: ADA.email },
      { grant_type: "password", password: "x" },
      { grant_type: "refresh_token" },
    ];
    for (const form of forms) {
      const response = await tokenRequest(standins, form);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
    }
  });

  it("answers a JSON body with 400 invalid_request (the endpoint is form-encoded)", async () => {
    const response = await postJson(
      `${standins.urls.auth}/oauth/token`,
      { grant_type: "password", username: ADA.email, password: ADA.password },
      { authorization: basicAuth() },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("answers an unsupported grant_type with 400 unsupported_grant_type", async () => {
    const response = await tokenRequest(standins, { grant_type: "client_credentials" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("unsupported_grant_type");
  });

  it("uses the configured access-token TTL", async () => {
    const short = await startTestStandins({ accessTokenTtlS: 42 });
    try {
      const tokens = await login(short);
      expect(tokens.expires_in).toBe(42);
      const claims = decodeJwt(tokens.access_token);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(42);
    } finally {
      await short.close();
    }
  });
});

describe("POST /oauth/token, grant_type=refresh_token", () => {
  it("rotates: a new refresh token and a working access token", async () => {
    const first = await login(standins);
    const response = await refresh(standins, first.refresh_token);
    expect(response.status).toBe(200);
    const second = (await response.json()) as { access_token: string; refresh_token: string; token_type: string; expires_in: number };
    expect(second.token_type).toBe("Bearer");
    expect(second.expires_in).toBe(300);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token).sid).toBe(decodeJwt(first.access_token).sid);
    expect((await getMe(standins, second.access_token)).status).toBe(200);
    // The new refresh token works in turn.
    expect((await refresh(standins, second.refresh_token)).status).toBe(200);
  });

  it("treats a rotated refresh token as reuse: 400 invalid_grant and the whole login is revoked", async () => {
    const first = await login(standins);
    const secondResponse = await refresh(standins, first.refresh_token);
    const second = (await secondResponse.json()) as { access_token: string; refresh_token: string };
    expect((await getMe(standins, first.access_token)).status).toBe(200);

    const reuse = await refresh(standins, first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as { error: string }).error).toBe("invalid_grant");

    // Every token of that login is dead now: the newer refresh token, and both access tokens.
    const newer = await refresh(standins, second.refresh_token);
    expect(newer.status).toBe(400);
    expect(((await newer.json()) as { error: string }).error).toBe("invalid_grant");
    for (const accessToken of [first.access_token, second.access_token]) {
      const me = await getMe(standins, accessToken);
      expect(me.status).toBe(401);
      expect(await me.json()).toEqual({ error: "invalid_token" });
    }
  });

  it("revokes only the login the reused token belongs to", async () => {
    const victim = await login(standins);
    const other = await login(standins);
    await refresh(standins, victim.refresh_token);
    await refresh(standins, victim.refresh_token);
    expect((await getMe(standins, other.access_token)).status).toBe(200);
    expect((await refresh(standins, other.refresh_token)).status).toBe(200);
  });

  it("answers an unknown refresh token with 400 invalid_grant", async () => {
    const response = await refresh(standins, "rt_not-a-token");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("needs client authentication too", async () => {
    const tokens = await login(standins);
    const response = await tokenRequest(standins, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_client" });
    // A refused client did not spend the token.
    expect((await refresh(standins, tokens.refresh_token)).status).toBe(200);
  });

  it("counts two concurrent refreshes with one token as reuse", async () => {
    const tokens = await login(standins);
    const statuses = (await Promise.all([refresh(standins, tokens.refresh_token), refresh(standins, tokens.refresh_token)])).map(
      (response) => response.status,
    );
    expect(statuses.sort()).toEqual([200, 400]);
    expect((await getMe(standins, tokens.access_token)).status).toBe(401);
  });
});

describe("POST /oauth/revoke", () => {
  function revoke(token: string, authorization: string | undefined = basicAuth()) {
    return fetch(`${standins.urls.auth}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
      body: new URLSearchParams({ token }),
    });
  }

  it("revokes the login of a refresh token: its access token gets 401 and the refresh token invalid_grant", async () => {
    const tokens = await login(standins);
    expect((await getMe(standins, tokens.access_token)).status).toBe(200);
    const response = await revoke(tokens.refresh_token);
    expect(response.status).toBe(200);
    const me = await getMe(standins, tokens.access_token);
    expect(me.status).toBe(401);
    expect(await me.json()).toEqual({ error: "invalid_token" });
    expect((await refresh(standins, tokens.refresh_token)).status).toBe(400);
  });

  it("revokes a single access token, leaving the login usable", async () => {
    const tokens = await login(standins);
    expect((await revoke(tokens.access_token)).status).toBe(200);
    expect((await getMe(standins, tokens.access_token)).status).toBe(401);
    const refreshed = (await (await refresh(standins, tokens.refresh_token)).json()) as { access_token: string };
    expect((await getMe(standins, refreshed.access_token)).status).toBe(200);
  });

  it("answers 200 for an unknown token", async () => {
    const response = await revoke("not-a-token-we-issued");
    expect(response.status).toBe(200);
  });

  it("needs client authentication", async () => {
    const tokens = await login(standins);
    const response = await revoke(tokens.refresh_token, basicAuth(TEST_CLIENT.clientId, "wrong"));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_client" });
    expect((await getMe(standins, tokens.access_token)).status).toBe(200);
  });

  it("answers a missing token parameter with 400 invalid_request", async () => {
    const response = await fetch(`${standins.urls.auth}/oauth/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth() },
      body: "",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
  });
});

describe("access tokens at the resource services", () => {
  it("Users, Payments and Transactions all refuse a missing token with 401 invalid_token", async () => {
    for (const url of [
      `${standins.urls.users}/v1/users/me`,
      `${standins.urls.payments}/v2/accounts/current`,
      `${standins.urls.transactions}/transactions`,
    ]) {
      const response = await fetch(url);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "invalid_token" });
    }
  });

  it("refuses an expired token (access-token TTL on the injected clock)", async () => {
    const tokens = await login(standins);
    standins.clock.now += 299_000;
    expect((await getMe(standins, tokens.access_token)).status).toBe(200);
    standins.clock.now += 1_000;
    const response = await getMe(standins, tokens.access_token);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_token" });
    // The refresh token still gives a fresh one.
    const refreshed = (await (await refresh(standins, tokens.refresh_token)).json()) as { access_token: string };
    expect((await getMe(standins, refreshed.access_token)).status).toBe(200);
  });

  it("refuses a token signed by another key (same kid and claims)", async () => {
    const tokens = await login(standins);
    const header = decodeProtectedHeader(tokens.access_token);
    const claims = decodeJwt(tokens.access_token);
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(claims).setProtectedHeader(header as { alg: string; kid: string; typ: string }).sign(privateKey);
    const response = await getMe(standins, forged);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_token" });
  });

  it("refuses a token whose payload was changed after signing", async () => {
    const ada = await login(standins, ADA);
    const grace = await login(standins, GRACE);
    const [header, , signature] = ada.access_token.split(".");
    const [, gracePayload] = grace.access_token.split(".");
    const response = await getMe(standins, `${header}.${gracePayload}.${signature}`);
    expect(response.status).toBe(401);
  });

  it("refuses an unsigned (alg none) token and garbage", async () => {
    const tokens = await login(standins);
    const [, payload] = tokens.access_token.split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${payload}.`;
    for (const token of [none, "garbage", ""]) {
      expect((await fetch(`${standins.urls.users}/v1/users/me`, { headers: bearer(token) })).status).toBe(401);
    }
    expect((await fetch(`${standins.urls.users}/v1/users/me`, { headers: { authorization: tokens.access_token } })).status).toBe(401);
  });

  it("refuses tokens from before a reset (the login no longer exists)", async () => {
    const tokens = await login(standins);
    standins.reset();
    expect((await getMe(standins, tokens.access_token)).status).toBe(401);
  });
});

describe("GET /.well-known/jwks.json", () => {
  it("publishes the public EC key that verifies the access tokens, with its kid", async () => {
    const response = await fetch(`${standins.urls.auth}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(typeof key?.kid).toBe("string");
    expect(key).not.toHaveProperty("d"); // never the private part
    const tokens = await login(standins);
    expect(decodeProtectedHeader(tokens.access_token).kid).toBe(key?.kid);
  });
});

describe("passwordless", () => {
  const start = (email: unknown) => postJson(`${standins.urls.auth}/passwordless/start`, { email });
  const verify = (email: string, code: string) => postJson(`${standins.urls.auth}/passwordless/verify`, { email, code });
  const wrongCode = (code: string) => (code === "000000" ? "000001" : "000000");

  it("start answers 202 for a known e-mail and puts a 6-digit code in the outbox", async () => {
    const response = await start(ADA.email);
    expect(response.status).toBe(202);
    const codes = standins.outbox(ADA.email);
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatch(/^\d{6}$/);
  });

  it("start answers 202 for an unknown e-mail too, the same body, and sends nothing", async () => {
    const known = await start(ADA.email);
    const unknown = await start("nobody@example.com");
    expect(unknown.status).toBe(202);
    expect(await unknown.json()).toEqual(await known.json());
    expect(standins.outbox("nobody@example.com")).toEqual([]);
  });

  it("start answers a malformed body with 400 {message}", async () => {
    for (const body of ["not json", JSON.stringify({}), JSON.stringify({ email: 42 }), JSON.stringify({ email: "no-at-sign" })]) {
      const response = await postJson(`${standins.urls.auth}/passwordless/start`, body);
      expect(response.status).toBe(400);
      expect(typeof ((await response.json()) as { message: unknown }).message).toBe("string");
    }
  });

  it("GET /dev/outbox lists the codes newest first", async () => {
    await start(ADA.email);
    await start(ADA.email);
    const response = await fetch(`${standins.urls.auth}/dev/outbox?email=${encodeURIComponent(ADA.email)}`);
    expect(response.status).toBe(200);
    const { codes } = (await response.json()) as { codes: string[] };
    expect(codes).toHaveLength(2);
    expect(codes).toEqual(standins.outbox(ADA.email));
    // The newest (first) is the one that works.
    expect((await verify(ADA.email, codes[0] ?? "")).status).toBe(200);
  });

  it("verify returns {token, refreshToken, expiresIn} that work like a password login's", async () => {
    await start(ADA.email);
    const [code] = standins.outbox(ADA.email);
    const response = await verify(ADA.email, code ?? "");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; refreshToken: string; expiresIn: number };
    expect(Object.keys(body).sort()).toEqual(["expiresIn", "refreshToken", "token"]);
    expect(body.expiresIn).toBe(300);
    const me = await getMe(standins, body.token);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email_address: string }).email_address).toBe(ADA.email);
    // Its refresh token rotates at the OAuth endpoint.
    expect((await refresh(standins, body.refreshToken)).status).toBe(200);
  });

  it("a code works once", async () => {
    await start(GRACE.email);
    const [code] = standins.outbox(GRACE.email);
    expect((await verify(GRACE.email, code ?? "")).status).toBe(200);
    expect((await verify(GRACE.email, code ?? "")).status).toBe(401);
  });

  it("verify answers a wrong code with 401 {message}", async () => {
    await start(ADA.email);
    const [code] = standins.outbox(ADA.email);
    const response = await verify(ADA.email, wrongCode(code ?? ""));
    expect(response.status).toBe(401);
    expect(typeof ((await response.json()) as { message: unknown }).message).toBe("string");
  });

  it("a code survives 4 wrong tries but not 5", async () => {
    await start(ADA.email);
    const [code = ""] = standins.outbox(ADA.email);
    for (let i = 0; i < 4; i++) expect((await verify(ADA.email, wrongCode(code))).status).toBe(401);
    expect((await verify(ADA.email, code)).status).toBe(200);

    await start(ADA.email);
    const [second = ""] = standins.outbox(ADA.email);
    for (let i = 0; i < 5; i++) expect((await verify(ADA.email, wrongCode(second))).status).toBe(401);
    const dead = await verify(ADA.email, second);
    expect(dead.status).toBe(401);
    expect(typeof ((await dead.json()) as { message: unknown }).message).toBe("string");
  });

  it("a code expires after 10 minutes", async () => {
    await start(ADA.email);
    const [code = ""] = standins.outbox(ADA.email);
    standins.clock.now += 10 * 60_000;
    expect((await verify(ADA.email, code)).status).toBe(401);
  });

  it("a code is still good just before 10 minutes", async () => {
    await start(ADA.email);
    const [code = ""] = standins.outbox(ADA.email);
    standins.clock.now += 10 * 60_000 - 1_000;
    expect((await verify(ADA.email, code)).status).toBe(200);
  });

  it("a new code supersedes the previous one", async () => {
    await start(ADA.email);
    const [first = ""] = standins.outbox(ADA.email);
    await start(ADA.email);
    const [second = ""] = standins.outbox(ADA.email);
    if (first !== second) expect((await verify(ADA.email, first)).status).toBe(401);
    expect((await verify(ADA.email, second)).status).toBe(200);
  });

  it("verify answers an unknown e-mail like a wrong code", async () => {
    const unknown = await verify("nobody@example.com", "123456");
    await start(ADA.email);
    const [code = ""] = standins.outbox(ADA.email);
    const wrong = await verify(ADA.email, wrongCode(code));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it("verify answers a malformed body with 400 {message}", async () => {
    for (const body of ["{", JSON.stringify({ email: ADA.email }), JSON.stringify({ email: ADA.email, code: 123456 })]) {
      const response = await postJson(`${standins.urls.auth}/passwordless/verify`, body);
      expect(response.status).toBe(400);
      expect(typeof ((await response.json()) as { message: unknown }).message).toBe("string");
    }
  });

  it("needs no client authentication", async () => {
    expect((await start(ADA.email)).status).toBe(202); // postJson sends no Authorization
  });
});
