import { redirect, type AppLoadContext } from "@remix-run/node";
import { logger } from "./logger.server";
import { getServices } from "./services.server";
import { requestSession, requireCustomer } from "./session/customer.server";
import { getSessionRuntime } from "./session/runtime.server";
import type { SignInRecord } from "./session/sign-ins.server";

/** How long sign-out waits for Auth to revoke before it signs out anyway. */
const REVOKE_WAIT_MS = 2_000;

/**
 * Ends the session here (revoked id, cleared cookie) and asks Auth to revoke the
 * refresh token. The customer is signed out whatever Auth says; a failed revoke is
 * logged (the refresh token then dies at its own expiry, never used by us again).
 */
export async function signOut(request: Request, context: AppLoadContext): Promise<Response> {
  const session = requestSession(request, context);
  const ended = await session.end();
  if (ended) await revokeUpstream(ended.tokens.refreshToken, context);
  return redirect("/");
}

async function revokeUpstream(refreshToken: string, context: AppLoadContext) {
  try {
    await getServices().auth.revoke(refreshToken, { trace: context.trace, timeoutMs: REVOKE_WAIT_MS });
  } catch (error) {
    logger.warn({ requestId: context.requestId, err: String(error) }, "refresh-token revocation failed");
  }
}

/**
 * Ends some of the customer's other sign-ins, from this one: each is refused on
 * every instance from now on (its session id revoked), deleted when sessions are
 * server-side, dropped from the list, and its login ended at Auth by revoking its
 * refresh token (in parallel, each bounded). A revocation that cannot be written
 * throws: the caller says so rather than pretend.
 */
export async function endOtherSignIns(
  request: Request,
  context: AppLoadContext,
  which: (record: SignInRecord) => boolean,
): Promise<number> {
  const current = await (await requireCustomer(request, context)).get();
  if (!current?.userId) return 0;
  const runtime = getSessionRuntime();
  const others = (await runtime.signIns.list(current.userId)).filter((record) => record.sessionId !== current.id && which(record));
  await Promise.all(others.map((other) => runtime.revocations.revoke(other.sessionId, other.createdAt + runtime.absoluteTimeoutMs)));
  const ids = others.map((other) => other.sessionId);
  await runtime.store.remove?.(ids);
  await runtime.signIns.remove(current.userId, ids);
  await Promise.all(others.map((other) => revokeUpstream(other.refreshToken, context)));
  logger.info({ requestId: context.requestId, sessions: others.length }, "other sign-ins ended");
  return others.length;
}
