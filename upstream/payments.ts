import type { RequestHandler } from "msw";
import { z } from "zod";
import { authenticate } from "./grants";
import { isValidIban, normalizeIban } from "./iban";
import { formatCents, parseAmount } from "./money";
import { canonicalJson, healthRoute, invalidToken, json, readJson } from "./responses";
import type { Customer, StandinState } from "./state";
import { route, toHandlers, type Route } from "./routes";
import { decideSca, recordSca } from "./sca-policy";
import { verifyScaToken } from "./sca-token";

/**
 * Payments: the balance and payment creation, in camelCase with decimal strings
 * and RFC 7807-style `{"title","detail"}` errors. Payment creation is idempotent
 * per (user, Idempotency-Key), so a double submit pays once. A valid payment that
 * is not exempt needs strong customer authentication (sca-policy.ts): 403
 * `sca_required`, nothing booked, and the key is free for the retry with an `SCA-Token`.
 */

function problem(status: number, title: string, detail: string): Response {
  return json(status, { title, detail });
}

function scaProblem(code: "sca_required" | "sca_invalid", title: string, detail: string): Response {
  return json(403, { title, detail, code });
}

/** The fat account record, balances formatted from the integer cents the state keeps. */
function accountView(customer: Customer) {
  const { account } = customer;
  return {
    accountId: account.accountId,
    iban: account.iban,
    bic: account.details.bic,
    currency: account.currency,
    availableBalance: formatCents(account.availableCents),
    ledgerBalance: formatCents(account.ledgerCents),
    holderName: account.details.holderName,
    accountType: account.details.accountType,
    productCode: account.details.productCode,
    status: account.details.status,
    openedAt: account.details.openedAt,
    overdraftLimit: account.details.overdraftLimit,
    interestRate: account.details.interestRate,
    limits: { currency: account.currency, ...account.details.limits },
    branch: account.details.branch,
    lastStatementAt: account.details.lastStatementAt,
    flags: account.details.flags,
  };
}

const paymentSchema = z.object({
  creditorIban: z.string().min(1, "is required"),
  creditorName: z.string().trim().min(1, "is required").max(70, "must be at most 70 characters"),
  amount: z.string().min(1, "is required"),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR"),
  remittanceInfo: z.string().max(140, "must be at most 140 characters").nullish(),
});

const MAX_KEY_LENGTH = 255;

export function paymentsRoutes(state: StandinState): Route[] {
  return [
    healthRoute(),

    route("GET", "/v2/accounts/current", async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      return json(200, accountView(customer), { "cache-control": "private, no-store" });
    }),

    route("POST", "/v2/payments", async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();

      const key = request.headers.get("idempotency-key")?.trim();
      if (!key) {
        return problem(400, "Idempotency-Key required", "Send an Idempotency-Key header, unique per payment.");
      }
      if (key.length > MAX_KEY_LENGTH) {
        return problem(400, "Invalid Idempotency-Key", `The key must be at most ${MAX_KEY_LENGTH} characters.`);
      }
      const body = await readJson(request);
      if (!body) return problem(400, "Malformed request", "The body is not valid JSON.");
      // Verified before the synchronous part below (signature checks are async); used
      // only there, after validation: an invalid payment is refused without a challenge.
      const scaToken = state.scaRequired ? request.headers.get("sca-token")?.trim() : undefined;
      const scaClaims = scaToken ? await verifyScaToken(state, scaToken) : undefined;

      // Everything from here on is synchronous, so concurrent requests with one key
      // cannot both pass the idempotency check: the second sees the first's record.
      const scopedKey = `${customer.user.user_id}\n${key}`;
      const fingerprint = canonicalJson(body.value);
      const previous = state.idempotency.get(scopedKey);
      if (previous) {
        if (previous.bodyFingerprint !== fingerprint) {
          return problem(422, "Idempotency-Key reused", "This Idempotency-Key was already used with a different request body.");
        }
        return json(200, previous.response, { "idempotent-replayed": "true" });
      }

      const parsed = paymentSchema.safeParse(body.value);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((issue) => `${issue.path.join(".") || "body"} ${issue.message}`)
          .join("; ");
        return problem(422, "Invalid payment", detail);
      }
      const payment = parsed.data;
      const { account } = customer;
      const cents = parseAmount(payment.amount);
      if (cents === undefined || cents <= 0) {
        return problem(422, "Invalid payment", 'amount must be a positive decimal with at most 2 decimals, e.g. "12.50"');
      }
      if (payment.currency !== account.currency) {
        return problem(422, "Invalid payment", `currency must be the account's currency (${account.currency})`);
      }
      const creditorIban = normalizeIban(payment.creditorIban);
      if (!isValidIban(creditorIban)) return problem(422, "Invalid payment", "creditorIban is not a valid IBAN");
      if (cents > account.availableCents) {
        return problem(422, "Insufficient funds", "The amount exceeds the available balance.");
      }
      const scaPayment = { userId: customer.user.user_id, amountCents: cents, currency: account.currency, creditorIban };
      const sca = decideSca(state, scaPayment, scaToken, scaClaims);
      if (sca.outcome === "sca_required") {
        // Nothing booked and the key not remembered: the same key with a token books it.
        return scaProblem("sca_required", "Strong customer authentication required", "Confirm this payment with Auth and send it again with an SCA-Token.");
      }
      if (sca.outcome === "sca_invalid") {
        return scaProblem("sca_invalid", "Invalid SCA token", "The SCA-Token is invalid, expired, already used, or for another payment.");
      }
      recordSca(state, scaPayment, sca, scaClaims);

      account.availableCents -= cents; // pending: the ledger balance moves when it settles
      const paymentId = `pmt_${String(state.nextSequence()).padStart(10, "0")}`;
      const createdAt = new Date(state.now()).toISOString();
      customer.transactions.unshift({
        id: `txn_${paymentId}`,
        amount_minor: -cents,
        currency: account.currency,
        booked_at: createdAt,
        counterparty: { name: payment.creditorName, iban: creditorIban },
        category: "transfer",
        raw: {
          status: "pending",
          channel: "sepa",
          mcc: null,
          value_date: createdAt.slice(0, 10),
          bank_transaction_code: "PMNT-ICDT-ESCT",
          payment_id: paymentId,
          remittance_info: payment.remittanceInfo ?? null,
          original_amount: { value: formatCents(cents), currency: account.currency },
          reconciled: false,
        },
      });
      const response = { paymentId, status: "pending" as const, createdAt };
      state.idempotency.set(scopedKey, { bodyFingerprint: fingerprint, response });
      return json(201, response, { location: `/v2/payments/${paymentId}` });
    }),
  ];
}

/** The service as msw handlers: for in-process use (msw's setupServer) and per-test overrides. */
export function paymentsHandlers(state: StandinState): RequestHandler[] {
  return toHandlers(paymentsRoutes(state));
}
