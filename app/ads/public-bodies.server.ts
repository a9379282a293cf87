import { strongEtag } from "./etag.server";
import type { AdsAnswer } from "./feed.server";
import { toPublicAds } from "./public-ads.server";

/** One placement's public JSON for one origin, ready to send. */
export interface PublicBody {
  /** The JSON, encoded once: every request for it writes these same bytes. */
  bytes: Buffer<ArrayBuffer>;
  /** Its length in bytes, as the Content-Length header's value. */
  contentLength: string;
  etag: string;
}

export interface PublicBodies {
  get(placement: string, answer: AdsAnswer, origin: string): PublicBody;
}

// Click URLs are absolute, so the body depends on the origin the client addressed.
// Bounded: a flood of odd Host headers costs a serialisation each, not memory.
const ORIGINS_PER_ANSWER = 8;

/**
 * The JSON and its ETag per placement and origin, made once per upstream answer
 * rather than per request. Keyed by when Ads gave the answer, so the copies a
 * shared cache hands out count as the same answer.
 */
export function createPublicBodies(): PublicBodies {
  const entries = new Map<string, { fetchedAt: number; byOrigin: Map<string, PublicBody> }>();
  return {
    get(placement, answer, origin) {
      let entry = entries.get(placement);
      if (entry?.fetchedAt !== answer.fetchedAt) {
        entry = { fetchedAt: answer.fetchedAt, byOrigin: new Map() };
        entries.set(placement, entry);
      }
      let made = entry.byOrigin.get(origin);
      if (!made) {
        const json = JSON.stringify(toPublicAds(answer.ads, origin));
        const bytes = Buffer.from(json);
        made = { bytes, contentLength: String(bytes.length), etag: strongEtag(json) };
        if (entry.byOrigin.size < ORIGINS_PER_ANSWER) entry.byOrigin.set(origin, made);
      }
      return made;
    },
  };
}
