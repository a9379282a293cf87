import type { TransactionView } from "../../types/views";

export function TransactionList({ items }: { items: TransactionView[] }) {
  if (items.length === 0) return <p className="empty">No transactions yet.</p>;
  return (
    <ol className="transactions" aria-label="Transactions, newest first">
      {items.map((item) => (
        <li key={item.id} className="transaction">
          <div className="transaction__main">
            <span className="transaction__party">{item.counterparty}</span>
            <span className="transaction__meta">
              <time dateTime={item.bookedAt}>{item.bookedAtText}</time> · {item.category}
            </span>
          </div>
          <span className={`transaction__amount transaction__amount--${item.direction}`}>
            {item.direction === "out" ? <span className="visually-hidden">Paid </span> : <span className="visually-hidden">Received </span>}
            {item.amount.text}
          </span>
        </li>
      ))}
    </ol>
  );
}
