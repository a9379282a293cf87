import { setTimeout as sleep } from "node:timers/promises";
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { PaymentReceipt, PaymentRequest, ScaVerification } from "../../types/domain";
import type { PaymentChallengeView } from "../../types/views";
import { formValues, readForm } from "../forms.server";
import { logger } from "../logger.server";
import { getServices, isUpstreamError, scaRefusal } from "../services.server";
import { requireCustomer, type RequestSession } from "../session/customer.server";
import type { PendingPayment } from "../session/store.server";
import { displayLocale, moneyView } from "../views/format.server";
import { formatIban } from "./iban";
import { paymentSent, sendPayment } from "./send.server";

/**
 * Strong customer authentication for a payment (decision 019). When Payments
 * answers "sca_required", the payment waits in the session (never in the page:
 * the browser has nothing to edit) with a challenge from Auth, whose message
 * names the amount and the payee. Confirming answers the challenge, and the
 * token Auth gives, bound to that payment, goes to Payments with the payment's
 * own Idempotency-Key: however often the confirmation is posted, it pays once.
 */

/** Auth's tries per challenge (shared/contract.md). */
export const CODE_TRIES = 5;
/** A pending payment older than this is dropped: the customer starts again. */
export const PENDING_TTL_MS = 15 * 60_000;
const CODE = /^\d{6}$/;

export interface ConfirmActionData {
  errors: { code?: string; form?: string };
  /** Good news worth announcing, e.g. a new code is on its way. */
  notice?: string;
  /** Tries left on this code, when known. */
  triesLeft?: number;
  /** The challenge can no longer be answered: only "Send a new code" helps. */
  challengeGone?: boolean;
  /** Payments refused the payment itself: nothing to confirm any more. */
  refused?: boolean;
}

function answer(status: number, data: ConfirmActionData): Response {
  return Response.json(data, { status });
}

function requestOf(pending: PendingPayment): PaymentRequest {
  return {
    creditorName: pending.creditorName,
    creditorIban: pending.creditorIban,
    amount: { minor: pending.amountMinor, currency: pending.currency },
    remittanceInfo: pending.remittanceInfo,
  };
}

/** The session's pending payment, unless it is too old to send (then it is dropped). */
export async function pendingOf(customer: RequestSession): Promise<PendingPayment | undefined> {
  const pending = (await customer.get())?.pendingPayment;
  if (!pending) return undefined;
  if (Date.now() - pending.createdAt <= PENDING_TTL_MS) return pending;
  await customer.update((session) => {
    delete session.pendingPayment;
  });
  return undefined;
}

/** A new challenge at Auth for this payment; its id, or undefined when Auth cannot be reached. */
async function newChallenge(customer: RequestSession, context: AppLoadContext, payment: PaymentRequest): Promise<string | undefined> {
  try {
    const challenge = await customer.withToken((token, call) =>
      getServices().auth.createScaChallenge(
        token,
        { amount: payment.amount, creditorIban: payment.creditorIban, creditorName: payment.creditorName },
        call,
      ),
    );
    return challenge.id;
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.warn({ requestId: context.requestId, err: String(error) }, "payment confirmation: no challenge");
    return undefined;
  }
}

/**
 * Payments asked for SCA: a challenge for exactly this payment, and the payment
 * pending in the session, replacing any earlier one (an edited amount or payee is
 * a new payment with a new challenge). False when Auth cannot be reached.
 */
export async function askForConfirmation(
  customer: RequestSession,
  context: AppLoadContext,
  key: string,
  payment: PaymentRequest,
): Promise<boolean> {
  const challengeId = await newChallenge(customer, context, payment);
  if (challengeId === undefined) return false;
  await customer.update((session) => {
    session.pendingPayment = {
      key,
      creditorName: payment.creditorName,
      creditorIban: payment.creditorIban,
      amountMinor: payment.amount.minor,
      currency: payment.amount.currency,
      remittanceInfo: payment.remittanceInfo,
      challengeId,
      wrongCodes: 0,
      createdAt: Date.now(),
    };
  });
  return true;
}

/** The confirmation page's view of the pending payment, or a redirect to the form when there is none. */
export async function challengeView(request: Request, context: AppLoadContext): Promise<PaymentChallengeView> {
  const customer = await requireCustomer(request, context);
  const pending = await pendingOf(customer);
  if (!pending) throw redirect("/payments/new");
  const locale = displayLocale((await customer.profile())?.locale);
  return {
    paymentKey: pending.key,
    amount: moneyView({ minor: pending.amountMinor, currency: pending.currency }, locale),
    creditorName: pending.creditorName,
    creditorIban: formatIban(pending.creditorIban),
    remittanceInfo: pending.remittanceInfo,
    triesLeft: Math.max(0, CODE_TRIES - pending.wrongCodes),
  };
}

/**
 * The confirmation form: `intent=confirm` with `code`, or `intent=resend`. Only
 * those fields and `payment` (which pending payment the page showed) are read;
 * what is paid comes from the session alone.
 */
export async function confirmPayment(request: Request, context: AppLoadContext): Promise<Response> {
  const customer = await requireCustomer(request, context);
  const values = formValues((await readForm(request)).form);
  const pending = await pendingOf(customer);
  if (!pending) {
    // Already sent (a reused or repeated confirmation), or never started: nothing to pay here.
    const sent = (await customer.get())?.recentPayments?.some((recent) => recent.key === values.payment);
    return redirect(sent ? "/payments/sent" : "/payments/new", { status: 303 });
  }
  if (values.payment !== pending.key) {
    return answer(409, {
      errors: { form: "You started another payment since this page was shown. Check its details below before you confirm it." },
    });
  }
  const payment = requestOf(pending);

  if (values.intent === "resend") {
    const challengeId = await newChallenge(customer, context, payment);
    if (challengeId === undefined) {
      return answer(503, { errors: { form: "We can't send a new code right now. Nothing was sent; please try again in a minute." } });
    }
    await replaceChallenge(customer, challengeId);
    return answer(200, { errors: {}, notice: "We've sent you a new code.", triesLeft: CODE_TRIES });
  }

  const code = (values.code ?? "").replace(/\s+/g, "");
  if (!CODE.test(code)) {
    return answer(400, { errors: { code: "Enter the 6-digit code from the message we sent you." } });
  }

  let verification: ScaVerification;
  try {
    verification = await customer.withToken((token, call) =>
      getServices().auth.verifyScaChallenge(token, pending.challengeId, { code }, call),
    );
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.warn({ requestId: context.requestId, err: String(error) }, "payment confirmation: code not checked");
    return answer(503, { errors: { form: "We can't check your code right now. Nothing was sent; please try again in a minute." } });
  }
  return settle(customer, context, pending, verification);
}

/**
 * What Auth's answer to the challenge means for the pending payment. Exported so
 * that every way of answering (the code here, a passkey) ends the same way.
 */
export async function settle(
  customer: RequestSession,
  context: AppLoadContext,
  pending: PendingPayment,
  verification: ScaVerification,
): Promise<Response> {
  const payment = requestOf(pending);

  if (verification.outcome === "wrong") {
    const wrongCodes = pending.wrongCodes + 1;
    await customer.update((session) => {
      if (session.pendingPayment?.challengeId === pending.challengeId) session.pendingPayment.wrongCodes = wrongCodes;
    });
    const triesLeft = Math.max(0, CODE_TRIES - wrongCodes);
    return answer(400, {
      errors: {
        code:
          triesLeft > 0
            ? `That code is not right. ${triesLeft === 1 ? "1 try" : `${triesLeft} tries`} left.`
            : "That code is not right, and there are no tries left. Ask for a new code.",
      },
      triesLeft,
      challengeGone: triesLeft === 0,
    });
  }

  if (verification.outcome === "gone") {
    // Expired, out of tries, or used, perhaps by this same confirmation posted
    // twice: if that one has paid, Payments replays it for this key.
    const receipt = await alreadyPaid(customer, context, pending.key, payment);
    if (receipt) return paymentSent(customer, context, pending.key, payment, receipt);
    return answer(410, {
      errors: { form: "This code has expired or was already used. Ask for a new code: nothing was sent." },
      challengeGone: true,
    });
  }

  try {
    const receipt = await sendPayment(customer, pending.key, payment, verification.scaToken);
    return await paymentSent(customer, context, pending.key, payment, receipt);
  } catch (error) {
    if (error instanceof Response) throw error;
    if (scaRefusal(error)) {
      // Payments did not take the confirmation (expired meanwhile, or not for this
      // payment): nothing was booked. A fresh challenge for the same payment.
      logger.warn({ requestId: context.requestId, code: scaRefusal(error) }, "payment confirmation refused by Payments");
      const challengeId = await newChallenge(customer, context, payment);
      if (challengeId === undefined) {
        return answer(503, {
          errors: { form: "Your bank didn't accept that confirmation, and nothing was sent. We can't send a new code right now; please try again in a minute." },
          challengeGone: true,
        });
      }
      await replaceChallenge(customer, challengeId);
      return answer(409, {
        errors: { form: "Your bank didn't accept that confirmation, and nothing was sent. We've sent you a new code: enter it to confirm." },
        triesLeft: CODE_TRIES,
      });
    }
    if (isUpstreamError(error, "rejected") && error.status === 422) {
      await customer.update((session) => {
        if (session.pendingPayment?.key === pending.key) delete session.pendingPayment;
      });
      const form =
        error.code === "Insufficient funds"
          ? "The bank refused this payment: the amount is more than your available balance. Nothing was sent."
          : "The bank refused this payment. Nothing was sent. Check the details and send it again.";
      return answer(422, { errors: { form }, refused: true });
    }
    logger.error({ requestId: context.requestId, err: String(error) }, "payment confirmation: outcome unknown");
    return answer(503, {
      errors: {
        form: "We couldn't confirm your payment. Check your transactions before trying again; confirming again will not pay twice.",
      },
    });
  }
}

async function replaceChallenge(customer: RequestSession, challengeId: string) {
  await customer.update((session) => {
    if (!session.pendingPayment) return;
    session.pendingPayment.challengeId = challengeId;
    session.pendingPayment.wrongCodes = 0;
  });
}

/** How long a second confirmation waits for a first one that is still on its way to Payments. */
const IN_FLIGHT_GRACE_MS = 500;

/**
 * Whether this payment (its key) was already booked: sent again without a token,
 * Payments replays the first answer for a booked key and asks for SCA (booking
 * nothing) for one that is not. A confirmation posted twice at once gets here
 * while the first is still between Auth and Payments, so one more look after a
 * short grace; an answer in between changes nothing (it cannot pay twice).
 */
async function alreadyPaid(
  customer: RequestSession,
  context: AppLoadContext,
  key: string,
  payment: PaymentRequest,
): Promise<PaymentReceipt | undefined> {
  for (let look = 0; look < 2; look++) {
    if (look > 0) await sleep(IN_FLIGHT_GRACE_MS);
    try {
      return await sendPayment(customer, key, payment);
    } catch (error) {
      if (error instanceof Response) throw error;
      if (scaRefusal(error) !== "sca_required") {
        logger.warn({ requestId: context.requestId, err: String(error) }, "payment confirmation: could not tell whether it was sent");
        return undefined;
      }
    }
  }
  return undefined;
}
