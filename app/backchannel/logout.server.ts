import type { AppLoadContext } from "@remix-run/node";
import { getEnv } from "../env.server";
import { MAX_FORM_BYTES } from "../forms.server";
import { logger } from "../logger.server";
import { backchannelLogouts } from "../observability/metrics.server";
import { getServices } from "../services.server";
import { getSessionRuntime } from "../session/runtime.server";
import type { SignInRecord } from "../session/sign-ins.server";
import { createLogoutTokenVerifier, InvalidLogoutToken, type LogoutClaims, type LogoutTokenVerifier } from "./verify.server";

/**
 * `POST /auth/backchannel-logout`: Auth tells us a login ended. Not a browser
 * endpoint: it reads no cookie and sets none, never redirects, is never cached,
 * and answers anything wrong with 400 {"error":"invalid_request"} and nothing more
 * (the log says why). Auth retries what it gets no answer, a 429 or a 5xx for.
 */
export async function receiveLogoutToken(request: Request, context: AppLoadContext): Promise<Response> {
  const env = getEnv();
  const runtime = getSessionRuntime();
  const limit = await runtime.rateLimiter.hit(`backchannel:ip:${context.clientIp}`, env.BACKCHANNEL_RATE_LIMIT_PER_MIN, 60_000);
  if (!limit.allowed) {
    backchannelLogouts.inc({ outcome: "limited" });
    return answer(429, { error: "too_many_requests" }, { "Retry-After": String(limit.retryAfterS) });
  }

  const token = await logoutTokenOf(request);
  if (!token) return refuse(context, "no logout_token in a form body");
  let claims: LogoutClaims;
  try {
    claims = await verifier().verify(token);
  } catch (error) {
    if (error instanceof InvalidLogoutToken) return refuse(context, error.message);
    return unavailable(context, "Auth's keys unavailable", error);
  }

  let fresh: boolean;
  try {
    fresh = await runtime.seenLogoutTokens.claim(claims.jti, claims.exp * 1000 + 60_000);
  } catch (error) {
    // Fail closed: an id we cannot check is not acted on; Auth retries.
    return unavailable(context, "replay check unavailable", error);
  }
  if (!fresh) return refuse(context, "replayed jti");

  try {
    await endLogins(claims, context);
  } catch (error) {
    await runtime.seenLogoutTokens.release(claims.jti).catch(() => undefined);
    return unavailable(context, "revocation not recorded", error);
  }
  backchannelLogouts.inc({ outcome: "ended" });
  logger.info({ requestId: context.requestId, sid: Boolean(claims.sid), sub: Boolean(claims.sub) }, "back-channel logout");
  return answer(200, {});
}

/**
 * The effect, on every instance at once (the revocation list is shared): with a
 * `sid`, that login's sessions are refused from now on; with only a `sub`, every
 * session of that customer that began before the token was issued (using `iat`,
 * not our clock, keeps a replay from ending later sign-ins). Server-side
 * sessions are also deleted, and the sign-ins leave the customer's list.
 */
export async function endLogins(claims: Pick<LogoutClaims, "sid" | "sub" | "iat">, context: AppLoadContext): Promise<void> {
  const runtime = getSessionRuntime();
  const until = Date.now() + runtime.absoluteTimeoutMs;
  let owner: string | undefined;
  let matches: (record: SignInRecord) => boolean;
  if (claims.sid) {
    const loginId = claims.sid;
    await runtime.revocations.revokeLogin(loginId, until);
    owner = claims.sub ?? (await runtime.signIns.ownerOf(loginId).catch(() => undefined));
    matches = (record) => record.loginId === loginId;
  } else if (claims.sub) {
    const before = (claims.iat + 1) * 1000;
    await runtime.revocations.revokeCustomerBefore(claims.sub, before, until);
    owner = claims.sub;
    matches = (record) => record.createdAt < before;
  } else {
    return;
  }
  if (!owner) return;
  try {
    const ended = (await runtime.signIns.list(owner)).filter(matches).map((record) => record.sessionId);
    await runtime.store.remove?.(ended);
    await runtime.signIns.remove(owner, ended);
  } catch (error) {
    // The revocation above already refuses them; the list and the store catch up at expiry.
    logger.warn({ requestId: context.requestId, err: String(error) }, "ended sessions not cleared from the list");
  }
}

/** The form's `logout_token`, read with the app's form-size limit; undefined when there is none. */
async function logoutTokenOf(request: Request): Promise<string | undefined> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get("content-type") ?? "")) return undefined;
  if (Number(request.headers.get("content-length") ?? 0) > MAX_FORM_BYTES) return undefined;
  const text = await request.text().catch(() => "");
  if (text.length > MAX_FORM_BYTES) return undefined;
  const token = new URLSearchParams(text).get("logout_token");
  return token || undefined;
}

let cached: LogoutTokenVerifier | undefined;

function verifier(): LogoutTokenVerifier {
  if (!cached) {
    const env = getEnv();
    cached = createLogoutTokenVerifier({
      fetchJwks: () => getServices().auth.jwks(),
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_CLIENT_ID,
    });
  }
  return cached;
}

/** For tests: forget the cached keys. */
export function resetLogoutTokenVerifier() {
  cached = undefined;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: Object.assign({ "Cache-Control": "no-store" }, headers) });
}

function refuse(context: AppLoadContext, why: string): Response {
  backchannelLogouts.inc({ outcome: "refused" });
  logger.warn({ requestId: context.requestId, why }, "logout token refused");
  return answer(400, { error: "invalid_request" });
}

function unavailable(context: AppLoadContext, what: string, error: unknown): Response {
  backchannelLogouts.inc({ outcome: "unavailable" });
  logger.error({ requestId: context.requestId, err: String(error) }, `back-channel logout not processed: ${what}`);
  return answer(503, { error: "temporarily_unavailable" }, { "Retry-After": "5" });
}
