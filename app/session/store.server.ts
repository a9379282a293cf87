import { createCookie, type Cookie } from "@remix-run/node";
import { z } from "zod";
import type { TokenSet } from "../../types/domain";
import { createSealer, type Sealer } from "./seal.server";

/** What a signed-in browser's session holds. Only ever on the server side of the cookie. */
export interface CustomerSession {
  /** New at every sign-in (no fixation); the key for revocation. */
  id: string;
  /** The customer (the access token's subject): indexes the customer's sign-ins. */
  userId?: string;
  /** Auth's login (the access token's `sid`): what Auth names when it ends this sign-in. */
  loginId?: string;
  tokens: TokenSet;
  /** Epoch ms of sign-in: the absolute timeout counts from here. */
  createdAt: number;
  /** Epoch ms of the last request: the idle timeout counts from here. */
  lastSeenAt: number;
  /** What pages need on every request without asking Users again (refreshed when they do). */
  profile?: ProfileHints;
  /** Recent successful payments, to catch a resubmitted form (see payments.server.ts). */
  recentPayments?: RecentPayment[];
  /** The last payment sent, for its confirmation page (replaced by the next one). */
  lastPayment?: LastPayment;
  /** A payment waiting for strong customer authentication (app/payments/confirmation.server.ts). */
  pendingPayment?: PendingPayment;
}

export interface ProfileHints {
  firstName: string;
  fullName: string;
  locale: string;
  /** The customer's first marketing segment: ads are personalised on the server only. */
  segment?: string;
}

export interface RecentPayment {
  fingerprint: string;
  /** The Idempotency-Key it was sent with. */
  key: string;
  paymentId: string;
  at: number;
}

export interface LastPayment {
  paymentId: string;
  amountMinor: number;
  currency: string;
  creditorName: string;
  status: string;
}

/**
 * A payment Payments asked the customer to confirm: kept here, on the server's
 * side of the cookie, so the browser has nothing to edit; replaced by the next
 * payment that needs confirming.
 */
export interface PendingPayment {
  /** Its Idempotency-Key: the confirmed send is the same payment, so it pays once. */
  key: string;
  creditorName: string;
  creditorIban: string;
  amountMinor: number;
  currency: string;
  remittanceInfo: string;
  /** The open challenge at Auth. */
  challengeId: string;
  /** Wrong codes entered for that challenge. */
  wrongCodes: number;
  /** Epoch ms. */
  createdAt: number;
}

/**
 * Where sessions live. The cookie store keeps the whole (encrypted) session in
 * the cookie; a server-side store would keep only an id there.
 */
export interface SessionStore {
  /** The session the request carries, or null for none, tampered or undecryptable. */
  read(request: Request, secure: boolean): Promise<CustomerSession | null>;
  /** A `Set-Cookie` value that stores the session until `expiresAt` (epoch ms). */
  commit(session: CustomerSession, secure: boolean, expiresAt: number): Promise<string>;
  /** A `Set-Cookie` value that removes the session cookie (and, server-side, the session). */
  destroy(secure: boolean, session?: CustomerSession): Promise<string>;
  /** Server-side stores only: deletes these sessions (ended from elsewhere), whoever holds their cookies. */
  remove?(sessionIds: readonly string[]): Promise<void>;
}

/** Over HTTPS the cookie is `__Host-` prefixed: Secure, Path=/, no Domain, so no subdomain can plant one. */
export function sessionCookieName(secure: boolean) {
  return secure ? "__Host-session" : "session";
}

/**
 * The session cookie, as every store sets it: HttpOnly, SameSite=Lax, Path=/,
 * signed with the rotatable secrets; Secure and `__Host-` named over HTTPS.
 */
export function sessionCookies(secrets: string[]): (secure: boolean) => Cookie {
  const options = (secure: boolean) => ({ httpOnly: true, sameSite: "lax" as const, path: "/", secure, secrets });
  const secureCookie = createCookie(sessionCookieName(true), options(true));
  const plainCookie = createCookie(sessionCookieName(false), options(false));
  return (secure) => (secure ? secureCookie : plainCookie);
}

/** What every browser keeps of one cookie (RFC 6265 §6.1's minimum, and Remix's own limit). */
export const MAX_COOKIE_BYTES = 4096;

/**
 * Cookie sessions whose contents are sealed with AES-256-GCM (authenticated, with
 * rotatable secrets): the sealed value, base64url and so cookie-safe as it is, is
 * the cookie's value. No second envelope: Remix's signed cookie around it would
 * HMAC, base64 and JSON-encode an already authenticated value again, on every
 * request (docs/decisions/015). Cookies written in that older envelope (a "."
 * before the signature, which base64url never contains) are still read.
 */
export function createCookieSessionStore(secrets: string[]): SessionStore {
  const sealer: Sealer = createSealer(secrets, "session");
  const signedCookie = sessionCookies(secrets);

  return {
    async read(request, secure) {
      const value = cookieValue(request.headers.get("cookie"), sessionCookieName(secure));
      if (!value) return null;
      const sealed = value.includes(".") ? await signedCookie(secure).parse(`${sessionCookieName(secure)}=${value}`).catch(() => null) : value;
      if (typeof sealed !== "string") return null;
      const json = sealer.open(sealed);
      if (json === undefined) return null;
      return parseSession(json);
    },

    async commit(session, secure, expiresAt) {
      const maxAge = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
      const serialize = () => setCookie(sessionCookieName(secure), sealer.seal(JSON.stringify(session)), secure, maxAge);
      let header = serialize();
      // A browser drops a cookie over 4096 bytes, and with it every change (a pending
      // payment, a sign-in). Long names and references can get there (decision 019):
      // the duplicate-payment memory goes first, oldest first, as the least needed.
      while (header.length > MAX_COOKIE_BYTES && session.recentPayments?.length) {
        session.recentPayments = session.recentPayments.slice(0, -1);
        header = serialize();
      }
      return header;
    },

    async destroy(secure) {
      return setCookie(sessionCookieName(secure), "", secure, 0);
    },
  };
}

/** The session cookie's attributes, as sessionCookies() gives Remix's cookie: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS. */
function setCookie(name: string, value: string, secure: boolean, maxAgeS: number): string {
  const expires = new Date(maxAgeS === 0 ? 0 : Date.now() + maxAgeS * 1000).toUTCString();
  return `${name}=${value}; Max-Age=${maxAgeS}; Path=/; Expires=${expires}; HttpOnly; ${secure ? "Secure; " : ""}SameSite=Lax`;
}

/** One cookie's raw value from a Cookie header (the first of that exact name), or undefined. */
export function cookieValue(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (let start = 0; start < header.length; ) {
    const end = header.indexOf(";", start);
    const pair = header.slice(start, end === -1 ? undefined : end).trim();
    if (pair.startsWith(name) && pair.charCodeAt(name.length) === 61 /* = */) return pair.slice(name.length + 1);
    if (end === -1) break;
    start = end + 1;
  }
  return undefined;
}

// The cookie is ours and authenticated, but its shape is still checked: an old
// format after a deploy means "signed out", not a crash.
const sessionSchema = z.object({
  id: z.string().min(1),
  userId: z.string().optional(),
  loginId: z.string().optional(),
  tokens: z.object({
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1),
    accessTokenExpiresAt: z.number(),
  }),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  profile: z
    .object({ firstName: z.string(), fullName: z.string(), locale: z.string(), segment: z.string().optional() })
    .optional(),
  recentPayments: z
    .array(z.object({ fingerprint: z.string(), key: z.string(), paymentId: z.string(), at: z.number() }))
    .optional(),
  lastPayment: z
    .object({
      paymentId: z.string(),
      amountMinor: z.number().int(),
      currency: z.string(),
      creditorName: z.string(),
      status: z.string(),
    })
    .optional(),
  pendingPayment: z
    .object({
      key: z.string(),
      creditorName: z.string(),
      creditorIban: z.string(),
      amountMinor: z.number().int(),
      currency: z.string(),
      remittanceInfo: z.string(),
      challengeId: z.string(),
      wrongCodes: z.number().int(),
      createdAt: z.number(),
    })
    .optional(),
});

export function parseSession(json: string): CustomerSession | null {
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
