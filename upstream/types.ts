/**
 * Names, ports and options shared by every stand-in module. Kept free of imports
 * so that any module (and the app's server entry) can depend on it cheaply.
 */

export type ServiceName = "auth" | "users" | "payments" | "transactions" | "ads";

export const SERVICE_NAMES: readonly ServiceName[] = ["auth", "users", "payments", "transactions", "ads"];

/** The ports the contract gives the stand-ins when they run on their own (`npm run standins`, `npm start`). */
export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = {
  auth: 4101,
  users: 4102,
  payments: 4103,
  transactions: 4104,
  ads: 4105,
};

/** A number per service, e.g. latency in ms or a failure rate; services not named get none. */
export type PerService = Partial<Record<ServiceName, number>>;

/** Latency and failure injection, changeable at run time (tests, benchmarks). */
export interface Injection {
  /** Delay in ms before a service answers anything. */
  latencyMs?: PerService;
  /** Probability (0–1) that a service answers 503 {"error":"service_unavailable"} instead. */
  failureRate?: PerService;
}

export interface StandinOptions extends Injection {
  /** The BFF's confidential-client credentials at Auth (HTTP Basic). */
  clientId: string;
  clientSecret: string;
  /** The key Ads expects in `X-Api-Key`. */
  adsApiKey: string;
  /** Access-token lifetime in seconds; default 300. */
  accessTokenTtlS?: number;
  /** Port per service; omitted or 0 → an ephemeral port. */
  ports?: PerService;
  /** Interface to listen on; default "127.0.0.1". */
  host?: string;
  /** Injectable randomness for failure injection, so failure tests are deterministic. */
  random?: () => number;
  /**
   * Auth's back-channel logout URL for the client (the app's `/auth/backchannel-logout`);
   * unset: logins still end, but no logout token is sent.
   */
  backchannelLogoutUrl?: string;
  /** Injectable clock (ms since epoch) for token and code expiry tests. */
  now?: () => number;
  /** Auth's WebAuthn relying party: default RP ID "localhost", origin http://localhost:3000. */
  webauthn?: WebAuthnSettings;
  /** Strong customer authentication at Payments (`STANDIN_SCA`); default true. Off for load tests. */
  sca?: boolean;
}

/** Where passkeys may be used: the RP ID they are scoped to and the page origins Auth accepts. */
export interface WebAuthnSettings {
  rpId: string;
  origins: readonly string[];
}
