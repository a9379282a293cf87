import { randomBytes } from "node:crypto";
import { SERVICE_URL_VARS } from "../app/env.server";
import { DEFAULT_PORTS, SERVICE_NAMES, STANDIN_DEFAULTS, startStandins, type PerService, type Standins } from "../upstream";
import { standinOptionsFromEnv } from "../upstream/config";

/**
 * With no service URLs configured, `npm start` brings its own microservices: the
 * stand-ins on their contract ports, and dev defaults for the settings that only
 * make sense against them. Configuring some URLs but not all is a mistake, not a
 * request for stand-ins, and stops the app naming what is missing.
 */
export async function startEmbeddedStandinsIfUnconfigured(
  env: Record<string, string | undefined>,
  warn: (message: string) => void,
): Promise<Standins | undefined> {
  const configured = SERVICE_URL_VARS.filter((name) => env[name]);
  if (configured.length === SERVICE_URL_VARS.length) return undefined;
  if (configured.length > 0) {
    const missing = SERVICE_URL_VARS.filter((name) => !env[name]);
    throw new Error(
      `Invalid configuration: ${missing[0]} is required when ${configured[0]} is set (set all five service URLs, or none to use the stand-ins)`,
    );
  }

  env.AUTH_CLIENT_ID ||= STANDIN_DEFAULTS.clientId;
  env.AUTH_CLIENT_SECRET ||= STANDIN_DEFAULTS.clientSecret;
  env.ADS_API_KEY ||= STANDIN_DEFAULTS.adsApiKey;
  env.ADS_ALLOWED_ORIGINS ||= "*";
  // The stand-in Auth announces ended logins to this app's own back-channel endpoint.
  env.AUTH_BACKCHANNEL_LOGOUT_URL ||= `http://127.0.0.1:${env.PORT || "3000"}/auth/backchannel-logout`;
  // Passkeys are bound to the page's origin: the app's own, on whatever PORT it serves.
  env.AUTH_WEBAUTHN_ORIGINS ||= `http://localhost:${env.PORT || 3000}`;
  if (!env.SESSION_SECRET) {
    env.SESSION_SECRET = randomBytes(32).toString("hex");
    warn("SESSION_SECRET is not set: using a random one, so sessions end when the app restarts.");
  }

  const ports = standinPorts(env.STANDIN_PORTS);
  const standins = await startStandins({ ports, ...standinOptionsFromEnv(env) });
  Object.assign(env, serviceUrlSettings(standins.urls));
  return standins;
}

/**
 * STANDIN_PORTS: unset → the contract's 4101–4105; "auto" → free ports; a number N
 * → N…N+4 in the contract's order (tests beside a running `npm start`).
 */
function standinPorts(setting: string | undefined): PerService {
  if (!setting) return { ...DEFAULT_PORTS };
  if (setting === "auto") return {};
  const base = Number(setting);
  if (!Number.isInteger(base) || base < 1 || base > 65530) {
    throw new Error(`Invalid configuration: STANDIN_PORTS must be "auto" or a port number, not "${setting}"`);
  }
  return Object.fromEntries(SERVICE_NAMES.map((name, index) => [name, base + index]));
}

/** The five service-URL settings that point the app at these stand-ins. */
export function serviceUrlSettings(urls: Standins["urls"]): Record<(typeof SERVICE_URL_VARS)[number], string> {
  return {
    AUTH_SERVICE_URL: urls.auth,
    USERS_SERVICE_URL: urls.users,
    PAYMENTS_SERVICE_URL: urls.payments,
    TRANSACTIONS_SERVICE_URL: urls.transactions,
    ADS_SERVICE_URL: urls.ads,
  };
}
