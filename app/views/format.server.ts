import type { Transaction, TransactionPage, UserProfile } from "../../types/domain";
import { formatMoney, type Money } from "../../types/money";
import type { MoneyView, TransactionPageView, TransactionView } from "../../types/views";
import type { ProfileHints } from "../session/store.server";

export const FALLBACK_LOCALE = "en-GB";

// Intl look-ups and formatters are slow to build and fast to use: they are kept
// per locale (bounded, since locales come from upstream data). See types/money.ts.
const CACHE_LIMIT = 256;
const resolvedLocales = new Map<string, string>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The upstream's locale if Intl knows it, else ours: a bad value must not break a page. */
export function displayLocale(locale: string | undefined): string {
  if (!locale) return FALLBACK_LOCALE;
  return resolvedLocales.get(locale) ?? remember(resolvedLocales, locale, resolveLocale(locale));
}

function resolveLocale(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.replace("_", "-"));
    return canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0 ? canonical : FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

export function moneyView(money: Money, locale: string): MoneyView {
  return { minor: money.minor, currency: money.currency, text: formatMoney(money, locale) };
}

/** Dates are shown in UTC so the server's rendering never depends on its own time zone. */
export function dateText(iso: string, locale: string): string {
  const format =
    dateFormats.get(locale) ?? remember(dateFormats, locale, new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }));
  return format.format(new Date(iso));
}

/** A moment, to the minute, in UTC (and saying so), e.g. "5 Dec 2026, 07:05 UTC". */
export function dateTimeText(iso: string, locale: string): string {
  const format =
    dateTimeFormats.get(locale) ??
    remember(dateTimeFormats, locale, new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }));
  return `${format.format(new Date(iso))} UTC`;
}

export function transactionView(transaction: Transaction, locale: string): TransactionView {
  return {
    id: transaction.id,
    amount: moneyView(transaction.amount, locale),
    direction: transaction.amount.minor < 0 ? "out" : "in",
    bookedAt: transaction.bookedAt,
    bookedAtText: dateText(transaction.bookedAt, locale),
    counterparty: transaction.counterpartyName,
    category: transaction.category,
  };
}

/** One page of transactions for display: the page and the API return the same view. */
export function transactionPageView(page: TransactionPage, locale: string): TransactionPageView {
  return { items: page.items.map((item) => transactionView(item, locale)), nextCursor: page.nextCursor };
}

export function profileHints(profile: UserProfile): ProfileHints {
  return {
    firstName: profile.firstName,
    fullName: `${profile.firstName} ${profile.lastName}`.trim(),
    locale: displayLocale(profile.locale),
    ...(profile.marketingSegments[0] ? { segment: profile.marketingSegments[0] } : {}),
  };
}
