import type { LoaderFunctionArgs } from "@remix-run/node";
import { AD_ID, safeDestination } from "~/ads/clicks.server";
import { ADS_RATE_WINDOW_MS, getAdsRuntime } from "~/ads/runtime.server";
import { getEnv } from "~/env.server";
import { logger } from "~/logger.server";

/**
 * `GET /api/ads/:id/click`: counts a click on one of our ads and sends the
 * browser on to that ad's own click URL, as Ads gave it. Only the id is read:
 * no parameter can choose the destination, so this is no open redirect.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const adId = params.id ?? "";
  const { feed, clicks, rateLimiter } = getAdsRuntime();
  const ad = AD_ID.test(adId) ? await feed.find(adId, { trace: context.trace }) : undefined;
  const destination = ad ? safeDestination(ad.clickUrl) : undefined;
  if (!ad || !destination) {
    if (ad) logger.error({ requestId: context.requestId, adId }, "ad click URL is not an http(s) URL; not redirecting");
    return new Response("This ad is no longer available.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }

  // Over the limit the visitor still gets where they clicked; the click just doesn't count.
  const limit = await rateLimiter.hit(`ads-click:${context.clientIp}`, getEnv().ADS_RATE_LIMIT_PER_MIN, ADS_RATE_WINDOW_MS);
  const total = limit.allowed ? await clicks.record(ad.id) : undefined;
  logger.info({ requestId: context.requestId, adId: ad.id, counted: limit.allowed, total }, "ad click");

  return new Response(null, {
    status: 302,
    // no-store: every click must reach us to be counted.
    headers: { Location: destination, "Cache-Control": "no-store", "Referrer-Policy": "strict-origin-when-cross-origin" },
  });
}
