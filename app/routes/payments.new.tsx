import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import type { PaymentFormView } from "../../types/views";
import { ErrorAlert } from "~/components/error-alert";
import { FormField } from "~/components/form-field";
import { SectionUnavailable } from "~/components/section-unavailable";
import { NAME_MAX, paymentFormErrors, paymentFormSchema, REFERENCE_MAX, type PaymentFormErrors } from "~/payments/payment-form";
import { mintIdempotencyKey, submitPayment, type PaymentActionData } from "~/payments/payments.server";
import { balanceSection } from "~/payments/account.server";
import { requireCustomer } from "~/session/customer.server";
import { pageMeta } from "~/meta/page-meta";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const view: PaymentFormView = {
    idempotencyKey: mintIdempotencyKey(),
    account: await balanceSection(customer, context, "Payments are unavailable right now. Please try again in a minute."),
  };
  return view;
}

export async function action({ request, context }: ActionFunctionArgs) {
  return submitPayment(request, context);
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Send money · Northwind Bank",
    description: "Send money from your Northwind Bank account to any IBAN.",
  });

export default function NewPayment() {
  const view = useLoaderData<PaymentFormView>();
  const result = useActionData<PaymentActionData>();
  const navigation = useNavigation();
  const sending = navigation.state === "submitting" && navigation.formAction === "/payments/new";
  // Browser-side check with the server's own schema: instant messages, no round trip.
  const [clientErrors, setClientErrors] = useState<PaymentFormErrors | null>(null);
  const errors = clientErrors ?? result?.errors ?? {};
  const values = result?.values ?? {};
  const key = result?.idempotencyKey ?? view.idempotencyKey;

  if (view.account.status === "unavailable") {
    return (
      <section className="card narrow" aria-labelledby="payment-title">
        <h1 id="payment-title">Send money</h1>
        <SectionUnavailable message={view.account.message} retry="/payments/new" />
      </section>
    );
  }
  const { available, currency } = view.account.data;

  function validate(event: FormEvent<HTMLFormElement>) {
    const data = Object.fromEntries(new FormData(event.currentTarget));
    const parsed = paymentFormSchema(currency).safeParse(data);
    if (parsed.success) {
      setClientErrors(null);
      return;
    }
    event.preventDefault();
    const found = paymentFormErrors(parsed.error);
    setClientErrors(found);
    const first = Object.keys(found)[0];
    if (first) event.currentTarget.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
  }

  return (
    <section className="card narrow" aria-labelledby="payment-title">
      <h1 id="payment-title">Send money</h1>
      <p className="muted">
        Available to send: <strong>{available.text}</strong>
      </p>
      <ErrorAlert message={errors.form} />
      <Form method="post" onSubmit={validate} noValidate>
        <input type="hidden" name="idempotencyKey" value={key} />
        <FormField name="creditorName" label="Recipient name" autoComplete="off" maxLength={NAME_MAX} required defaultValue={values.creditorName} error={errors.creditorName} />
        <FormField
          name="creditorIban"
          label="IBAN"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="characters"
          required
          defaultValue={values.creditorIban}
          error={errors.creditorIban}
          hint="For example GB82 WEST 1234 5698 7654 32"
        />
        <FormField
          name="amount"
          label="Amount"
          inputMode="decimal"
          autoComplete="off"
          required
          defaultValue={values.amount}
          error={errors.amount}
          hint={`In ${currency}`}
        />
        <FormField name="remittanceInfo" label="Reference" autoComplete="off" maxLength={REFERENCE_MAX} defaultValue={values.remittanceInfo} error={errors.remittanceInfo} hint="Shown to the recipient" />
        {result?.duplicateOf ? (
          <div className="field field--check">
            <input type="checkbox" id="confirmDuplicate" name="confirmDuplicate" value="yes" required />
            <label htmlFor="confirmDuplicate">Yes, send the same payment again</label>
          </div>
        ) : null}
        <button type="submit" className="button button--primary" disabled={sending} aria-disabled={sending}>
          {sending ? "Sending…" : "Send payment"}
        </button>
      </Form>
    </section>
  );
}
