import type { Ad } from "../../types/domain";
import { isPlainHost } from "../security/host.server";

/** The public shape of `GET /api/ads` (shared/contract.md): these six fields and nothing else. */
export interface PublicAd {
  id: string;
  title: string;
  body: string;
  imageUrl: string;
  clickUrl: string;
  sponsor: string;
}

export function clickPath(adId: string): string {
  return `/api/ads/${encodeURIComponent(adId)}/click`;
}

/**
 * Picks fields one by one (never spreads an `Ad`), so whatever the Ads client
 * learns to carry later cannot leak here; clicks go through our click route.
 */
export function toPublicAds(ads: readonly Ad[], origin: string): { ads: PublicAd[] } {
  return {
    ads: ads.map((ad) => ({
      id: ad.id,
      title: ad.title,
      body: ad.body,
      imageUrl: ad.imageUrl,
      clickUrl: origin + clickPath(ad.id),
      sponsor: ad.sponsor,
    })),
  };
}

/**
 * Our origin as the client addressed it, for absolute click URLs. Without a
 * trusted proxy, the Host header decides: @remix-run/express takes the port from
 * X-Forwarded-Host even when no proxy is trusted, and this body is publicly
 * cacheable, so an unkeyed header must not shape it (cache poisoning).
 */
export function publicOrigin(request: Request, trustProxy: boolean): string {
  const url = new URL(request.url);
  if (trustProxy) return url.origin;
  return originFromHost(url.protocol, request.headers.get("host"), url.origin);
}

/** `protocol//host` when the Host header is a plain host[:port], else the fallback. */
export function originFromHost(protocol: string, host: string | null | undefined, fallback: string): string {
  if (!host || !isPlainHost(host)) return fallback;
  return new URL(`${protocol}//${host}`).origin;
}
