import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";

/**
 * Auth's access tokens: short-lived ES256 JWTs. Auth publishes the public key as
 * a JWKS; Users, Payments and Transactions verify against a key set built from
 * that same published document, as a real resource server would after fetching it.
 */

export const ACCESS_TOKEN_ISSUER = "urn:standin:auth";
export const ACCESS_TOKEN_AUDIENCE = "urn:standin:api";
const ALGORITHM = "ES256";
/** RFC 9068's media type for JWT access tokens, so an ID token or other JWT is not mistaken for one. */
const TOKEN_TYPE = "at+jwt";

export interface AccessTokenClaims {
  /** The user id. */
  sub: string;
  /** The login (grant) the token belongs to: revoking the grant kills the token. */
  sid: string;
  /** Unique per token, so a single access token can be revoked. */
  jti: string;
  iat: number;
  exp: number;
}

export interface TokenKeys {
  /** What `GET /.well-known/jwks.json` serves. */
  readonly jwks: JSONWebKeySet;
  sign(claims: Pick<AccessTokenClaims, "sub" | "sid" | "jti">, nowMs: number, ttlS: number): Promise<string>;
  /** The claims of a well-signed, unexpired access token, or undefined. Revocation is the caller's check. */
  verify(token: string, nowMs: number): Promise<AccessTokenClaims | undefined>;
  /**
   * A back-channel logout token: exactly these claims, signed with the same key
   * (ES256, the JWKS `kid`, `typ: logout+jwt`); `header` entries override those (null: left out).
   */
  signLogoutToken(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /**
   * Another kind of JWT Auth issues with the same key (e.g. SCA tokens, sca-token.ts):
   * the claims as given, with header `typ` so that no kind passes for another.
   */
  signJwt(typ: string, claims: JWTPayload): Promise<string>;
  /** The published JWKS as a key set, for verifying those as the other services do. */
  readonly keySet: JWTVerifyGetKey;
}

/** OpenID Connect Back-Channel Logout 1.0 §2.4: the event a logout token carries. */
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
/** The media type of logout tokens (Back-Channel Logout §2.4), so no other JWT passes for one. */
export const LOGOUT_TOKEN_TYPE = "logout+jwt";

// Signature checks are the hot path under load; a verified token's signature never
// changes, so remember it (bounded) and re-check only the expiry against the clock.
const VERIFIED_CACHE_LIMIT = 10_000;

export async function createTokenKeys(): Promise<TokenKeys> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  // Once at start-up, and our kid/alg/use must win over anything in the exported key.
  // eslint-disable-next-line no-restricted-syntax
  const jwks: JSONWebKeySet = { keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: "sig" }] };
  const keySet = createLocalJWKSet(jwks);
  const verified = new Map<string, AccessTokenClaims>();

  return {
    jwks,
    keySet,
    sign: (claims, nowMs, ttlS) => signToken(privateKey, kid, claims, nowMs, ttlS),
    signLogoutToken(claims, header = {}) {
      // A header entry given as null is left out (a test's "no typ", "no kid"); alg is always the key's.
      const fields: Record<string, unknown> = Object.assign({ alg: ALGORITHM, kid, typ: LOGOUT_TOKEN_TYPE }, header, { alg: ALGORITHM });
      for (const [name, value] of Object.entries(fields)) if (value === null) delete fields[name];
      return new SignJWT(claims).setProtectedHeader(Object.assign(fields, { alg: ALGORITHM })).sign(privateKey);
    },
    signJwt: (typ, claims) => new SignJWT(claims).setProtectedHeader({ alg: ALGORITHM, kid, typ }).sign(privateKey),
    async verify(token, nowMs) {
      const nowS = Math.floor(nowMs / 1000);
      const cached = verified.get(token);
      if (cached) return cached.exp > nowS ? cached : undefined;
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer: ACCESS_TOKEN_ISSUER,
          audience: ACCESS_TOKEN_AUDIENCE,
          algorithms: [ALGORITHM],
          typ: TOKEN_TYPE,
          currentDate: new Date(nowMs),
          requiredClaims: ["sub", "sid", "jti", "iat", "exp"],
        });
        const { sub, sid, jti, iat, exp } = payload;
        if (typeof sub !== "string" || typeof sid !== "string" || typeof jti !== "string") return undefined;
        if (typeof iat !== "number" || typeof exp !== "number") return undefined;
        const claims: AccessTokenClaims = { sub, sid, jti, iat, exp };
        if (verified.size >= VERIFIED_CACHE_LIMIT) verified.clear();
        verified.set(token, claims);
        return claims;
      } catch {
        return undefined;
      }
    },
  };
}

async function signToken(
  privateKey: CryptoKey,
  kid: string,
  claims: Pick<AccessTokenClaims, "sub" | "sid" | "jti">,
  nowMs: number,
  ttlS: number,
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: ALGORITHM, kid, typ: TOKEN_TYPE })
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlS)
    .sign(privateKey);
}
