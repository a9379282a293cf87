import { Redis } from "ioredis";
import { logger } from "../logger.server";

/**
 * One Redis connection per process, for everything shared between instances.
 * A command waits for the connection at most REDIS_COMMAND_TIMEOUT_MS (so the
 * first requests of a new instance work), then fails, and each caller applies its
 * own policy (docs/decisions/007) instead of hanging.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

export function createRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: true,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 1_000,
    // Keep trying to come back, at most once a second.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    keyPrefix: "nw:",
  });
  let down = false;
  redis.on("error", (error: Error) => {
    if (!down) logger.warn({ err: error.message }, "redis unavailable");
    down = true;
  });
  redis.on("ready", () => {
    if (down) logger.info("redis back");
    down = false;
  });
  return redis;
}
