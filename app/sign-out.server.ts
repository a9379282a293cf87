import { redirect, type AppLoadContext } from "@remix-run/node";
import { logger } from "./logger.server";
import { getServices } from "./services.server";
import { requestSession } from "./session/customer.server";

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
  if (ended) {
    try {
      await getServices().auth.revoke(ended.tokens.refreshToken, {
        requestId: context.requestId,
        timeoutMs: REVOKE_WAIT_MS,
      });
    } catch (error) {
      logger.warn({ requestId: context.requestId, err: String(error) }, "refresh-token revocation failed");
    }
  }
  const headers = new Headers();
  const cookie = await session.takeCookieHeader();
  if (cookie) headers.append("Set-Cookie", cookie);
  return redirect("/", { headers });
}
