import { createAds, createDemoCustomers, type AccountSeed, type AdRecord, type TransactionRecord, type UserRecord } from "./data";
import { createTokenKeys, type TokenKeys } from "./jwt";
import { STANDIN_DEFAULTS } from "./defaults";
import type { StandinOptions, WebAuthnSettings } from "./types";

/**
 * The stand-ins' whole memory: what a real backend would keep in its databases.
 * One object shared by all five services' handlers (they are one process), so a
 * payment is visible to Transactions at once and a revoked login is refused by
 * every resource service. `reset()` puts it back to the demo data, in place, so
 * handlers holding the state object see the reset.
 */

export interface Customer {
  email: string;
  password: string;
  user: UserRecord;
  account: AccountSeed;
  /** Newest first; payments are prepended. */
  transactions: TransactionRecord[];
}

/** One login (OAuth "grant"): every refresh token and access token of it dies with it. */
export interface Grant {
  id: string;
  userId: string;
  revoked: boolean;
  /** The one refresh token that may be used next; older ones of this grant are reuse. */
  currentRefreshToken: string;
}

export interface RefreshTokenRecord {
  grantId: string;
  /** Set once the token has been exchanged; presenting it again is reuse. */
  rotated: boolean;
  expiresAtMs: number;
}

export interface PasswordlessCode {
  code: string;
  expiresAtMs: number;
  failedAttempts: number;
  /** Used successfully, superseded by a newer code, or out of tries. */
  dead: boolean;
}

/** One message the stand-in "sent" (its outbox stands in for e-mail and SMS). */
export interface OutboxMessage {
  code: string;
  text: string;
  /** ISO 8601. */
  sentAt: string;
}

/** A payment challenge (strong customer authentication), bound to one payment of one customer. */
export interface ScaChallenge {
  id: string;
  userId: string;
  /** The payment it confirms: amount in integer cents, payee IBAN normalised. */
  amountCents: number;
  currency: string;
  creditorIban: string;
  creditorName: string;
  /** The one-time code delivered for it. */
  code: string;
  expiresAtMs: number;
  failedAttempts: number;
  /** Answered once already: a challenge confirms one payment. */
  used: boolean;
}

/** Low-value exemption counters since the customer's last payment confirmed with SCA. */
export interface ScaExemptionCounter {
  count: number;
  totalCents: number;
}

export interface IdempotencyRecord {
  /** Canonical JSON of the request body the key was first used with. */
  bodyFingerprint: string;
  /** The first response's body, replayed verbatim. */
  response: { paymentId: string; status: "pending"; createdAt: string };
}

/** One logout token Auth sent to the client's back-channel URL (`GET /dev/backchannel`). */
export interface BackchannelDelivery {
  url: string;
  logoutToken: string;
  /** The client's last answer; null while no attempt has been answered (refused connection, time-out). */
  status: number | null;
  /** ISO time of the first attempt. */
  sentAt: string;
  attempts: number;
}

/** A registered passkey: Auth keeps the public key, never anything secret. */
export interface PasskeyRecord {
  /** base64url, as the browser reports it. */
  credentialId: string;
  userId: string;
  publicKey: Uint8Array<ArrayBuffer>;
  /** The authenticator's signature counter (0 for most passkeys: synced ones never count). */
  counter: number;
  transports: string[];
  createdAtMs: number;
  lastUsedAtMs: number | null;
}

/** A WebAuthn challenge Auth handed out: one use, short-lived, for one purpose. */
export interface WebAuthnChallenge {
  /** base64url, as in the options the browser signed over. */
  challenge: string;
  purpose: "registration" | "authentication" | "payment";
  /** Registration and payment: the customer it was issued to; sign-in: unknown until verified. */
  userId?: string;
  /** Payment: the payment challenge the assertion answers. */
  scaChallengeId?: string;
  expiresAtMs: number;
}

export interface StandinState {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly adsApiKey: string;
  readonly accessTokenTtlS: number;
  /** Payments asks for strong customer authentication (`STANDIN_SCA`, default on). */
  readonly scaRequired: boolean;
  readonly now: () => number;
  readonly keys: TokenKeys;
  /** Auth's relying party for passkeys. */
  readonly webauthn: WebAuthnSettings;

  /** By user id. */
  readonly customers: Map<string, Customer>;
  /** Lower-cased e-mail → user id. */
  readonly userIdByEmail: Map<string, string>;
  readonly ads: AdRecord[];

  readonly grants: Map<string, Grant>;
  readonly refreshTokens: Map<string, RefreshTokenRecord>;
  /** `jti`s of access tokens revoked one by one via /oauth/revoke. */
  readonly revokedAccessTokens: Set<string>;
  /** Lower-cased e-mail → the one live passwordless code (a new start supersedes the old). */
  readonly passwordlessCodes: Map<string, PasswordlessCode>;
  /** Lower-cased e-mail → every message "sent" (sign-in and payment codes), newest first. */
  readonly outbox: Map<string, OutboxMessage[]>;
  /** Challenge id → payment challenge (sca.ts). */
  readonly scaChallenges: Map<string, ScaChallenge>;
  /** User id → exempt payments since the last SCA-confirmed one (payments.ts). */
  readonly scaExemptions: Map<string, ScaExemptionCounter>;
  /** `jti`s of SCA tokens a payment was made with: each is good for one. */
  readonly spentScaTokens: Set<string>;
  /** `${userId}\n${Idempotency-Key}` → the first result: keys are scoped per user. */
  readonly idempotency: Map<string, IdempotencyRecord>;

  /** Where logout tokens go (the client's back-channel logout URL; none: nothing is sent), and what was sent, newest first. */
  readonly backchannel: { url: string | undefined; deliveries: BackchannelDelivery[] };
  /** Credential id → passkey. */
  readonly passkeys: Map<string, PasskeyRecord>;
  /** Ceremony id (or `registration:<userId>`) → the live WebAuthn challenge; taken out when answered. */
  readonly webauthnChallenges: Map<string, WebAuthnChallenge>;

  /** A process-wide counter for ids (payments); not reset, so ids never repeat within a run. */
  nextSequence(): number;
  /** Back to the initial demo data; all logins, codes and idempotency records forgotten. */
  reset(): void;
}

export type StateOptions = Pick<
  StandinOptions,
  "clientId" | "clientSecret" | "adsApiKey" | "accessTokenTtlS" | "now" | "backchannelLogoutUrl" | "webauthn" | "sca"
>;

export async function createStandinState(options: StateOptions): Promise<StandinState> {
  const ttl = options.accessTokenTtlS ?? STANDIN_DEFAULTS.accessTokenTtlS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error(`accessTokenTtlS must be a positive integer, got ${ttl}`);
  const keys = await createTokenKeys();
  let sequence = 0;

  const state: StandinState = {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    adsApiKey: options.adsApiKey,
    accessTokenTtlS: ttl,
    scaRequired: options.sca ?? true,
    now: options.now ?? Date.now,
    keys,
    webauthn: options.webauthn ?? {
      rpId: STANDIN_DEFAULTS.webauthnRpId,
      origins: [...STANDIN_DEFAULTS.webauthnOrigins],
    },
    customers: new Map(),
    userIdByEmail: new Map(),
    ads: [],
    grants: new Map(),
    refreshTokens: new Map(),
    revokedAccessTokens: new Set(),
    passwordlessCodes: new Map(),
    outbox: new Map(),
    scaChallenges: new Map(),
    scaExemptions: new Map(),
    spentScaTokens: new Set(),
    idempotency: new Map(),
    backchannel: { url: options.backchannelLogoutUrl, deliveries: [] },
    passkeys: new Map(),
    webauthnChallenges: new Map(),
    nextSequence: () => ++sequence,
    reset() {
      state.customers.clear();
      state.userIdByEmail.clear();
      for (const demo of createDemoCustomers()) {
        state.customers.set(demo.user.user_id, { ...demo });
        state.userIdByEmail.set(demo.email.toLowerCase(), demo.user.user_id);
      }
      state.ads.splice(0, state.ads.length, ...createAds());
      state.grants.clear();
      state.refreshTokens.clear();
      state.revokedAccessTokens.clear();
      state.passwordlessCodes.clear();
      state.outbox.clear();
      state.scaChallenges.clear();
      state.scaExemptions.clear();
      state.spentScaTokens.clear();
      state.idempotency.clear();
      state.backchannel.url = options.backchannelLogoutUrl;
      state.backchannel.deliveries.length = 0;
      state.passkeys.clear();
      state.webauthnChallenges.clear();
    },
  };
  state.reset();
  return state;
}

/** "Sends" a message with a code: the outbox keeps it, newest first. */
export function deliver(state: StandinState, email: string, code: string, text: string): void {
  const key = normalizeEmail(email);
  const sent = state.outbox.get(key) ?? [];
  sent.unshift({ code, text, sentAt: new Date(state.now()).toISOString() });
  state.outbox.set(key, sent);
}

/** Trims and lower-cases an e-mail address, the key every e-mail lookup uses. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
