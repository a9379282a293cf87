import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { PaymentConfirmationView } from "../../types/views";
import { SectionUnavailable } from "~/components/section-unavailable";
import { balanceSection } from "~/payments/account.server";
import { requireCustomer } from "~/session/customer.server";
import { displayLocale, moneyView } from "~/views/format.server";
import { pageMeta } from "~/meta/page-meta";

// The confirmation of the last payment (POST/redirect/GET target), with the new balance.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const session = await customer.get();
  const payment = session?.lastPayment;
  if (!payment) throw redirect("/payments/new");
  const locale = displayLocale(session.profile?.locale);
  const balance = await balanceSection(customer, context, "Your new balance is unavailable right now.");
  const view: PaymentConfirmationView = {
    paymentId: payment.paymentId,
    amount: moneyView({ minor: payment.amountMinor, currency: payment.currency }, locale),
    creditorName: payment.creditorName,
    status: payment.status,
    balance,
  };
  return view;
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Payment sent · Northwind Bank",
    description: "Your payment is on its way: the confirmation and your new balance.",
  });

export default function PaymentSent() {
  const view = useLoaderData<PaymentConfirmationView>();
  return (
    <section className="card narrow" aria-labelledby="sent-title">
      <p className="eyebrow">Payment {view.status}</p>
      <h1 id="sent-title">
        {view.amount.text} is on its way to {view.creditorName}
      </h1>
      <dl className="facts">
        <div>
          <dt>Reference number</dt>
          <dd>{view.paymentId}</dd>
        </div>
        <div>
          <dt>New available balance</dt>
          <dd data-testid="balance">
            {view.balance.status === "ok" ? view.balance.data.available.text : <SectionUnavailable message={view.balance.message} retry="/payments/sent" />}
          </dd>
        </div>
      </dl>
      <p className="actions">
        <Link className="button button--primary" to="/dashboard">
          Back to overview
        </Link>
        <Link className="button" to="/payments/new">
          Send another payment
        </Link>
      </p>
    </section>
  );
}
