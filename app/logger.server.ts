import { pino, type DestinationStream } from "pino";

/**
 * Structured JSON logs. Anything that could carry a credential is redacted by
 * path, so a careless `log.info({ headers })` cannot leak a cookie or token.
 */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "code",
  "*.code",
  "secret",
  "*.secret",
  "headers.cookie",
  "headers.authorization",
  'headers["set-cookie"]',
  "*.headers.cookie",
  "*.headers.authorization",
  '*.headers["set-cookie"]',
];

export function createLogger(level: string, destination?: DestinationStream) {
  return pino({ level, base: undefined, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, destination);
}

export const logger = createLogger(process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"));

export type Logger = typeof logger;
