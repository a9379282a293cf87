import { startStandins, type Standins } from "./serve";
import type { StandinOptions } from "./types";

/**
 * Helpers for the stand-ins' own tests: a stand-in set on ephemeral ports with a
 * controllable clock and randomness, and thin fetch wrappers for the contract's calls.
 */

export const TEST_CLIENT = { clientId: "test-client", clientSecret: "test-secret:with%odd chars" } as const;
export const TEST_ADS_KEY = "test-ads-key";

export const ADA = { email: "ada@example.com", password: "Analytical-Engine-1843" } as const;
export const GRACE = { email: "grace@example.com", password: "Cobol-1959-Compiler" } as const;

export interface TestStandins extends Standins {
  /** The injected clock (ms); tests move it, `restore()` puts it back. */
  clock: { now: number };
  /** What the injected `random()` returns next. */
  dice: { value: number };
  /** `reset()` plus clock and dice back to their start values. */
  restore(): void;
}

export async function startTestStandins(extra: Partial<StandinOptions> = {}): Promise<TestStandins> {
  const start = Date.parse("2026-01-15T12:00:00.000Z");
  const clock = { now: start };
  const dice = { value: 0.5 };
  const standins = await startStandins({
    adsApiKey: TEST_ADS_KEY,
    now: () => clock.now,
    random: () => dice.value,
    ...TEST_CLIENT,
    ...extra,
  });
  return Object.assign(standins, {
    clock,
    dice,
    restore() {
      standins.reset();
      clock.now = start;
      dice.value = 0.5;
    },
  });
}

/** RFC 6749 §2.3.1: id and secret form-encoded, then base64. */
export function basicAuth(clientId: string = TEST_CLIENT.clientId, clientSecret: string = TEST_CLIENT.clientSecret): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString("base64")}`;
}

export function tokenRequest(
  standins: Standins,
  form: Record<string, string>,
  /** null: send no Authorization header at all. */
  authorization: string | null = basicAuth(),
): Promise<Response> {
  return fetch(`${standins.urls.auth}/oauth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(authorization ? { authorization } : {}),
    },
    body: new URLSearchParams(form),
  });
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export async function login(standins: Standins, who: { email: string; password: string } = ADA): Promise<TokenPair> {
  const response = await tokenRequest(standins, { grant_type: "password", username: who.email, password: who.password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as TokenPair;
}

export function refresh(standins: Standins, refreshToken: string): Promise<Response> {
  return tokenRequest(standins, { grant_type: "refresh_token", refresh_token: refreshToken });
}

export function bearer(accessToken: string): { authorization: string } {
  return { authorization: `Bearer ${accessToken}` };
}

export function getMe(standins: Standins, accessToken: string): Promise<Response> {
  return fetch(`${standins.urls.users}/v1/users/me`, { headers: bearer(accessToken) });
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The payment a challenge is about, as Auth's `POST /v1/sca/challenges` takes it. */
export interface ChallengedPayment {
  amount: string;
  currency: string;
  creditorIban: string;
  creditorName: string;
}

export function createChallenge(standins: Standins, accessToken: string, payment: ChallengedPayment): Promise<Response> {
  return postJson(`${standins.urls.auth}/v1/sca/challenges`, payment, bearer(accessToken));
}

export function verifyChallenge(standins: Standins, accessToken: string, challengeId: string, answer: unknown): Promise<Response> {
  return postJson(`${standins.urls.auth}/v1/sca/challenges/${encodeURIComponent(challengeId)}/verify`, answer, bearer(accessToken));
}

/**
 * An SCA token for this payment, the way the BFF gets one: a challenge at Auth,
 * the code from the customer's outbox, the answer.
 */
export async function scaTokenFor(
  standins: Standins,
  accessToken: string,
  email: string,
  payment: { amount: string; currency: string; creditorIban: string; creditorName: string },
): Promise<string> {
  const created = await createChallenge(standins, accessToken, payment);
  if (created.status !== 201) throw new Error(`challenge failed: ${created.status} ${await created.text()}`);
  const { challengeId } = (await created.json()) as { challengeId: string };
  const [code = ""] = standins.outbox(email);
  const verified = await verifyChallenge(standins, accessToken, challengeId, { code });
  if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${await verified.text()}`);
  return ((await verified.json()) as { scaToken: string }).scaToken;
}
