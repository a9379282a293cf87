import type { Redis } from "ioredis";
import type { AdPlacement } from "../../types/domain";
import type { AdsCache, CachedAds } from "../ads/cache.server";
import { orElse } from "./fail-open.server";

/**
 * The last good Ads answer per placement, shared by every instance. If Redis
 * cannot answer, it is as if nothing were cached (fail open): Ads is asked, and
 * coalescing in each instance still holds the load down.
 */
export function createRedisAdsCache(redis: Redis, options: { retainMs: number }): AdsCache {
  const key = (placement: AdPlacement) => `ads:${placement}`;
  return {
    async get(placement) {
      return orElse(
        "ads-cache",
        async () => {
          const json = await redis.get(key(placement));
          return json ? (JSON.parse(json) as CachedAds) : undefined;
        },
        () => undefined,
      );
    },
    async set(placement, entry) {
      await orElse("ads-cache", () => redis.set(key(placement), JSON.stringify(entry), "PX", options.retainMs), () => null);
    },
  };
}
