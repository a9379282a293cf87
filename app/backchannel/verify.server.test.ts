import { SignJWT, exportJWK, generateKeyPair, type JSONWebKeySet } from "jose";
import { createLogoutTokenVerifier, InvalidLogoutToken } from "./verify.server";

const EVENT = { "http://schemas.openid.net/event/backchannel-logout": {} };

async function authKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = Object.assign(await exportJWK(publicKey), { kid, alg: "ES256", use: "sig" });
  const sign = (nowS: number) =>
    new SignJWT({ sid: "grt_1", events: EVENT, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: "ES256", kid, typ: "logout+jwt" })
      .setIssuer("urn:auth")
      .setAudience("client")
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 120)
      .sign(privateKey);
  return { jwk, sign };
}

describe("the logout-token verifier's key cache", () => {
  it("fetches once; refetches for an unknown kid (Auth rotated its key) only after the cooldown", async () => {
    const clock = { now: Date.parse("2026-12-05T06:00:00Z") };
    const first = await authKey("k1");
    const second = await authKey("k2");
    let published: JSONWebKeySet = { keys: [first.jwk] };
    let fetches = 0;
    const verifier = createLogoutTokenVerifier({
      fetchJwks: async () => (fetches++, published),
      issuer: "urn:auth",
      audience: "client",
      now: () => clock.now,
      refetchCooldownMs: 30_000,
    });
    const nowS = () => Math.floor(clock.now / 1000);
    for (let i = 0; i < 5; i++) await expect(verifier.verify(await first.sign(nowS()))).resolves.toMatchObject({ sid: "grt_1" });
    expect(fetches).toBe(1);

    published = { keys: [first.jwk, second.jwk] };
    clock.now += 10_000;
    await expect(verifier.verify(await second.sign(nowS()))).rejects.toBeInstanceOf(InvalidLogoutToken);
    expect(fetches).toBe(1);
    clock.now += 25_000;
    await expect(verifier.verify(await second.sign(nowS()))).resolves.toMatchObject({ sid: "grt_1" });
    expect(fetches).toBe(2);
    // Many unknown kids at once: still at most one fetch per cooldown.
    const forged = await authKey("k3");
    await Promise.all(Array.from({ length: 5 }, async () => expect(verifier.verify(await forged.sign(nowS()))).rejects.toBeInstanceOf(InvalidLogoutToken)));
    expect(fetches).toBe(2);
  });

  it("refreshes keys older than their maximum age on the next token", async () => {
    const clock = { now: Date.parse("2026-12-05T06:00:00Z") };
    const key = await authKey("k1");
    let fetches = 0;
    const verifier = createLogoutTokenVerifier({
      fetchJwks: async () => (fetches++, { keys: [key.jwk] }),
      issuer: "urn:auth",
      audience: "client",
      now: () => clock.now,
      maxKeyAgeMs: 60_000,
    });
    await verifier.verify(await key.sign(Math.floor(clock.now / 1000)));
    clock.now += 61_000;
    await verifier.verify(await key.sign(Math.floor(clock.now / 1000)));
    expect(fetches).toBe(2);
  });

  it("passes a JWKS failure through as is (not an invalid token: Auth should retry)", async () => {
    const key = await authKey("k1");
    const verifier = createLogoutTokenVerifier({
      fetchJwks: () => Promise.reject(new Error("auth down")),
      issuer: "urn:auth",
      audience: "client",
    });
    await expect(verifier.verify(await key.sign(Math.floor(Date.now() / 1000)))).rejects.toThrow("auth down");
  });
});
