import { z } from "zod";
import { STANDIN_DEFAULTS } from "./defaults";
import { SERVICE_NAMES, type PerService, type ServiceName, type StandinOptions, type WebAuthnSettings } from "./types";

/**
 * Reads the stand-ins' settings from the environment. Injection settings look like
 * `STANDIN_LATENCY_MS=users:40,payments:80` or a bare `STANDIN_LATENCY_MS=20` for
 * every service (a bare number may be combined with named overrides). A bad value
 * stops start-up with one line naming the variable, rather than being ignored.
 */

const serviceName = z.enum(SERVICE_NAMES as [ServiceName, ...ServiceName[]]);

function parsePerService(variable: string, raw: string | undefined, value: z.ZodType<number>): PerService {
  const result: PerService = {};
  if (raw === undefined || raw.trim() === "") return result;
  const invalid = (entry: string, why: string) =>
    new Error(`${variable}: invalid entry "${entry}" (${why}); expected e.g. "users:40,payments:80" or "20"`);
  let all: number | undefined;
  const named: PerService = {};
  for (const entry of raw.split(",").map((part) => part.trim())) {
    if (entry === "") continue;
    const colon = entry.indexOf(":");
    const nameText = colon === -1 ? undefined : entry.slice(0, colon).trim();
    const numberText = (colon === -1 ? entry : entry.slice(colon + 1)).trim();
    const number = value.safeParse(numberText === "" ? Number.NaN : Number(numberText));
    if (!number.success) throw invalid(entry, number.error.issues[0]?.message ?? "not a valid number");
    if (nameText === undefined) {
      all = number.data;
      continue;
    }
    const name = serviceName.safeParse(nameText);
    if (!name.success) throw invalid(entry, `unknown service; one of ${SERVICE_NAMES.join(", ")}`);
    named[name.data] = number.data;
  }
  if (all !== undefined) for (const name of SERVICE_NAMES) result[name] = all;
  return Object.assign(result, named);
}

const latencyValue = z.number().finite().min(0, "must be ≥ 0").max(600_000, "must be ≤ 600000 ms");
const rateValue = z.number().finite().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");

/** `STANDIN_LATENCY_MS`: delay in ms per service. */
export function parseLatency(raw: string | undefined, variable = "STANDIN_LATENCY_MS"): PerService {
  return parsePerService(variable, raw, latencyValue);
}

/** `STANDIN_FAILURE_RATE`: probability 0–1 per service of answering 503. */
export function parseFailureRate(raw: string | undefined, variable = "STANDIN_FAILURE_RATE"): PerService {
  return parsePerService(variable, raw, rateValue);
}

const ttlSchema = z.coerce.number().int("must be a whole number of seconds").positive("must be > 0");

/** `AUTH_ACCESS_TOKEN_TTL_S`: positive whole seconds; unset → the default (300). */
export function parseAccessTokenTtl(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return STANDIN_DEFAULTS.accessTokenTtlS;
  const parsed = ttlSchema.safeParse(raw.trim());
  if (!parsed.success) {
    throw new Error(`AUTH_ACCESS_TOKEN_TTL_S: invalid value "${raw}" (${parsed.error.issues[0]?.message ?? "invalid"})`);
  }
  return parsed.data;
}

const rpIdSchema = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, "must be a host name such as localhost or bank.example");

/**
 * `AUTH_WEBAUTHN_RP_ID` (a host name; default localhost) and `AUTH_WEBAUTHN_ORIGINS`
 * (comma-separated origins; default http://localhost:3000): where passkeys work.
 */
export function parseWebAuthn(rpIdRaw: string | undefined, originsRaw: string | undefined): WebAuthnSettings {
  const rpIdText = rpIdRaw?.trim() || STANDIN_DEFAULTS.webauthnRpId;
  const rpId = rpIdSchema.safeParse(rpIdText.toLowerCase());
  if (!rpId.success) throw new Error(`AUTH_WEBAUTHN_RP_ID: invalid value "${rpIdRaw}" (${rpId.error.issues[0]?.message ?? "invalid"})`);
  const entries = (originsRaw ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  const origins = entries.length > 0 ? entries : [...STANDIN_DEFAULTS.webauthnOrigins];
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      throw new Error(`AUTH_WEBAUTHN_ORIGINS: invalid entry "${origin}" (expected origins like "http://localhost:3000", comma-separated)`);
    }
  }
  return { rpId: rpId.data, origins };
}

/** `STANDIN_SCA`: `on` (default) or `off` (Payments never asks for strong customer authentication). */
export function parseSca(raw: string | undefined): boolean {
  const value = raw?.trim().toLowerCase() ?? "";
  if (value === "" || value === "on") return true;
  if (value === "off") return false;
  throw new Error(`STANDIN_SCA: invalid value "${raw}" (expected "on" or "off")`);
}

/**
 * Every stand-in setting the environment can give, with the dev defaults for the
 * credentials. Ports are not read here: the caller decides (fixed or ephemeral).
 */
export function standinOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Omit<StandinOptions, "ports" | "host" | "random" | "now"> {
  const nonEmpty = (value: string | undefined, fallback: string) =>
    value === undefined || value === "" ? fallback : value;
  return {
    clientId: nonEmpty(env.AUTH_CLIENT_ID, STANDIN_DEFAULTS.clientId),
    clientSecret: nonEmpty(env.AUTH_CLIENT_SECRET, STANDIN_DEFAULTS.clientSecret),
    adsApiKey: nonEmpty(env.ADS_API_KEY, STANDIN_DEFAULTS.adsApiKey),
    accessTokenTtlS: parseAccessTokenTtl(env.AUTH_ACCESS_TOKEN_TTL_S),
    latencyMs: parseLatency(env.STANDIN_LATENCY_MS),
    failureRate: parseFailureRate(env.STANDIN_FAILURE_RATE),
    ...(env.AUTH_BACKCHANNEL_LOGOUT_URL ? { backchannelLogoutUrl: env.AUTH_BACKCHANNEL_LOGOUT_URL } : {}),
    webauthn: parseWebAuthn(env.AUTH_WEBAUTHN_RP_ID, env.AUTH_WEBAUTHN_ORIGINS),
    sca: parseSca(env.STANDIN_SCA),
  };
}

/** Validates injection given in code (`configure()`), with the same rules as the environment. */
export function validateInjection(latencyMs: PerService | undefined, failureRate: PerService | undefined): void {
  const check = (what: string, values: PerService | undefined, schema: z.ZodType<number>) => {
    for (const [name, value] of Object.entries(values ?? {})) {
      if (!serviceName.safeParse(name).success) throw new Error(`${what}: unknown service "${name}"`);
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw new Error(`${what}.${name}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    }
  };
  check("latencyMs", latencyMs, latencyValue);
  check("failureRate", failureRate, rateValue);
}
