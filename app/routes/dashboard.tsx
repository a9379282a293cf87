import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { DashboardView } from "../../types/views";
import { DashboardPage } from "~/components/dashboard-page";
import { formatIban } from "~/payments/iban";
import { getServices } from "~/services.server";
import { requireCustomer } from "~/session/customer.server";
import { displayLocale, moneyView, profileHints, transactionView } from "~/views/format.server";
import { section, SECTION_BUDGET_MS } from "~/views/section.server";
import { pageMeta } from "~/meta/page-meta";

const RECENT_COUNT = 5;

/**
 * Users, Payments, Transactions and Ads in parallel, each within its own time
 * budget; one failing service degrades its section only. The ad is personalised
 * here, from the segment kept in the session: the browser never sees segments.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const hints = await customer.profile();
  const { users, payments, transactions, ads } = getServices();
  const budget = { timeoutMs: SECTION_BUDGET_MS };
  const { requestId } = context;

  const [profile, account, recent, adList] = await Promise.all([
    section("customer", () => customer.withToken((token, call) => users.me(token, call), budget), "We couldn't load your details just now.", requestId),
    section("balance", () => customer.withToken((token, call) => payments.currentAccount(token, call), budget), "Your balance is unavailable right now.", requestId),
    section(
      "transactions",
      () => customer.withToken((token, call) => transactions.list(token, { limit: RECENT_COUNT }, call), budget),
      "Your recent transactions are unavailable right now.",
      requestId,
    ),
    section(
      "ad",
      () => ads.list({ placement: "inline", segment: hints?.segment }, { signal: request.signal, trace: context.trace, ...budget }),
      "",
      requestId,
    ),
  ]);

  const fresh = profile.status === "ok" ? profileHints(profile.data) : undefined;
  if (fresh) await customer.update((session) => void (session.profile = fresh));
  const locale = displayLocale(fresh?.locale ?? hints?.locale);

  const view: DashboardView = {
    customer: fresh
      ? { status: "ok", data: { firstName: fresh.firstName, fullName: fresh.fullName } }
      : hints
        ? { status: "ok", data: { firstName: hints.firstName, fullName: hints.fullName } }
        : { status: "unavailable", message: "We couldn't load your details just now." },
    balance:
      account.status === "ok"
        ? { status: "ok", data: { available: moneyView(account.data.available, locale), iban: formatIban(account.data.iban) } }
        : account,
    recentTransactions:
      recent.status === "ok"
        ? { status: "ok", data: recent.data.items.map((item) => transactionView(item, locale)) }
        : recent,
    ad: adList.status === "ok" ? { status: "ok", data: adList.data[0] ?? null } : { status: "ok", data: null },
  };
  return view;
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Overview · Northwind Bank",
    description: "Your balance, recent transactions and account overview at Northwind Bank.",
  });

export default function Dashboard() {
  return <DashboardPage view={useLoaderData<DashboardView>()} />;
}
