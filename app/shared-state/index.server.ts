import type { Redis } from "ioredis";
import { getEnv } from "../env.server";
import { createMemoryRateLimiter, type RateLimiter } from "../rate-limit.server";
import { createRedis } from "./redis.server";
import { createRedisRateLimiter } from "./redis-rate-limit.server";

let redis: Redis | undefined;
let rateLimiter: RateLimiter | undefined;

/** The Redis connection when REDIS_URL is set; undefined for one instance with in-memory state. */
export function getRedis(): Redis | undefined {
  const url = getEnv().REDIS_URL;
  if (url && !redis) redis = createRedis(url);
  return redis;
}

/** The one rate limiter of the process: shared across instances through Redis when configured. */
export function getRateLimiter(): RateLimiter {
  if (!rateLimiter) {
    const shared = getRedis();
    rateLimiter = shared ? createRedisRateLimiter(shared) : createMemoryRateLimiter();
  }
  return rateLimiter;
}

/** For tests: forget the limiter (its in-memory counts) and the connection. */
export function resetSharedState() {
  rateLimiter = undefined;
  redis?.disconnect();
  redis = undefined;
}
