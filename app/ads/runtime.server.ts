import { isUpstreamError } from "../../services/errors.server";
import { logger } from "../logger.server";
import type { RateLimiter } from "../rate-limit.server";
import { getServices } from "../services.server";
import { getRateLimiter, getRedis } from "../shared-state/index.server";
import { createRedisAdsCache } from "../shared-state/redis-ads-cache.server";
import { createMemoryAdsCache } from "./cache.server";
import { createMemoryClickCounter, type ClickCounter } from "./clicks.server";
import { corsPolicy, type CorsPolicy } from "./cors.server";
import { createAdsFeed, type AdsFeed } from "./feed.server";
import { createPublicBodies, type PublicBodies } from "./public-bodies.server";

/** How long one Ads answer is served as is (also the browser's max-age). */
export const ADS_FRESH_MS = 30_000;
/** How long the last good answer may stand in while Ads fails. */
export const ADS_STALE_MS = 10 * 60_000;
/** How long Ads is left alone after a failure (also the 503's Retry-After). */
export const ADS_FAILURE_BACKOFF_MS = 5_000;
export const ADS_RATE_WINDOW_MS = 60_000;

/** The public ads machinery of this process: where answers, clicks and counters live. */
export interface AdsRuntime {
  feed: AdsFeed;
  clicks: ClickCounter;
  rateLimiter: RateLimiter;
  /** The public JSON per upstream answer, serialised once. */
  bodies: PublicBodies;
}

let runtime: AdsRuntime | undefined;

export function getAdsRuntime(): AdsRuntime {
  const redis = getRedis();
  runtime ??= {
    feed: createAdsFeed({
      cache: redis ? createRedisAdsCache(redis, { retainMs: ADS_STALE_MS }) : createMemoryAdsCache({ retainMs: ADS_STALE_MS }),
      // Contextual only: no segment, no session, whoever is asking.
      fetchAds: (placement, context) => getServices().ads.list({ placement }, context),
      freshMs: ADS_FRESH_MS,
      staleMs: ADS_STALE_MS,
      failureBackoffMs: ADS_FAILURE_BACKOFF_MS,
      onError: ({ placement, stage, error }) =>
        logger.warn(
          {
            placement,
            stage,
            kind: isUpstreamError(error) ? error.kind : undefined,
            status: isUpstreamError(error) ? error.status : undefined,
            err: error instanceof Error ? error.message : String(error),
          },
          "ads refresh failed; the last good answer stands in while recent",
        ),
    }),
    clicks: createMemoryClickCounter(),
    rateLimiter: getRateLimiter(),
    bodies: createPublicBodies(),
  };
  return runtime;
}

/** For tests: empty caches, counters and limits. */
export function resetAdsRuntime() {
  runtime = undefined;
}

const policies = new WeakMap<readonly string[], CorsPolicy>();

/** The CORS policy for ADS_ALLOWED_ORIGINS, parsed once per setting (and its mistakes logged once). */
export function adsCorsPolicy(allowed: readonly string[]): CorsPolicy {
  let policy = policies.get(allowed);
  if (!policy) {
    policy = corsPolicy(allowed);
    policies.set(allowed, policy);
    if (policy.ignored.length > 0) {
      logger.warn({ ignored: policy.ignored }, "ADS_ALLOWED_ORIGINS: entries that are not http(s) origins are ignored");
    }
  }
  return policy;
}
