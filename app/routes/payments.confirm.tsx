import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import type { PaymentChallengeView } from "../../types/views";
import { ErrorAlert } from "~/components/error-alert";
import { ConfirmWithPasskey } from "~/components/confirm-with-passkey";
import { OneTimeCodeField } from "~/components/form-field";
import { SubmitButton } from "~/components/submit-button";
import { pageMeta } from "~/meta/page-meta";
import { hasPasskey } from "~/passkeys/payment.server";
import { challengeView, confirmPayment, type ConfirmActionData } from "~/payments/confirmation.server";
import { requestSession } from "~/session/customer.server";

// A payment that Payments wants confirmed (strong customer authentication, decision 019).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const view = await challengeView(request, context);
  const passkey = await hasPasskey(requestSession(request, context), context.requestId);
  return { passkey, ...view } satisfies ConfirmPageData;
}

/** The page's data: the pending payment, and whether "Confirm with passkey" may be offered. */
type ConfirmPageData = PaymentChallengeView & { passkey: boolean };

export async function action({ request, context }: ActionFunctionArgs) {
  return confirmPayment(request, context);
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Confirm your payment · Northwind Bank",
    description: "Confirm a payment to a new payee with the code we sent you, or with your passkey.",
  });

export default function ConfirmPayment() {
  const view = useLoaderData<ConfirmPageData>();
  const result = useActionData<ConfirmActionData>();
  const errors = result?.errors ?? {};
  const triesLeft = result?.triesLeft ?? view.triesLeft;

  // With JavaScript the page stays after a wrong code: bring the customer back to the field.
  useEffect(() => {
    if (errors.code) document.getElementById("code")?.focus();
  }, [errors.code, result]);

  return (
    <section className="card narrow" aria-labelledby="confirm-title">
      <h1 id="confirm-title">Confirm your payment</h1>
      <dl className="facts">
        <div>
          <dt>Amount</dt>
          <dd data-testid="confirm-amount">
            <strong>{view.amount.text}</strong>
          </dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{view.creditorName}</dd>
        </div>
        <div>
          <dt>IBAN</dt>
          <dd>{view.creditorIban}</dd>
        </div>
        {view.remittanceInfo ? (
          <div>
            <dt>Reference</dt>
            <dd>{view.remittanceInfo}</dd>
          </div>
        ) : null}
      </dl>
      <ErrorAlert message={errors.form} />
      {result?.notice ? (
        <p className="alert alert--success" role="status">
          {result.notice}
        </p>
      ) : null}
      {result?.refused ? (
        <p className="actions">
          <Link className="button button--primary" to="/payments/new">
            Back to the payment form
          </Link>
        </p>
      ) : (
        <>
          <p>
            We&apos;ve sent you a 6-digit code. The message names this amount and the last four characters of the IBAN: check
            them before you enter the code.
          </p>
          <Form method="post">
            <input type="hidden" name="payment" value={view.paymentKey} />
            <OneTimeCodeField
              label="Confirmation code"
              error={errors.code}
              hint={triesLeft < 5 && !errors.code ? `${triesLeft === 1 ? "1 try" : `${triesLeft} tries`} left.` : undefined}
            />
            <SubmitButton name="intent" value="confirm" pending="Confirming…">
              Confirm payment
            </SubmitButton>
          </Form>
          {view.passkey ? <ConfirmWithPasskey paymentKey={view.paymentKey} /> : null}
          <Form method="post" className="inline-form">
            <input type="hidden" name="payment" value={view.paymentKey} />
            <SubmitButton
              name="intent"
              value="resend"
              pending="Sending…"
              className={result?.challengeGone ? "button button--primary" : "button button--link"}
            >
              Send a new code
            </SubmitButton>
          </Form>
          <p className="muted-link">
            <Link to="/payments/new">Change the payment</Link>
          </p>
        </>
      )}
    </section>
  );
}
