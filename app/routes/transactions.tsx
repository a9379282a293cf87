import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { getServices, isUpstreamError } from "~/services.server";
import type { TransactionListView, TransactionPageView, TransactionView } from "../../types/views";
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
    return data(
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
  return data(view, { status: staleCursor ? 400 : 200 });
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Transactions · Northwind Bank",
    description: "Every payment in and out of your Northwind Bank account, newest first.",
  });

export default function Transactions() {
  const view = useLoaderData<TransactionListView>();
  const more = useFetcher<TransactionListView>();
  const appended = useAppendedPages(view, more.state === "idle" ? more.data : undefined);
  const loadingMore = more.state !== "idle";

  const page = view.transactions;
  const items = page.status === "ok" ? [...page.data.items, ...(appended?.items ?? [])] : [];
  const nextCursor = appended ? appended.nextCursor : page.status === "ok" ? page.data.nextCursor : null;

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

interface AppendedPages {
  items: TransactionView[];
  nextCursor: string | null;
}

/**
 * The pages "Load more" fetched in place (JavaScript on), after the page the URL names.
 *
 * Merged while rendering, not in an effect: an effect keyed on the fetcher's data was
 * seen to be skipped under CPU load (React 18 committed the render with the new data
 * without running the effect; the router's updates arrive as transitions), and the page
 * was lost. Setting state while rendering is React's pattern for state derived from a
 * changing input, and a render React throws away takes its update with it.
 */
function useAppendedPages(view: TransactionListView, answer: TransactionListView | undefined): AppendedPages | null {
  const [merged, setMerged] = useState({ view, taken: answer, appended: null as AppendedPages | null });
  if (merged.view !== view) {
    // The loader brought another page (e.g. "Newest"): start again after it.
    setMerged({ view, taken: answer, appended: null });
    return null;
  }
  if (answer === undefined || answer === merged.taken) return merged.appended;
  const page = answer.transactions;
  // An unavailable page keeps what is there; "Load more" then asks for the same page again.
  const appended = page.status === "ok" ? append(merged.appended, page.data) : merged.appended;
  setMerged({ view, taken: answer, appended });
  return appended;
}

function append(before: AppendedPages | null, page: TransactionPageView): AppendedPages {
  const seen = new Set(before?.items.map((item) => item.id));
  return { items: [...(before?.items ?? []), ...page.items.filter((item) => !seen.has(item.id))], nextCursor: page.nextCursor };
}
