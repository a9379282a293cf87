import { z } from "zod";

/**
 * Every setting the app reads, validated once. A bad or missing value stops the
 * app at start with one line naming the setting (see `formatEnvError`).
 */

const seconds = (fallback: number) =>
  z.coerce
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .positive("must be a positive whole number of seconds")
    .default(fallback);

const count = (fallback: number) =>
  z.coerce.number().int("must be a whole number").positive("must be positive").default(fallback);

const serviceUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .transform((url) => url.replace(/\/+$/, ""));

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  SESSION_SECRET: z
    .string({ error: "is required (comma-separated secrets; the first signs, all verify)" })
    .transform((value) => value.split(",").map((secret) => secret.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().min(32, "each secret must be at least 32 characters"))
        .min(1, "needs at least one secret"),
    ),
  SESSION_IDLE_TIMEOUT_S: seconds(1800),
  SESSION_ABSOLUTE_TIMEOUT_S: seconds(43200),

  TRUST_PROXY: z.coerce.number().int().min(0, "must be the number of proxy hops to trust").optional(),
  METRICS_TOKEN: optionalString,

  AUTH_SERVICE_URL: serviceUrl,
  USERS_SERVICE_URL: serviceUrl,
  PAYMENTS_SERVICE_URL: serviceUrl,
  TRANSACTIONS_SERVICE_URL: serviceUrl,
  ADS_SERVICE_URL: serviceUrl,
  AUTH_CLIENT_ID: z.string().min(1, "is required"),
  AUTH_CLIENT_SECRET: z.string().min(1, "is required"),
  ADS_API_KEY: z.string().min(1, "is required"),
  /** Auth's issuer (`iss` of its logout tokens); the default is the stand-in's. */
  AUTH_ISSUER: z.string().min(1).default("urn:standin:auth"),

  ADS_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((origin) => origin.trim()).filter(Boolean))
    .pipe(
      z.array(
        z
          .string()
          .refine(
            (origin) => origin === "*" || isOrigin(origin),
            'must be "*" or origins like https://partner.example (scheme and host, no path)',
          ),
      ),
    ),
  ADS_RATE_LIMIT_PER_MIN: count(600),
  LOGIN_RATE_LIMIT_PER_EMAIL: count(10),
  LOGIN_RATE_LIMIT_PER_IP: count(100),
  LOGIN_RATE_LIMIT_WINDOW_S: seconds(900),
  BACKCHANNEL_RATE_LIMIT_PER_MIN: count(300),

  UPSTREAM_CONNECT_TIMEOUT_MS: count(1000),
  UPSTREAM_TIMEOUT_MS: count(5000),

  REDIS_URL: optionalString,
  SESSION_STORE: z.enum(["cookie", "redis"], { error: 'must be "cookie" or "redis"' }).default("cookie"),
});

export type Env = z.infer<typeof envSchema>;

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.pathname === "/" && !url.search && !url.hash && !url.username;
  } catch {
    return false;
  }
}

/** The variables that name the microservices. Unset together, they mean "embedded stand-ins". */
export const SERVICE_URL_VARS = [
  "AUTH_SERVICE_URL",
  "USERS_SERVICE_URL",
  "PAYMENTS_SERVICE_URL",
  "TRANSACTIONS_SERVICE_URL",
  "ADS_SERVICE_URL",
] as const;

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses settings; throws an `EnvError` whose message is one line naming the first bad setting. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const given = withoutBlanks(source);
  const result = envSchema.safeParse(given);
  if (result.success && result.data.SESSION_STORE === "redis" && !result.data.REDIS_URL) {
    throw new EnvError("Invalid configuration: REDIS_URL is required when SESSION_STORE=redis");
  }
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const setting = String(issue?.path[0] ?? "configuration");
  const problem = given[setting] === undefined ? "is required" : issue?.message;
  throw new EnvError(`Invalid configuration: ${setting} ${problem ?? "is invalid"}`);
}

// An empty `FOO=` line in .env means "not set", so defaults still apply.
function withoutBlanks(source: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
}

let cached: Env | undefined;

/** The validated settings of this process (parsed on first use, then cached). */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change `process.env` between cases. */
export function resetEnvCache() {
  cached = undefined;
}
