import { logger } from "../logger.server";
import { sharedStateFailures } from "../observability/metrics.server";

let lastLogged = 0;

/**
 * Runs a shared-state operation; when Redis cannot answer, counts it, logs it (at
 * most once every 10 s) and returns what the caller decided is safe instead.
 */
export async function orElse<T>(what: string, operation: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    sharedStateFailures.inc({ operation: what });
    if (Date.now() - lastLogged > 10_000) {
      lastLogged = Date.now();
      logger.warn({ operation: what, err: error instanceof Error ? error.message : String(error) }, "shared state unavailable; applying its fallback");
    }
    return fallback();
  }
}
