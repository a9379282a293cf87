import { createHash } from "node:crypto";
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { PaymentReceipt, PaymentRequest } from "../../types/domain";
import { logger } from "../logger.server";
import { getServices } from "../services.server";
import type { RequestSession } from "../session/customer.server";

/**
 * Sending a payment and what follows its success, shared by the payment form
 * (payments.server.ts) and the confirmation of a payment that needed strong
 * customer authentication (confirmation.server.ts).
 */

/** A second identical payment within this window asks for confirmation first. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
const RECENT_KEPT = 5;

/** Same recipient, amount and reference: what makes a resubmitted form a duplicate. */
export function fingerprint(payment: PaymentRequest): string {
  return createHash("sha256")
    .update(JSON.stringify([payment.creditorIban, payment.amount.minor, payment.amount.currency, payment.creditorName, payment.remittanceInfo]))
    .digest("base64url");
}

/** Sends the payment with its Idempotency-Key (and, once confirmed, Auth's SCA token). */
export function sendPayment(customer: RequestSession, key: string, payment: PaymentRequest, scaToken?: string): Promise<PaymentReceipt> {
  return customer.withToken((token, call) => getServices().payments.createPayment(token, key, payment, call, scaToken));
}

/**
 * After Payments accepted it: remembered for the duplicate check, kept for the
 * "sent" page, the pending confirmation (if it was this payment) done; then
 * POST/redirect(303)/GET to /payments/sent.
 */
export async function paymentSent(
  customer: RequestSession,
  context: AppLoadContext,
  key: string,
  payment: PaymentRequest,
  receipt: PaymentReceipt,
): Promise<Response> {
  const now = Date.now();
  await customer.update((session) => {
    const kept = (session.recentPayments ?? []).filter((recent) => recent.key !== key && now - recent.at < DUPLICATE_WINDOW_MS);
    session.recentPayments = [{ fingerprint: fingerprint(payment), key, paymentId: receipt.id, at: now }, ...kept].slice(0, RECENT_KEPT);
    session.lastPayment = {
      paymentId: receipt.id,
      amountMinor: payment.amount.minor,
      currency: payment.amount.currency,
      creditorName: payment.creditorName,
      status: receipt.status,
    };
    if (session.pendingPayment?.key === key) delete session.pendingPayment;
  });
  logger.info({ requestId: context.requestId, replayed: receipt.replayed }, "payment sent");
  return redirect("/payments/sent", { status: 303 });
}
