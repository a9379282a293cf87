import type { CallContext } from "../../services/http.server";
import { AD_PLACEMENTS, type Ad, type AdPlacement } from "../../types/domain";
import type { AdsCache, CachedAds } from "./cache.server";

/**
 * The ads a placement shows right now, with Ads shielded from our traffic:
 * answers are cached per placement for `freshMs`; concurrent misses share one
 * upstream call; when Ads fails, the last good answer stands in for up to
 * `staleMs`, and Ads is left alone for `failureBackoffMs` before the next try.
 */
export interface AdsFeedOptions {
  cache: AdsCache;
  /** One upstream call for a placement. Contextual: the placement is all it gets. */
  fetchAds: (placement: AdPlacement, context: CallContext) => Promise<Ad[]>;
  freshMs: number;
  staleMs: number;
  failureBackoffMs: number;
  now?: () => number;
  /** Told once per failed refresh (not once per waiting request); must not throw. */
  onError?: (event: { placement: AdPlacement; stage: "fetch" | "store"; error: unknown }) => void;
}

export interface AdsAnswer {
  ads: Ad[];
  fetchedAt: number;
  /** True when Ads failed and this is the last good answer. */
  stale: boolean;
}

export class AdsUnavailableError extends Error {
  override name = "AdsUnavailableError";
  constructor(readonly retryAfterS: number) {
    super("ads unavailable and no recent answer to stand in");
  }
}

export interface AdsFeed {
  /** The placement's ads; throws `AdsUnavailableError` when there is nothing recent to show. */
  get(placement: AdPlacement, context?: CallContext): Promise<AdsAnswer>;
  /** An ad we served (or Ads serves now) by id, for click redirects. */
  find(adId: string, context?: CallContext): Promise<Ad | undefined>;
}

export function createAdsFeed(options: AdsFeedOptions): AdsFeed {
  const now = options.now ?? Date.now;
  const inflight = new Map<AdPlacement, Promise<CachedAds>>();
  const backoffUntil = new Map<AdPlacement, number>();

  function refresh(placement: AdPlacement, context: CallContext | undefined): Promise<CachedAds> {
    let pending = inflight.get(placement);
    if (!pending) {
      pending = load(placement, context).finally(() => inflight.delete(placement));
      inflight.set(placement, pending);
    }
    return pending;
  }

  async function load(placement: AdPlacement, context: CallContext | undefined): Promise<CachedAds> {
    let ads: Ad[];
    try {
      // Not the caller's abort signal: other requests wait on this same call.
      ads = await options.fetchAds(placement, { trace: context?.trace });
    } catch (error) {
      backoffUntil.set(placement, now() + options.failureBackoffMs);
      options.onError?.({ placement, stage: "fetch", error });
      throw error;
    }
    backoffUntil.delete(placement);
    const entry = { ads, fetchedAt: now() };
    try {
      await options.cache.set(placement, entry);
    } catch (error) {
      // A cache that cannot store costs us freshness, not the answer in hand.
      options.onError?.({ placement, stage: "store", error });
    }
    return entry;
  }

  const ageOf = (entry: CachedAds) => now() - entry.fetchedAt;
  // Named fields, not a spread of the entry: this runs on every partner request.
  const answer = (entry: CachedAds, stale: boolean): AdsAnswer => ({ ads: entry.ads, fetchedAt: entry.fetchedAt, stale });

  async function get(placement: AdPlacement, context?: CallContext): Promise<AdsAnswer> {
    const cached = await options.cache.get(placement);
    if (cached && ageOf(cached) < options.freshMs) return answer(cached, false);

    if ((backoffUntil.get(placement) ?? 0) <= now()) {
      try {
        return answer(await refresh(placement, context), false);
      } catch {
        // Reported once in load(); every waiting request falls through to the stand-in below.
      }
    }
    if (cached && ageOf(cached) < options.staleMs) return answer(cached, true);
    const retryAt = backoffUntil.get(placement) ?? now() + options.failureBackoffMs;
    throw new AdsUnavailableError(Math.max(1, Math.ceil((retryAt - now()) / 1000)));
  }

  async function find(adId: string, context?: CallContext): Promise<Ad | undefined> {
    const held = await Promise.all(AD_PLACEMENTS.map((placement) => options.cache.get(placement)));
    const known = held.flatMap((entry) => entry?.ads ?? []).find((ad) => ad.id === adId);
    if (known) return known;
    // Not held here (expired, or served by another instance): ask through get(), which
    // is cached and coalesced, so unknown ids cannot make us hammer Ads.
    const answers = await Promise.allSettled(AD_PLACEMENTS.map((placement) => get(placement, context)));
    return answers
      .flatMap((answer) => (answer.status === "fulfilled" ? answer.value.ads : []))
      .find((ad) => ad.id === adId);
  }

  return { get, find };
}
