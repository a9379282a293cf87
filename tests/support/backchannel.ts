import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { action as backchannelLogout } from "../../app/routes/auth.backchannel-logout";
import { STANDIN_DEFAULTS, ACCESS_TOKEN_ISSUER } from "../../upstream";
import { BACKCHANNEL_LOGOUT_EVENT } from "../../upstream/jwt";
import { call, testContext } from "./remix";
import { standins } from "./standins";

/** A logout token signed by the Auth stand-in with exactly these claims (its dev endpoint). */
export async function forgeLogoutToken(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string> {
  const body = header ? Object.assign({ header }, claims) : claims;
  const response = await fetch(`${standins.urls.auth}/dev/logout-tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return ((await response.json()) as { logoutToken: string }).logoutToken;
}

/** The claims of a good logout token from Auth, now; `change` adjusts them (undefined deletes). */
export function logoutClaims(about: { sid?: string; sub?: string }, change: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: ACCESS_TOKEN_ISSUER,
    aud: STANDIN_DEFAULTS.clientId,
    iat,
    exp: iat + 120,
    jti: randomUUID(),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
  Object.assign(claims, about, change);
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}

/** POST /auth/backchannel-logout as Auth sends it: form-encoded, no cookie, no Origin. */
export function postLogoutToken(token: string, context = testContext()): Promise<Response> {
  const request = new Request("http://localhost:3000/auth/backchannel-logout", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ logout_token: token }),
  });
  return call(backchannelLogout, request, { context });
}

/**
 * Points the Auth stand-in's back-channel deliveries at this process's app: a
 * loopback server that hands each POST to the route's action, as the real server
 * would. Returns a function that stops it.
 */
export async function deliverBackchannelToApp(): Promise<() => Promise<void>> {
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const request = new Request("http://localhost:3000/auth/backchannel-logout", {
        method: "POST",
        headers: { "content-type": req.headers["content-type"] ?? "" },
        body,
      });
      void call(backchannelLogout, request).then(async (response) => {
        res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standins.setBackchannelLogoutUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/backchannel-logout`);
  return () => new Promise((resolve) => server.close(() => resolve()));
}
