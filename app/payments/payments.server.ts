import { createHash, randomUUID } from "node:crypto";
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { Account } from "../../types/domain";
import { formValues, readForm } from "../forms.server";
import { logger } from "../logger.server";
import { getServices, isUpstreamError } from "../services.server";
import { requireCustomer, type RequestSession } from "../session/customer.server";
import type { RecentPayment } from "../session/store.server";
import { paymentFormErrors, paymentFormSchema, type PaymentFormErrors, type PaymentFormValues } from "./payment-form";

/** A second identical payment within this window asks for confirmation first. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
const RECENT_KEPT = 5;
const KEY = /^[0-9a-f-]{36}$/;

export function mintIdempotencyKey(): string {
  return randomUUID();
}

/** What the payment form gets back when it must be shown again. */
export interface PaymentActionData {
  errors: PaymentFormErrors;
  values: Record<string, string>;
  /** The key the form must resubmit with: the same one unless a new payment is intended. */
  idempotencyKey: string;
  /** Set when this exact payment was sent moments ago. */
  duplicateOf?: { at: number };
}

function formAgain(status: number, data: PaymentActionData) {
  return Response.json(data, { status });
}

/** Same recipient, amount and reference: what makes a resubmitted form a duplicate. */
function fingerprint(payment: PaymentFormValues, currency: string): string {
  return createHash("sha256")
    .update(JSON.stringify([payment.creditorIban, payment.amount, currency, payment.creditorName, payment.remittanceInfo]))
    .digest("base64url");
}

/**
 * Sends a payment once:
 * - the form carries an Idempotency-Key minted when it was rendered, so a double
 *   click, a refresh-resubmit or a retry after a timeout replays the first result;
 * - a form rendered again (back button, new tab) has a new key, so the session
 *   remembers recent payments and asks before sending the same one twice;
 * - on success, POST/redirect/GET to the confirmation.
 */
export async function submitPayment(request: Request, context: AppLoadContext): Promise<Response> {
  const customer = await requireCustomer(request, context);
  const { form } = await readForm(request);
  const values = formValues(form);
  const key = values.idempotencyKey ?? "";
  const echo = {
    creditorName: values.creditorName ?? "",
    creditorIban: values.creditorIban ?? "",
    amount: values.amount ?? "",
    remittanceInfo: values.remittanceInfo ?? "",
  };
  if (!KEY.test(key)) {
    return formAgain(400, {
      errors: { form: "This form has expired. Check the details and send again." },
      values: echo,
      idempotencyKey: mintIdempotencyKey(),
    });
  }

  const { payments } = getServices();
  let account: Account;
  try {
    account = await customer.withToken((token, call) => payments.currentAccount(token, call));
  } catch (error) {
    if (error instanceof Response) throw error;
    logger.warn({ requestId: context.requestId, err: String(error) }, "payment: account unavailable");
    return formAgain(503, {
      errors: { form: "We can't send payments right now. Nothing was sent; please try again in a minute." },
      values: echo,
      idempotencyKey: key,
    });
  }

  const currency = account.available.currency;
  const parsed = paymentFormSchema(currency).safeParse(echo);
  if (!parsed.success) {
    return formAgain(400, { errors: paymentFormErrors(parsed.error), values: echo, idempotencyKey: key });
  }
  const payment = parsed.data;
  const print = fingerprint(payment, currency);

  const session = await customer.get();
  const earlier = session?.recentPayments?.find(
    (recent) => recent.fingerprint === print && Date.now() - recent.at < DUPLICATE_WINDOW_MS,
  );
  if (earlier && earlier.key !== key && values.confirmDuplicate !== "yes") {
    return formAgain(409, {
      errors: { form: "You already sent this exact payment a moment ago. It has not been sent again." },
      values: echo,
      idempotencyKey: key,
      duplicateOf: { at: earlier.at },
    });
  }

  try {
    const receipt = await customer.withToken((token, call) =>
      payments.createPayment(token, key, {
        creditorName: payment.creditorName,
        creditorIban: payment.creditorIban,
        amount: { minor: payment.amount, currency },
        remittanceInfo: payment.remittanceInfo,
      }, call),
    );
    await rememberPayment(customer, {
      fingerprint: print,
      key,
      paymentId: receipt.id,
      at: Date.now(),
    });
    await customer.update((current) => {
      current.lastPayment = {
        paymentId: receipt.id,
        amountMinor: payment.amount,
        currency,
        creditorName: payment.creditorName,
        status: receipt.status,
      };
    });
    logger.info({ requestId: context.requestId, replayed: receipt.replayed }, "payment sent");
    return redirect("/payments/sent", { status: 303 });
  } catch (error) {
    if (error instanceof Response) throw error;
    return formAgain(...paymentFailure(error, context, echo, key));
  }
}

async function rememberPayment(customer: RequestSession, payment: RecentPayment) {
  await customer.update((session) => {
    const kept = (session.recentPayments ?? []).filter(
      (recent) => recent.key !== payment.key && Date.now() - recent.at < DUPLICATE_WINDOW_MS,
    );
    session.recentPayments = [payment, ...kept].slice(0, RECENT_KEPT);
  });
}

/** Upstream refusals in the customer's words; anything uncertain keeps the key so a retry cannot pay twice. */
function paymentFailure(
  error: unknown,
  context: AppLoadContext,
  values: Record<string, string>,
  key: string,
): [number, PaymentActionData] {
  if (isUpstreamError(error, "rejected") && error.status === 422) {
    if (error.code === "Insufficient funds") {
      return [422, { errors: { amount: "The amount is more than your available balance." }, values, idempotencyKey: key }];
    }
    if (error.code === "Idempotency-Key reused") {
      // This form already paid something else: a new key makes this a new payment.
      return [
        422,
        {
          errors: { form: "This form was already used for a different payment. Check the details and send again." },
          values,
          idempotencyKey: mintIdempotencyKey(),
        },
      ];
    }
    return [422, { errors: { form: "The bank refused this payment. Check the details and try again." }, values, idempotencyKey: key }];
  }
  logger.error({ requestId: context.requestId, err: String(error) }, "payment: outcome unknown");
  return [
    503,
    {
      errors: {
        form: "We couldn't confirm your payment. Check your transactions before trying again; sending this form again will not pay twice.",
      },
      values,
      idempotencyKey: key,
    },
  ];
}
