import { redirect, type AppLoadContext } from "@remix-run/node";
import { logger } from "./logger.server";
import { getServices } from "./services.server";
import { requestSession } from "./session/customer.server";
import { getSessionRuntime } from "./session/runtime.server";

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

/** Whether this deployment can end all of a customer's sessions (server-side sessions only). */
export function canSignOutEverywhere(): boolean {
  return getSessionRuntime().store.endAll !== undefined;
}

/**
 * Ends every session of the signed-in customer, in every browser: each one is
 * deleted and revoked, and each refresh token is revoked at Auth (in parallel,
 * bounded). Then this browser is signed out as usual.
 */
export async function signOutEverywhere(request: Request, context: AppLoadContext): Promise<Response> {
  const current = await requestSession(request, context).get();
  const runtime = getSessionRuntime();
  if (current?.userId && runtime.store.endAll) {
    const others = await runtime.store.endAll(current.userId);
    await Promise.all(
      others.map(async (other) => {
        await runtime.revocations
          .revoke(other.id, other.createdAt + runtime.absoluteTimeoutMs)
          .catch((error: unknown) => logger.error({ requestId: context.requestId, err: String(error) }, "could not record a revocation"));
        if (other.id !== current.id) await revokeUpstream(other.tokens.refreshToken, context);
      }),
    );
    logger.info({ requestId: context.requestId, sessions: others.length }, "signed out everywhere");
  }
  return signOut(request, context);
}
