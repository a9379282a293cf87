import { z } from "zod";
import type { Account, PaymentReceipt, PaymentRequest } from "../types/domain";
import { decimalToMinor, minorToDecimal } from "../types/money";
import type { CallContext, ServiceHttp } from "./http.server";
import { bearer } from "./bearer.server";
import { isUpstreamError } from "./errors.server";

const currency = z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code");

// Payments speaks camelCase with money as decimal strings; we carry minor units.
const accountSchema = z
  .object({
    accountId: z.string().min(1),
    iban: z.string().min(1),
    currency,
    availableBalance: z.string(),
    ledgerBalance: z.string(),
  })
  .transform((account, ctx): Account => {
    const available = decimalToMinor(account.availableBalance, account.currency);
    const ledger = decimalToMinor(account.ledgerBalance, account.currency);
    if (available === undefined || ledger === undefined) {
      ctx.addIssue({ code: "custom", message: "balance is not a decimal amount in the account currency" });
      return z.NEVER;
    }
    return {
      id: account.accountId,
      iban: account.iban,
      available: { minor: available, currency: account.currency },
      ledger: { minor: ledger, currency: account.currency },
    };
  });

const paymentSchema = z.object({
  paymentId: z.string().min(1),
  status: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
});

export function createPaymentsClient(http: ServiceHttp) {
  return {
    async currentAccount(accessToken: string, context?: CallContext): Promise<Account> {
      const { data } = await http.request({
        method: "GET",
        path: "/v2/accounts/current",
        headers: bearer(accessToken),
        schema: accountSchema,
        context,
      });
      return data;
    },

    /**
     * Idempotent by `idempotencyKey`: the same key with the same payment returns the
     * first receipt (`replayed: true`), so a resubmitted form never pays twice.
     * Over-balance and other refusals surface as `UpstreamError` kind "rejected" (422);
     * a payment that needs strong customer authentication as a 403 (`scaRefusal`).
     */
    async createPayment(
      accessToken: string,
      idempotencyKey: string,
      payment: PaymentRequest,
      context?: CallContext,
      /** Auth's proof of strong customer authentication for exactly this payment. */
      scaToken?: string,
    ): Promise<PaymentReceipt> {
      const headers: Record<string, string> = { "idempotency-key": idempotencyKey, ...bearer(accessToken) };
      if (scaToken !== undefined) headers["sca-token"] = scaToken;
      const { status, data } = await http.request({
        method: "POST",
        path: "/v2/payments",
        headers,
        body: {
          creditorIban: payment.creditorIban,
          creditorName: payment.creditorName,
          amount: minorToDecimal(payment.amount.minor, payment.amount.currency),
          currency: payment.amount.currency,
          remittanceInfo: payment.remittanceInfo,
        },
        schema: paymentSchema,
        context,
      });
      return { id: data.paymentId, status: data.status, createdAt: data.createdAt, replayed: status === 200 };
    },
  };
}

export type PaymentsClient = ReturnType<typeof createPaymentsClient>;

/**
 * Payments' answer when a payment needs strong customer authentication: 403
 * "sca_required" (nothing booked; send it again with an SCA token) or
 * "sca_invalid" (the token was not good for this payment). Undefined otherwise.
 */
export function scaRefusal(error: unknown): "sca_required" | "sca_invalid" | undefined {
  if (!isUpstreamError(error, "rejected") || error.status !== 403) return undefined;
  return error.code === "sca_required" || error.code === "sca_invalid" ? error.code : undefined;
}
