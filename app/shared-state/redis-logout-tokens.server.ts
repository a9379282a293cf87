import type { Redis } from "ioredis";
import type { SeenTokenIds } from "../backchannel/replay.server";

/**
 * Logout-token ids shared by every instance (SET NX: the first instance to claim
 * an id wins). Errors reach the caller, which fails closed: an id that cannot be
 * checked is not acted on, and Auth retries the delivery.
 */
export function createRedisSeenTokenIds(redis: Redis): SeenTokenIds {
  const key = (jti: string) => `logout-jti:${jti}`;
  return {
    async claim(jti, untilMs) {
      return (await redis.set(key(jti), "1", "PX", Math.max(1, Math.ceil(untilMs - Date.now())), "NX")) === "OK";
    },
    async release(jti) {
      await redis.del(key(jti));
    },
  };
}
