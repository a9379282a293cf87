import { Link } from "@remix-run/react";
import type { DashboardView } from "../../types/views";
import { SectionUnavailable } from "./section-unavailable";
import { SponsoredAd } from "./sponsored-ad";
import { TransactionList } from "./transaction-list";

/** The dashboard's markup for its view: the route renders it, and so does the benchmark's Remix floor (bench/floor). */
export function DashboardPage({ view }: { view: DashboardView }) {
  return (
    <div className="dashboard">
      <header className="page-header">
        <p className="eyebrow">Overview</p>
        <h1>{view.customer.status === "ok" ? `Welcome, ${view.customer.data.fullName}` : "Welcome"}</h1>
        {view.customer.status === "unavailable" ? <SectionUnavailable message={view.customer.message} retry="/dashboard" /> : null}
      </header>

      <div className="dashboard__grid">
        <section className="card balance" aria-labelledby="balance-title">
          <h2 id="balance-title">Available balance</h2>
          {view.balance.status === "ok" ? (
            <>
              <p className="balance__amount" data-testid="balance">
                {view.balance.data.available.text}
              </p>
              <p className="balance__iban">
                <span className="visually-hidden">IBAN </span>
                {view.balance.data.iban}
              </p>
              <Link className="button button--primary" to="/payments/new">
                Send money
              </Link>
            </>
          ) : (
            <SectionUnavailable message={view.balance.message} retry="/dashboard" />
          )}
        </section>

        <section className="card recent" aria-labelledby="recent-title">
          <div className="card__header">
            <h2 id="recent-title">Recent transactions</h2>
            <Link to="/transactions">See all</Link>
          </div>
          {view.recentTransactions.status === "ok" ? (
            <TransactionList items={view.recentTransactions.data} />
          ) : (
            <SectionUnavailable message={view.recentTransactions.message} retry="/dashboard" />
          )}
        </section>

        {view.ad.status === "ok" && view.ad.data ? <SponsoredAd ad={view.ad.data} /> : null}
      </div>
    </div>
  );
}
