import type { Ad, AdPlacement } from "../../types/domain";

/** One placement's ads as Ads last gave them, and when. */
export interface CachedAds {
  ads: Ad[];
  /** Epoch ms of the upstream answer. */
  fetchedAt: number;
}

/**
 * Where the last good answer per placement lives. Async and keyed by placement so
 * a shared store (Redis, for many instances) can implement it; freshness is the
 * feed's decision, the cache only forgets entries older than it may ever need.
 */
export interface AdsCache {
  get(placement: AdPlacement): Promise<CachedAds | undefined>;
  set(placement: AdPlacement, entry: CachedAds): Promise<void>;
}

export function createMemoryAdsCache(options: { retainMs: number; now?: () => number }): AdsCache {
  const now = options.now ?? Date.now;
  const entries = new Map<AdPlacement, CachedAds>();
  return {
    async get(placement) {
      const entry = entries.get(placement);
      if (entry && now() - entry.fetchedAt >= options.retainMs) {
        entries.delete(placement);
        return undefined;
      }
      return entry;
    },
    async set(placement, entry) {
      entries.set(placement, entry);
    },
  };
}
