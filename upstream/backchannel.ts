import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ACCESS_TOKEN_ISSUER, BACKCHANNEL_LOGOUT_EVENT } from "./jwt";
import type { BackchannelDelivery, Grant, StandinState } from "./state";

/**
 * OpenID Connect Back-Channel Logout 1.0, Auth's side: when a login ends here,
 * the client hears of it through a signed logout token POSTed (form-encoded
 * `logout_token`) to its back-channel URL. A delivery that gets no answer, a 429
 * or a 5xx is retried with back-off and logged; a 4xx other than 429 is the
 * client's final word (the spec's "logout failed") and is not retried.
 */

/** Logout tokens live at most two minutes (the contract). */
export const LOGOUT_TOKEN_TTL_S = 120;
/** Waits before the retries of an unanswered delivery. */
export const RETRY_DELAYS_MS = [250, 1_000, 4_000] as const;
const ATTEMPT_TIMEOUT_MS = 2_000;
/** Deliveries kept for `GET /dev/backchannel`. */
const DELIVERIES_KEPT = 200;

/** The claims of the logout token for one ended login: its `sid`, and its customer as `sub`. */
export function logoutClaims(state: StandinState, grant: Pick<Grant, "id" | "userId">): Record<string, unknown> {
  const iat = Math.floor(state.now() / 1000);
  return {
    iss: ACCESS_TOKEN_ISSUER,
    aud: state.clientId,
    iat,
    exp: iat + LOGOUT_TOKEN_TTL_S,
    jti: randomUUID(),
    sid: grant.id,
    sub: grant.userId,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
}

/**
 * Tells the client that these logins ended, one logout token each. Resolves once
 * every token's first attempt is answered (or timed out), so a caller that awaits
 * it answers after the client has heard; retries carry on in the background.
 */
export async function announceLogout(state: StandinState, grants: readonly Grant[]): Promise<void> {
  const url = state.backchannel.url;
  if (!url || grants.length === 0) return;
  await Promise.all(
    grants.map(async (grant) => {
      const logoutToken = await state.keys.signLogoutToken(logoutClaims(state, grant));
      const delivery: BackchannelDelivery = { url, logoutToken, status: null, sentAt: new Date(state.now()).toISOString(), attempts: 0 };
      state.backchannel.deliveries.unshift(delivery);
      state.backchannel.deliveries.length = Math.min(state.backchannel.deliveries.length, DELIVERIES_KEPT);
      if (!(await attempt(delivery))) void retry(delivery);
    }),
  );
}

/** One POST; true when no retry is wanted (answered with anything but 429 or 5xx). */
async function attempt(delivery: BackchannelDelivery): Promise<boolean> {
  delivery.attempts += 1;
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ logout_token: delivery.logoutToken }),
      redirect: "manual",
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.arrayBuffer().catch(() => undefined);
    delivery.status = response.status;
    if (response.status === 429 || response.status >= 500) throw new Error(`answered ${response.status}`);
    if (response.status >= 300) console.warn(`[standin:auth] back-channel logout refused by ${delivery.url}: ${response.status}`);
    return true;
  } catch (error) {
    console.warn(
      `[standin:auth] back-channel logout to ${delivery.url} failed (attempt ${delivery.attempts}): ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}

async function retry(delivery: BackchannelDelivery): Promise<void> {
  for (const delay of RETRY_DELAYS_MS) {
    await sleep(delay);
    if (await attempt(delivery)) return;
  }
  console.warn(`[standin:auth] back-channel logout to ${delivery.url} abandoned after ${delivery.attempts} attempts`);
}
