import { z } from "zod";
import type { ApiRoute } from "../api/api.server";
import { problem } from "../api/problem.server";
import { logger } from "../logger.server";
import { pendingOf, settle, type ConfirmActionData } from "../payments/confirmation.server";
import { getServices, isUpstreamError } from "../services.server";
import type { RequestSession } from "../session/customer.server";
import { credential, readJsonBody } from "./relay.server";

/**
 * "Confirm with passkey" on the payment confirmation page: the same payment
 * challenge as the code, answered with a passkey assertion that Auth verifies.
 * What is paid comes from the session's pending payment alone; the answer ends
 * exactly like a code's (`settle`): the payment's own Idempotency-Key, once.
 */

const optionsBody = z.object({ payment: z.string().min(1).max(200) });
const verifyBody = z.object({ payment: z.string().min(1).max(200), response: credential });

const NOT_THIS_PAYMENT = "You started another payment since this page was shown. Reload the page and check its details.";
const WRONG = "Your passkey wasn't accepted for this payment. Try again, or enter the code from the message we sent you.";

/** Whether the customer has a passkey to offer on the confirmation page; false when Auth cannot say. */
export async function hasPasskey(customer: RequestSession, requestId: string): Promise<boolean> {
  try {
    const passkeys = await customer.withToken((token, call) => getServices().passkeys.list(token, call), { timeoutMs: 1_500 });
    return passkeys.length > 0;
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.warn({ requestId, err: String(error) }, "payment confirmation: passkeys unknown");
    return false;
  }
}

/** The pending payment the page showed, or the answer to give instead. */
async function pendingFor(session: RequestSession, paymentKey: string) {
  const pending = await pendingOf(session);
  if (pending?.key === paymentKey) return pending;
  // Already sent (the same confirmation twice): where its receipt is.
  const sent = (await session.get())?.recentPayments?.some((recent) => recent.key === paymentKey);
  if (sent) return Response.json({ redirectTo: "/payments/sent" });
  return problem(409, "Conflict", NOT_THIS_PAYMENT);
}

export const PAYMENT_PASSKEY_API: ApiRoute[] = [
  {
    method: "POST",
    path: "/api/passkeys/payment/options",
    async handle({ session, request }) {
      const body = await readJsonBody(request, optionsBody);
      if (!body.ok) return body.response;
      const pending = await pendingFor(session, body.data.payment);
      if (pending instanceof Response) return pending;
      try {
        const options = await session.withToken((token, call) => getServices().passkeys.paymentOptions(token, pending.challengeId, call));
        return Response.json({ options }, { headers: { "Cache-Control": "no-store" } });
      } catch (error) {
        if (!isUpstreamError(error, "rejected")) throw error;
        const detail =
          error.status === 409
            ? "You have no passkey to confirm with. Enter the code from the message we sent you."
            : "This confirmation has expired or was already used. Ask for a new code: nothing was sent.";
        return problem(409, "Conflict", detail);
      }
    },
  },
  {
    method: "POST",
    path: "/api/passkeys/payment/verify",
    async handle({ session, request, context }) {
      const body = await readJsonBody(request, verifyBody);
      if (!body.ok) return body.response;
      const pending = await pendingFor(session, body.data.payment);
      if (pending instanceof Response) return pending;
      let outcome;
      try {
        outcome = await session.withToken((token, call) =>
          getServices().auth.verifyScaChallenge(token, pending.challengeId, { assertion: body.data.response }, call),
        );
      } catch (error) {
        if (error instanceof Response) throw error;
        logger.warn({ requestId: context.requestId, err: String(error) }, "payment confirmation: passkey not checked");
        return problem(503, "Service Unavailable", "We can't check your passkey right now. Nothing was sent; please try again in a minute.");
      }
      // The same ending as a code: sent (a redirect to the receipt) or a message.
      const settled = await settle(session, context, pending, outcome);
      const location = settled.headers.get("Location");
      if (settled.status >= 300 && settled.status < 400 && location) return Response.json({ redirectTo: location });
      const data = (await settled.json()) as ConfirmActionData;
      const detail = data.errors.form ?? (data.errors.code ? WRONG : "We couldn't confirm your payment. Nothing was sent.");
      return problem(settled.status, settled.status === 503 ? "Service Unavailable" : "Not Confirmed", detail);
    },
  },
];
