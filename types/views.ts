/**
 * View models: exactly what a screen renders, nothing an upstream sent beyond it.
 * Loaders return these; components import them. A contract change shows up here
 * as compile errors. Money stays integer minor units plus currency until the
 * loader formats it for display (`…Text`), in the customer's locale.
 */
import type { Ad } from "./domain";
import type { Money } from "./money";

/** A part of a page that may be degraded on its own when its service fails. */
export type Section<T> = { status: "ok"; data: T } | { status: "unavailable"; message: string };

export interface MoneyView extends Money {
  /** Formatted for the customer's locale, e.g. "€12,345.67". */
  text: string;
}

export interface TransactionView {
  id: string;
  amount: MoneyView;
  direction: "in" | "out";
  bookedAt: string;
  /** The booking date formatted for the customer's locale. */
  bookedAtText: string;
  counterparty: string;
  category: string;
}

/** The dashboard's ad: the trimmed domain ad as it is. */
export type AdView = Ad;

export interface CustomerName {
  firstName: string;
  fullName: string;
}

export interface DashboardView {
  customer: Section<CustomerName>;
  balance: Section<{ available: MoneyView; iban: string }>;
  recentTransactions: Section<TransactionView[]>;
  ad: Section<AdView | null>;
}

/** One page of transactions, as `/api/transactions` returns it. */
export interface TransactionPageView {
  items: TransactionView[];
  nextCursor: string | null;
}

export interface TransactionListView {
  transactions: Section<TransactionPageView>;
  /** The cursor this page was asked for (null: the newest). */
  cursor: string | null;
}

export interface ProfileView {
  fullName: string;
  email: string;
  memberSince: string;
  memberSinceText: string;
}

/** One of the customer's active sign-ins ("Where you're signed in"). */
/** "Where you're signed in": this device first, then the most recently active others, capped. */
export interface SignInListView {
  items: SignInView[];
  /** Live sign-ins beyond the cap, least recently active: "Sign out everywhere else" ends them too. */
  notShown: number;
}

export interface SignInView {
  /** An opaque handle for the "Sign out" form (not the session id). */
  id: string;
  /** "Chrome on Linux". */
  device: string;
  signedInAt: string;
  signedInText: string;
  lastActiveAt: string;
  lastActiveText: string;
  /** The browser looking at the list. */
  current: boolean;
}

/** A passkey in the profile's list: dates only, nothing Auth keeps. */
export interface PasskeyView {
  id: string;
  createdAt: string;
  createdAtText: string;
  lastUsedAt: string | null;
  lastUsedAtText: string | null;
}

/** What the profile's action says about a passkey it was asked to remove. */
export type PasskeyActionResult = { passkeyRemoved: true } | { passkeyError: string };

export interface PaymentFormView {
  /** Minted per rendered form: the payment's Idempotency-Key. */
  idempotencyKey: string;
  account: Section<{ available: MoneyView; currency: string }>;
}

export interface PaymentConfirmationView {
  paymentId: string;
  amount: MoneyView;
  creditorName: string;
  status: string;
  balance: Section<{ available: MoneyView; currency: string }>;
}

/** A payment waiting for the customer's confirmation (strong customer authentication). */
export interface PaymentChallengeView {
  /** Which pending payment the page shows (its Idempotency-Key): a page left open over a newer payment is caught. */
  paymentKey: string;
  amount: MoneyView;
  creditorName: string;
  /** Grouped in fours for reading. */
  creditorIban: string;
  remittanceInfo: string;
  /** Wrong codes still allowed on the current challenge. */
  triesLeft: number;
}
