import { z } from "zod";
import { announceLogout } from "./backchannel";
import { authenticateLogin } from "./grants";
import { json, readJson, safeEqual } from "./responses";
import { pathParam, route, type Route } from "./routes";
import { normalizeEmail, type Grant, type StandinState } from "./state";

/**
 * Auth's logins as sessions that end from Auth's side: a password change ends the
 * customer's other logins, the fraud team's "kill all sessions" (a dev endpoint
 * here) ends all of them, and each ended login is announced to the client by a
 * back-channel logout token (backchannel.ts). A login is a grant (grants.ts,
 * `startGrant`); its id is the `sid` of its access tokens.
 */

const MIN_PASSWORD_LENGTH = 12;

/**
 * Ends the customer's live logins (all, or all but `except`): their refresh and
 * access tokens stop working at once, and the client gets a logout token for each.
 */
export async function endLogins(state: StandinState, userId: string, options: { except?: string } = {}): Promise<Grant[]> {
  const ended: Grant[] = [];
  for (const grant of state.grants.values()) {
    if (grant.userId !== userId || grant.revoked || grant.id === options.except) continue;
    grant.revoked = true;
    ended.push(grant);
  }
  await announceLogout(state, ended);
  return ended;
}

const passwordChange = z.object({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) });

const devTokenRequest = z.record(z.string(), z.unknown());

export function authSessionRoutes(state: StandinState): Route[] {
  return [
    // The customer changes their password: every other login ends.
    route("POST", "/v1/password", async (request) => {
      const login = await authenticateLogin(state, request);
      if (!login) return json(401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
      const body = await readJson(request);
      const parsed = passwordChange.safeParse(body?.value);
      if (!parsed.success) return json(400, { error: "invalid_request" });
      if (!safeEqual(parsed.data.currentPassword, login.customer.password)) return json(400, { error: "invalid_password" });
      if (parsed.data.newPassword.length < MIN_PASSWORD_LENGTH) return json(400, { error: "weak_password" });
      login.customer.password = parsed.data.newPassword;
      await endLogins(state, login.grant.userId, { except: login.grant.id });
      return new Response(null, { status: 204 });
    }),

    // The stand-in's stand-in for the fraud team's "kill all sessions"; real Auth has no such endpoint.
    route("POST", "/dev/users/:email/logout", async (request) => {
      const email = pathParam("/dev/users/:email/logout", request, "email") ?? "";
      const userId = state.userIdByEmail.get(normalizeEmail(email));
      if (userId === undefined) return json(404, { error: "not_found" });
      const ended = await endLogins(state, userId);
      return json(202, { ended: ended.length });
    }),

    route("GET", "/dev/backchannel", () => json(200, {
        deliveries: state.backchannel.deliveries.map(({ url, logoutToken, status, sentAt }) => ({ url, logoutToken, status, sentAt })),
      })),

    // Forges a logout token with exactly the given claims, signed with Auth's key, for
    // tests of the client's checks; `header` entries override the protected header.
    route("POST", "/dev/logout-tokens", async (request) => {
      const parsed = devTokenRequest.safeParse((await readJson(request))?.value);
      if (!parsed.success) return json(400, { error: "invalid_request" });
      const { header, ...claims } = parsed.data;
      const headerFields = devTokenRequest.safeParse(header ?? {});
      if (!headerFields.success) return json(400, { error: "invalid_request" });
      return json(200, { logoutToken: await state.keys.signLogoutToken(claims, headerFields.data) });
    }),
  ];
}
