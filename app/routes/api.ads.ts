import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { corsHeaders, isPreflight, preflight, type CorsPolicy } from "~/ads/cors.server";
import { matchesIfNoneMatch, strongEtag } from "~/ads/etag.server";
import { AdsUnavailableError, type AdsAnswer } from "~/ads/feed.server";
import { publicOrigin, toPublicAds } from "~/ads/public-ads.server";
import { parseAdsQuery } from "~/ads/query.server";
import { adsProblem } from "~/ads/responses.server";
import { ADS_FRESH_MS, ADS_RATE_WINDOW_MS, adsCorsPolicy, getAdsRuntime } from "~/ads/runtime.server";
import { getEnv } from "~/env.server";

/**
 * `GET /api/ads?placement=…`: public, for partner sites (docs/decisions/005).
 * Contextual ads only; it never looks at the session or any cookie, so one
 * cached answer serves everybody.
 */

const FRESH_S = ADS_FRESH_MS / 1000;
const CACHE_CONTROL = `public, max-age=${FRESH_S}, stale-while-revalidate=${FRESH_S}, stale-if-error=600`;
// A stand-in answer should be replaced soon after Ads is back.
const STALE_CACHE_CONTROL = "public, max-age=5";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const env = getEnv();
  const policy = adsCorsPolicy(env.ADS_ALLOWED_ORIGINS);
  // Remix hands OPTIONS to the loader (only POST/PUT/PATCH/DELETE go to the action).
  if (request.method === "OPTIONS") return options(request, policy);
  const cors = corsHeaders(policy, request.headers.get("origin"));

  const { feed, rateLimiter } = getAdsRuntime();
  const limit = await rateLimiter.hit(`ads:${context.clientIp}`, env.ADS_RATE_LIMIT_PER_MIN, ADS_RATE_WINDOW_MS);
  if (!limit.allowed) {
    return adsProblem(429, "rate_limited", `Too many requests. Try again in ${limit.retryAfterS} seconds.`, {
      ...cors,
      "Retry-After": String(limit.retryAfterS),
    });
  }

  const query = parseAdsQuery(new URL(request.url).searchParams);
  if (!query.ok) return adsProblem(400, query.error, query.message, cors);

  let answer: AdsAnswer;
  try {
    answer = await feed.get(query.placement, { requestId: context.requestId });
  } catch (error) {
    if (!(error instanceof AdsUnavailableError)) throw error;
    return adsProblem(503, "ads_unavailable", "Ads are unavailable right now. Try again shortly.", {
      ...cors,
      "Retry-After": String(error.retryAfterS),
    });
  }

  const body = JSON.stringify(toPublicAds(answer.ads, publicOrigin(request, env.TRUST_PROXY !== undefined)));
  const etag = strongEtag(body);
  const headers: Record<string, string> = {
    ...cors,
    "Cache-Control": answer.stale ? STALE_CACHE_CONTROL : CACHE_CONTROL,
    ETag: etag,
    ...(answer.stale ? { "X-Ads-Stale": "1" } : {}),
  };
  if (matchesIfNoneMatch(request.headers.get("if-none-match"), etag)) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { status: 200, headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const cors = corsHeaders(adsCorsPolicy(getEnv().ADS_ALLOWED_ORIGINS), request.headers.get("origin"));
  return adsProblem(405, "method_not_allowed", "/api/ads answers GET only.", { ...cors, Allow: "GET, HEAD, OPTIONS" });
}

function options(request: Request, policy: CorsPolicy): Response {
  if (!isPreflight(request)) {
    return new Response(null, { status: 204, headers: { ...corsHeaders(policy, request.headers.get("origin")), Allow: "GET, HEAD, OPTIONS" } });
  }
  const answer = preflight(policy, request);
  if (!answer.allowed) {
    // No CORS headers: the browser refuses the call; the body is for whoever reads devtools.
    return adsProblem(403, "origin_not_allowed", "This origin may not read /api/ads, or not with that method or headers.", answer.headers);
  }
  return new Response(null, { status: 204, headers: answer.headers });
}
