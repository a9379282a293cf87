import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet } from "jose";
import { z } from "zod";

/**
 * Verifies OpenID Connect Back-Channel Logout 1.0 logout tokens against Auth's
 * JWKS. The key set is fetched once and kept; a token whose `kid` it does not
 * know makes it fetch again (Auth may have rotated its key), at most once per
 * cooldown, so a stream of forged kids cannot make us hammer Auth; it is also
 * refreshed when older than its maximum age. Never fetched per request.
 */

export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
/** Allowed clock difference between Auth and us, in seconds. */
export const CLOCK_SKEW_S = 5;
/** Logout tokens live at most two minutes (the contract), counted from `iat`. */
export const MAX_TOKEN_AGE_S = 120;

export interface LogoutClaims {
  jti: string;
  sid?: string;
  sub?: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

/** Anything wrong with a logout token: answered 400 invalid_request, and nothing ends. */
export class InvalidLogoutToken extends Error {
  override name = "InvalidLogoutToken";
}

export interface LogoutTokenVerifier {
  verify(token: string): Promise<LogoutClaims>;
}

export interface VerifierOptions {
  /** Auth's JWKS; its failure is not the token's fault and reaches the caller as is. */
  fetchJwks: () => Promise<JSONWebKeySet>;
  issuer: string;
  /** Our client id. */
  audience: string;
  now?: () => number;
  /** The least time between two fetches caused by unknown kids. */
  refetchCooldownMs?: number;
  /** Keys older than this are fetched again on the next token. */
  maxKeyAgeMs?: number;
}

const claimsSchema = z.object({
  jti: z.string().min(1).max(256),
  sid: z.string().min(1).max(256).optional(),
  sub: z.string().min(1).max(256).optional(),
  iat: z.number(),
  exp: z.number(),
  events: z.object({ [BACKCHANNEL_LOGOUT_EVENT]: z.record(z.string(), z.unknown()) }),
  nonce: z.never({ error: "a logout token never carries a nonce" }).optional(),
});

export function createLogoutTokenVerifier(options: VerifierOptions): LogoutTokenVerifier {
  const now = options.now ?? Date.now;
  const cooldownMs = options.refetchCooldownMs ?? 30_000;
  const maxKeyAgeMs = options.maxKeyAgeMs ?? 10 * 60_000;
  let keys: { set: ReturnType<typeof createLocalJWKSet>; fetchedAt: number } | undefined;
  let fetching: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;

  function keySet(kidUnknown: boolean): Promise<ReturnType<typeof createLocalJWKSet>> {
    const age = keys ? now() - keys.fetchedAt : Number.POSITIVE_INFINITY;
    if (keys && age < (kidUnknown ? cooldownMs : maxKeyAgeMs)) return Promise.resolve(keys.set);
    // Concurrent tokens share one fetch.
    fetching ??= options
      .fetchJwks()
      .then((jwks) => {
        keys = { set: createLocalJWKSet(jwks), fetchedAt: now() };
        return keys.set;
      })
      .finally(() => (fetching = undefined));
    return fetching;
  }

  async function check(token: string, set: ReturnType<typeof createLocalJWKSet>) {
    return jwtVerify(token, set, {
      // Pinned: never "none", never HS256 keyed with the public key.
      algorithms: ["ES256"],
      typ: "logout+jwt",
      issuer: options.issuer,
      audience: options.audience,
      currentDate: new Date(now()),
      clockTolerance: CLOCK_SKEW_S,
      // Also refuses an `iat` in the future (beyond the skew).
      maxTokenAge: MAX_TOKEN_AGE_S,
      requiredClaims: ["iat", "exp", "jti", "events"],
    });
  }

  return {
    async verify(token) {
      let kid: string | undefined;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        throw new InvalidLogoutToken("not a JWS");
      }
      if (!kid) throw new InvalidLogoutToken("no kid");
      let payload: unknown;
      try {
        ({ payload } = await check(token, await keySet(false)));
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw invalid(error);
        try {
          ({ payload } = await check(token, await keySet(true)));
        } catch (retried) {
          throw invalid(retried);
        }
      }
      const parsed = claimsSchema.safeParse(payload);
      if (!parsed.success) throw new InvalidLogoutToken(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
      const { jti, sid, sub, iat, exp } = parsed.data;
      if (!sid && !sub) throw new InvalidLogoutToken("neither sid nor sub");
      const claims: LogoutClaims = { jti, iat, exp };
      if (sid) claims.sid = sid;
      if (sub) claims.sub = sub;
      return claims;
    },
  };
}

/** jose's refusals become InvalidLogoutToken; anything else (Auth's JWKS unreachable) passes as is. */
function invalid(error: unknown): unknown {
  return error instanceof errors.JOSEError ? new InvalidLogoutToken(error.message) : error;
}
