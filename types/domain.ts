import type { Money } from "./money";

/**
 * Harmonised domain types: what `services/` returns after parsing each upstream's
 * own convention (snake_case, camelCase, envelopes, decimal strings, minor units).
 * camelCase, money as integer minor units, dates as ISO 8601 strings.
 */

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires. */
  accessTokenExpiresAt: number;
}

/** A passkey registered at Auth: the app only ever sees its id and dates, never key material. */
export interface Passkey {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/**
 * WebAuthn options (for `navigator.credentials.create/get`) as Auth made them: relayed
 * to the browser untouched, so only the challenge is known to be there.
 */
export type WebAuthnOptions = { challenge: string } & Record<string, unknown>;

export interface UserProfile {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  avatarUrl: string | null;
  createdAt: string;
  locale: string;
  marketingSegments: string[];
}

export interface Account {
  id: string;
  iban: string;
  available: Money;
  ledger: Money;
}

export interface Transaction {
  id: string;
  amount: Money;
  bookedAt: string;
  counterpartyName: string;
  counterpartyIban: string | null;
  category: string;
}

export interface TransactionPage {
  items: Transaction[];
  nextCursor: string | null;
}

export interface PaymentRequest {
  creditorName: string;
  creditorIban: string;
  amount: Money;
  remittanceInfo: string;
}

export interface PaymentReceipt {
  id: string;
  status: string;
  createdAt: string;
  /** True when the upstream answered a replayed Idempotency-Key with the first result. */
  replayed: boolean;
}

/** A payment challenge at Auth (strong customer authentication), bound to one payment. */
export interface ScaChallenge {
  id: string;
  /** How it may be answered, e.g. ["otp", "passkey"]. */
  methods: string[];
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * An answer to a challenge: the one-time code from Auth's message, or a passkey
 * assertion, relayed as the browser made it (only Auth verifies it).
 */
export type ScaAnswer = { code: string } | { assertion: unknown };

/** What Auth made of an answer. */
export type ScaVerification =
  /** The proof Payments takes, bound to that payment, good once, for a short while. */
  | { outcome: "confirmed"; scaToken: string }
  /** Not the right answer; the challenge stays open (until its tries run out). */
  | { outcome: "wrong" }
  /** Expired, already used, out of tries, or unknown: a new challenge is needed. */
  | { outcome: "gone" };

export const AD_PLACEMENTS = ["sidebar", "banner", "inline"] as const;
export type AdPlacement = (typeof AD_PLACEMENTS)[number];

export interface Ad {
  id: string;
  title: string;
  body: string;
  imageUrl: string;
  imageWidth: number;
  imageHeight: number;
  clickUrl: string;
  sponsor: string;
}
