import type { Target } from "./load";
import { DEMO_LOGINS, loginForm } from "./sign-in";

/**
 * What is measured. Signed-in targets alternate the two demo customers per
 * request (one cookie each), so neither customer's data is the only shape seen.
 */

export type TargetId =
  | "dashboard-document"
  | "dashboard-data"
  | "ads"
  | "api-transactions"
  | "sign-in"
  | "sign-in-page"
  | "profile-document"
  | "bare-request";

const signedIn = (cookies: readonly string[], extra: Record<string, string> = {}) =>
  cookies.map((cookie) => ({ headers: { cookie, accept: "text/html,application/json", ...extra } }));

export function dashboardDocument(cookies: readonly string[]): Target {
  return { id: "dashboard-document", label: "GET /dashboard (document)", method: "GET", path: "/dashboard", variants: signedIn(cookies), expectStatus: 200 };
}

export function dashboardData(cookies: readonly string[]): Target {
  return {
    id: "dashboard-data",
    // Single fetch: a client navigation asks every loader of the page in one request (docs/decisions/012).
    label: "GET /dashboard.data (client navigation)",
    method: "GET",
    path: "/dashboard.data",
    variants: signedIn(cookies),
    expectStatus: 200,
  };
}

export function publicAds(): Target {
  return {
    id: "ads",
    label: "GET /api/ads?placement=sidebar",
    method: "GET",
    path: "/api/ads?placement=sidebar",
    variants: [{ headers: { accept: "application/json", origin: "http://partner.example" } }],
    expectStatus: 200,
  };
}

export function apiTransactions(cookies: readonly string[]): Target {
  return {
    id: "api-transactions",
    label: "GET /api/transactions (X-CSRF)",
    method: "GET",
    path: "/api/transactions",
    variants: signedIn(cookies, { "x-csrf": "1" }),
    expectStatus: 200,
  };
}

export function profileDocument(cookies: readonly string[]): Target {
  return { id: "profile-document", label: "GET /profile (document)", method: "GET", path: "/profile", variants: signedIn(cookies), expectStatus: 200 };
}

/**
 * The sign-in page, signed out: a document with no upstream call and a small form,
 * so its cost is what Remix, React and the server cost for any page (the floor
 * under every document; docs/performance.md, "Goals").
 */
export function signInPage(): Target {
  return { id: "sign-in-page", label: "GET /login (document, signed out)", method: "GET", path: "/login", variants: [{ headers: { accept: "text/html" } }], expectStatus: 200 };
}

/**
 * The baseline's `/healthz`: a constant answer from `node:http`, so its p50 at one
 * connection is what the client, the loopback and Node's HTTP cost any request,
 * counted once in every p50 (the overhead goal's bound, report.ts).
 */
export function bareRequest(): Target {
  return { id: "bare-request", label: "GET /healthz (bare request)", method: "GET", path: "/healthz", variants: [{ headers: {} }], expectStatus: 200 };
}

/** A real form post with the right password: only failures count towards the sign-in limits. */
export function signInPost(base: string): Target {
  return {
    id: "sign-in",
    label: "POST /login (correct password)",
    method: "POST",
    path: "/login",
    variants: DEMO_LOGINS.map((login) => ({
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base, accept: "text/html" },
      body: loginForm(login),
    })),
    expectStatus: 302,
  };
}
