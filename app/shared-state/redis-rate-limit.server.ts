import type { Redis } from "ioredis";
import { countRejection, type RateLimiter, type RateLimitState } from "../rate-limit.server";
import { orElse } from "./fail-open.server";

// Count and window in one round trip, atomically: INCR, start the window on the first hit.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}`;

const PEEK = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
return {count, ttl}`;

/**
 * Fixed-window limits shared by every instance. If Redis cannot answer, the
 * request is allowed (fail open): a limit is abuse protection, and Auth keeps its
 * own; refusing every sign-in while Redis is down would be an outage of our making.
 */
export function createRedisRateLimiter(redis: Redis): RateLimiter {
  const state = (allowed: boolean, ttlMs: number): RateLimitState => ({
    allowed,
    retryAfterS: Math.max(1, Math.ceil(Math.max(ttlMs, 0) / 1000)),
  });
  const allowed = (): RateLimitState => ({ allowed: true, retryAfterS: 1 });
  const key = (name: string) => `rate:${name}`;

  return {
    async hit(name, limit, windowMs) {
      return orElse(
        "rate-limit",
        async () => {
          const [count, ttl] = (await redis.eval(HIT, 1, key(name), windowMs)) as [number, number];
          return countRejection(name, state(count <= limit, ttl));
        },
        allowed,
      );
    },
    async check(name, limit, windowMs) {
      return orElse(
        "rate-limit",
        async () => {
          const [count, ttl] = (await redis.eval(PEEK, 1, key(name))) as [number, number];
          return countRejection(name, state(count < limit, ttl < 0 ? windowMs : ttl));
        },
        allowed,
      );
    },
    async reset(name) {
      await orElse("rate-limit", () => redis.del(key(name)), () => 0);
    },
  };
}
