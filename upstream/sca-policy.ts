import { confirmsPayment, type ScaPayment, type ScaTokenClaims } from "./sca-token";
import type { StandinState } from "./state";

/**
 * Payments' rule for when a payment needs strong customer authentication (PSD2
 * RTS Art. 16, low-value payments): exempt when the amount is at most 30.00 and,
 * since the customer's last payment confirmed with SCA, the exempt payments
 * (this one included) add up to at most 100.00 and number at most five.
 */

export const EXEMPT_MAX_CENTS = 30_00;
export const EXEMPT_TOTAL_MAX_CENTS = 100_00;
export const EXEMPT_MAX_COUNT = 5;

export type ScaDecision =
  /** Book it; `confirmed` when an SCA token confirmed it (the counters start again). */
  | { outcome: "book"; confirmed: boolean }
  | { outcome: "sca_required" }
  | { outcome: "sca_invalid" };

/**
 * What to do with an otherwise valid payment. `token` is the `SCA-Token` header
 * (undefined: none sent), `claims` its verified claims (undefined: bad or expired).
 * Synchronous, so the caller can decide and book without another request in between.
 */
export function decideSca(
  state: StandinState,
  payment: ScaPayment,
  token: string | undefined,
  claims: ScaTokenClaims | undefined,
): ScaDecision {
  if (!state.scaRequired) return { outcome: "book", confirmed: false };
  if (token !== undefined) {
    if (!claims || state.spentScaTokens.has(claims.jti) || !confirmsPayment(claims, payment)) return { outcome: "sca_invalid" };
    return { outcome: "book", confirmed: true };
  }
  const counter = state.scaExemptions.get(payment.userId) ?? { count: 0, totalCents: 0 };
  const exempt =
    payment.amountCents <= EXEMPT_MAX_CENTS &&
    counter.totalCents + payment.amountCents <= EXEMPT_TOTAL_MAX_CENTS &&
    counter.count + 1 <= EXEMPT_MAX_COUNT;
  return exempt ? { outcome: "book", confirmed: false } : { outcome: "sca_required" };
}

/** Records a booked payment: an SCA-confirmed one spends its token and resets the counters; an exempt one counts. */
export function recordSca(state: StandinState, payment: ScaPayment, decision: ScaDecision, claims: ScaTokenClaims | undefined): void {
  if (!state.scaRequired || decision.outcome !== "book") return;
  if (decision.confirmed && claims) {
    state.spentScaTokens.add(claims.jti);
    state.scaExemptions.delete(payment.userId);
    return;
  }
  const counter = state.scaExemptions.get(payment.userId) ?? { count: 0, totalCents: 0 };
  state.scaExemptions.set(payment.userId, { count: counter.count + 1, totalCents: counter.totalCents + payment.amountCents });
}
