import { randomUUID } from "node:crypto";
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { Account, PaymentRequest } from "../../types/domain";
import { formValues, readForm } from "../forms.server";
import { logger } from "../logger.server";
import { getServices, isUpstreamError, scaRefusal } from "../services.server";
import { requireCustomer } from "../session/customer.server";
import { askForConfirmation } from "./confirmation.server";
import { paymentFormErrors, paymentFormSchema, type PaymentFormErrors } from "./payment-form";
import { DUPLICATE_WINDOW_MS, fingerprint, paymentSent, sendPayment } from "./send.server";

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

/**
 * Sends a payment once:
 * - the form carries an Idempotency-Key minted when it was rendered, so a double
 *   click, a refresh-resubmit or a retry after a timeout replays the first result;
 * - a form rendered again (back button, new tab) has a new key, so the session
 *   remembers recent payments and asks before sending the same one twice;
 * - on success, POST/redirect/GET to the confirmation;
 * - when Payments asks for strong customer authentication, the payment waits in
 *   the session and the customer confirms it on /payments/confirm (decision 019).
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
  const payment: PaymentRequest = {
    creditorName: parsed.data.creditorName,
    creditorIban: parsed.data.creditorIban,
    amount: { minor: parsed.data.amount, currency },
    remittanceInfo: parsed.data.remittanceInfo,
  };
  const print = fingerprint(payment);

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
    const receipt = await sendPayment(customer, key, payment);
    return await paymentSent(customer, context, key, payment, receipt);
  } catch (error) {
    if (error instanceof Response) throw error;
    if (scaRefusal(error) === "sca_required") {
      // Nothing was booked and the key is still free: the confirmed payment reuses it.
      if (await askForConfirmation(customer, context, key, payment)) return redirect("/payments/confirm", { status: 303 });
      return formAgain(503, {
        errors: { form: "We can't ask you to confirm this payment right now. Nothing was sent; please try again in a minute." },
        values: echo,
        idempotencyKey: key,
      });
    }
    return formAgain(...paymentFailure(error, context, echo, key));
  }
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
