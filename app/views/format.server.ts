import type { Transaction, UserProfile } from "../../types/domain";
import { formatMoney, type Money } from "../../types/money";
import type { MoneyView, TransactionView } from "../../types/views";
import type { ProfileHints } from "../session/store.server";

export const FALLBACK_LOCALE = "en-GB";

/** The upstream's locale if Intl knows it, else ours: a bad value must not break a page. */
export function displayLocale(locale: string | undefined): string {
  if (!locale) return FALLBACK_LOCALE;
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.replace("_", "-"));
    return canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0 ? canonical : FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}

export function moneyView(money: Money, locale: string): MoneyView {
  return { ...money, text: formatMoney(money, locale) };
}

/** Dates are shown in UTC so the server's rendering never depends on its own time zone. */
export function dateText(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
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

export function profileHints(profile: UserProfile): ProfileHints {
  return {
    firstName: profile.firstName,
    fullName: `${profile.firstName} ${profile.lastName}`.trim(),
    locale: displayLocale(profile.locale),
    ...(profile.marketingSegments[0] ? { segment: profile.marketingSegments[0] } : {}),
  };
}
