import { z } from "zod";
import type { PasskeyView } from "../../types/views";
import type { ApiCall, ApiRoute } from "../api/api.server";
import { problem } from "../api/problem.server";
import { logger } from "../logger.server";
import { loginOutcomes } from "../observability/metrics.server";
import { safeRedirect } from "../redirect.server";
import { getServices, isUpstreamError } from "../services.server";
import { beginSession, overLimit } from "../sign-in.server";
import { displayLocale } from "../views/format.server";
import { PAYMENT_PASSKEY_API } from "./payment.server";
import { credential, readJsonBody } from "./relay.server";
import { passkeyView } from "./view.server";

/**
 * The passkey ceremonies as the browser sees them: JSON under /api/passkeys/, with
 * X-CSRF and same-origin like all of /api. The app relays: options from Auth go to
 * the browser as they are, the browser's response goes back to Auth, and only
 * Auth verifies. A sign-in ends like every other one (a new session, its cookie,
 * a validated `redirectTo`); no token is ever in a body.
 */

const registrationBody = z.object({ response: credential });
const signInBody = z.object({
  ceremonyId: z.string().min(1).max(200),
  response: credential,
  redirectTo: z.string().max(2048).optional(),
});

const REFUSED = "That passkey wasn't accepted. Try again, or sign in with your password.";
const LIMITED = "Too many attempts. Please wait a few minutes and try again.";

function limited(retryAfterS: number): Response {
  loginOutcomes.inc({ method: "passkey", outcome: "limited" });
  return problem(429, "Too Many Requests", LIMITED, { "Retry-After": String(retryAfterS) });
}

async function viewFor({ session }: ApiCall, passkey: Parameters<typeof passkeyView>[0]): Promise<PasskeyView> {
  return passkeyView(passkey, displayLocale((await session.profile())?.locale));
}

export const PASSKEY_API: ApiRoute[] = [
  {
    method: "POST",
    path: "/api/passkeys/registration/options",
    async handle({ session }) {
      const options = await session.withToken((token, call) => getServices().passkeys.registrationOptions(token, call));
      return Response.json({ options }, { headers: { "Cache-Control": "no-store" } });
    },
  },
  {
    method: "POST",
    path: "/api/passkeys/registration/verify",
    async handle(call) {
      const body = await readJsonBody(call.request, registrationBody);
      if (!body.ok) return body.response;
      try {
        const passkey = await call.session.withToken((token, context) => getServices().passkeys.register(token, body.data.response, context));
        return Response.json({ passkey: await viewFor(call, passkey) }, { status: 201 });
      } catch (error) {
        if (!isUpstreamError(error, "rejected")) throw error;
        logger.info({ requestId: call.context.requestId, status: error.status }, "passkey registration refused");
        const message = error.status === 409 ? "That passkey is already registered." : "That passkey couldn't be added. Please try again.";
        return problem(400, "Bad Request", message);
      }
    },
  },
  {
    method: "POST",
    path: "/api/passkeys/authentication/options",
    signedOut: true,
    async handle({ request, context }) {
      const retryAfter = await overLimit("sign-in", undefined, context.clientIp, false);
      if (retryAfter !== undefined) return limited(retryAfter);
      const { options, ceremonyId } = await getServices().passkeys.signInOptions({ signal: request.signal, trace: context.trace });
      return Response.json({ options, ceremonyId }, { headers: { "Cache-Control": "no-store" } });
    },
  },
  {
    method: "POST",
    path: "/api/passkeys/authentication/verify",
    signedOut: true,
    async handle({ request, context }) {
      const retryAfter = await overLimit("sign-in", undefined, context.clientIp, false);
      if (retryAfter !== undefined) return limited(retryAfter);
      const body = await readJsonBody(request, signInBody);
      if (!body.ok) return body.response;
      let tokens;
      try {
        tokens = await getServices().passkeys.signIn(body.data.ceremonyId, body.data.response, {
          signal: request.signal,
          trace: context.trace,
        });
      } catch (error) {
        if (!isUpstreamError(error, "unauthorized")) {
          loginOutcomes.inc({ method: "passkey", outcome: "unavailable" });
          throw error;
        }
        loginOutcomes.inc({ method: "passkey", outcome: "refused" });
        await overLimit("sign-in", undefined, context.clientIp, true);
        logger.info({ requestId: context.requestId, strategy: "passkey" }, "sign-in refused");
        return problem(401, "Unauthorized", REFUSED);
      }
      const headers = await beginSession(request, context, tokens);
      if (!headers) {
        loginOutcomes.inc({ method: "passkey", outcome: "unavailable" });
        return problem(503, "Service Unavailable", "We can't sign you in right now. Please try again in a minute.", { "Retry-After": "5" });
      }
      loginOutcomes.inc({ method: "passkey", outcome: "success" });
      logger.info({ requestId: context.requestId, strategy: "passkey" }, "signed in");
      headers.set("Cache-Control", "no-store");
      return Response.json({ redirectTo: safeRedirect(body.data.redirectTo) }, { headers });
    },
  },
  ...PAYMENT_PASSKEY_API,
];
