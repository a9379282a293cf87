import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { getServices, isUpstreamError } from "~/services.server";
import type { TransactionListView, TransactionView } from "../../types/views";
import { SectionUnavailable } from "~/components/section-unavailable";
import { TransactionList } from "~/components/transaction-list";
import { requireCustomer } from "~/session/customer.server";
import { displayLocale, transactionPageView } from "~/views/format.server";
import { section, SECTION_BUDGET_MS } from "~/views/section.server";
import { pageMeta } from "~/meta/page-meta";

const PAGE_SIZE = 20;
const CURSOR = /^[A-Za-z0-9_\-.~=]{1,200}$/;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const customer = await requireCustomer(request, context);
  const cursor = new URL(request.url).searchParams.get("cursor") || null;
  if (cursor !== null && !CURSOR.test(cursor)) {
    return Response.json(
      { cursor: null, transactions: { status: "unavailable", message: "That page link is not valid. Start from your newest transactions." } } satisfies TransactionListView,
      { status: 400 },
    );
  }
  const locale = displayLocale((await customer.profile())?.locale);
  const { transactions } = getServices();
  let staleCursor = false;
  const page = await section(
    "transactions",
    async () => {
      try {
        return await customer.withToken((token, call) => transactions.list(token, { limit: PAGE_SIZE, cursor }, call), {
          timeoutMs: SECTION_BUDGET_MS * 2,
        });
      } catch (error) {
        staleCursor = cursor !== null && isUpstreamError(error, "rejected");
        throw error;
      }
    },
    "Your transactions are unavailable right now.",
    context.requestId,
  );
  const view: TransactionListView = {
    cursor,
    transactions:
      page.status === "ok"
        ? { status: "ok", data: transactionPageView(page.data, locale) }
        : staleCursor
          ? { status: "unavailable", message: "That page link has expired. Start from your newest transactions." }
          : page,
  };
  return Response.json(view, { status: staleCursor ? 400 : 200 });
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Transactions · Northwind Bank",
    description: "Every payment in and out of your Northwind Bank account, newest first.",
  });

export default function Transactions() {
  const view = useLoaderData<TransactionListView>();
  const more = useFetcher<TransactionListView>();
  // Pages fetched in place ("Load more", JavaScript on), after the page the URL names.
  const [appended, setAppended] = useState<{ items: TransactionView[]; nextCursor: string | null } | null>(null);
  useEffect(() => setAppended(null), [view]);
  useEffect(() => {
    const page = more.data?.transactions;
    if (more.state !== "idle" || page?.status !== "ok") return;
    setAppended((current) => ({
      items: [...(current?.items ?? []), ...page.data.items.filter((item) => !current?.items.some((seen) => seen.id === item.id))],
      nextCursor: page.data.nextCursor,
    }));
  }, [more.state, more.data]);

  const page = view.transactions;
  const items = page.status === "ok" ? [...page.data.items, ...(appended?.items ?? [])] : [];
  const nextCursor = appended ? appended.nextCursor : page.status === "ok" ? page.data.nextCursor : null;
  const loadingMore = more.state !== "idle";

  return (
    <section className="card" aria-labelledby="transactions-title">
      <div className="card__header">
        <h1 id="transactions-title">Transactions</h1>
        {view.cursor ? <Link to="/transactions">Newest</Link> : null}
      </div>
      {page.status === "ok" ? (
        <>
          <TransactionList items={items} />
          <div className="pager" aria-live="polite">
            {more.data?.transactions.status === "unavailable" && !loadingMore ? (
              <p className="field__error">{more.data.transactions.message}</p>
            ) : null}
            {nextCursor ? (
              <Link
                className="button"
                to={`/transactions?cursor=${encodeURIComponent(nextCursor)}`}
                aria-disabled={loadingMore}
                onClick={(event) => {
                  // With JavaScript, append the next page here instead of leaving this one.
                  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                  event.preventDefault();
                  if (!loadingMore) more.load(`/transactions?cursor=${encodeURIComponent(nextCursor)}`);
                }}
              >
                {loadingMore ? "Loading…" : "Load more"}
              </Link>
            ) : items.length > 0 ? (
              <p className="muted">That's all your transactions.</p>
            ) : null}
          </div>
        </>
      ) : (
        <SectionUnavailable message={page.message} retry="/transactions" />
      )}
    </section>
  );
}
