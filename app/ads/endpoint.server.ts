import { getEnv } from "../env.server";
import type { RequestTrace } from "../observability/request-trace.server";
import { corsHeaders, preflightAnswer, type CorsPolicy } from "./cors.server";
import { matchesIfNoneMatch } from "./etag.server";
import { AdsUnavailableError, type AdsAnswer } from "./feed.server";
import { parseAdsQuery, type AdsQueryResult } from "./query.server";
import { ADS_FRESH_MS, ADS_RATE_WINDOW_MS, adsCorsPolicy, getAdsRuntime } from "./runtime.server";

/**
 * `GET|HEAD|OPTIONS /api/ads?placement=…` as plain data in, plain data out
 * (docs/decisions/005 and 008). Two thin adapters serve it: the Remix resource
 * route (`app/routes/api.ads.ts`, what loader tests call) and the server entry's
 * fast path (`server/public-ads.ts`, what partners hit), which skips Express and
 * Remix because this is the app's hottest public path.
 */
export interface PublicAdsRequest {
  method: "GET" | "HEAD" | "OPTIONS";
  /** The raw query string, with its "?" (or ""). */
  search: string;
  /** The request headers it reads (a Fetch `Headers` will do). */
  headers: { get(name: "origin" | "if-none-match" | "access-control-request-method" | "access-control-request-headers"): string | null };
  /** Our origin as the client addressed it, for absolute click URLs. */
  publicOrigin: string;
  clientIp: string;
  /** This request's trace (and id), for the Ads call a cache miss makes. */
  trace: RequestTrace;
}

export interface PublicAdsAnswer {
  status: number;
  headers: Record<string, string>;
  /**
   * What to send (never for HEAD, 204 or 304). Bytes, and for the ads the same
   * bytes for every request until the feed changes: nothing to encode per request,
   * and a compressed copy can be remembered by them (server/public-ads.ts).
   */
  body: Buffer<ArrayBuffer> | null;
}

const FRESH_S = ADS_FRESH_MS / 1000;
const CACHE_CONTROL = `public, max-age=${FRESH_S}, stale-while-revalidate=${FRESH_S}, stale-if-error=600`;
// A stand-in answer should be replaced soon after Ads is back.
const STALE_CACHE_CONTROL = "public, max-age=5";
const JSON_TYPE = "application/json; charset=utf-8";
const ALLOW = "GET, HEAD, OPTIONS";

export async function answerPublicAds(request: PublicAdsRequest): Promise<PublicAdsAnswer> {
  const env = getEnv();
  const policy = adsCorsPolicy(env.ADS_ALLOWED_ORIGINS);
  if (request.method === "OPTIONS") return options(request, policy);
  const cors = corsHeaders(policy, request.headers.get("origin"));
  const head = request.method === "HEAD";

  const { feed, rateLimiter, bodies } = getAdsRuntime();
  const limit = await rateLimiter.hit(`ads:${request.clientIp}`, env.ADS_RATE_LIMIT_PER_MIN, ADS_RATE_WINDOW_MS);
  if (!limit.allowed) {
    return adsProblem(429, "rate_limited", `Too many requests. Try again in ${limit.retryAfterS} seconds.`, head, {
      "Retry-After": String(limit.retryAfterS),
      ...cors,
    });
  }

  const query = parsedQuery(request.search);
  if (!query.ok) return adsProblem(400, query.error, query.message, head, cors);

  let answer: AdsAnswer;
  try {
    answer = await feed.get(query.placement, { trace: request.trace });
  } catch (error) {
    if (!(error instanceof AdsUnavailableError)) throw error;
    return adsProblem(503, "ads_unavailable", "Ads are unavailable right now. Try again shortly.", head, {
      "Retry-After": String(error.retryAfterS),
      ...cors,
    });
  }

  const { bytes, contentLength, etag } = bodies.get(query.placement, answer, request.publicOrigin);
  const cacheControl = answer.stale ? STALE_CACHE_CONTROL : CACHE_CONTROL;
  const notModified = matchesIfNoneMatch(request.headers.get("if-none-match"), etag);
  // Each answer's headers in one literal, spread last: on Node 20 a literal that starts with a spread is ~40x slower (docs/performance.md).
  const headers: Record<string, string> = notModified
    ? { "Cache-Control": cacheControl, ETag: etag, ...cors }
    : { "Cache-Control": cacheControl, ETag: etag, "Content-Type": JSON_TYPE, "Content-Length": contentLength, ...cors };
  if (answer.stale) headers["X-Ads-Stale"] = "1";
  return { status: notModified ? 304 : 200, headers, body: notModified || head ? null : bytes };
}

/** What any other method gets (the Remix route's action). */
export function methodNotAllowed(origin: string | null): PublicAdsAnswer {
  const cors = corsHeaders(adsCorsPolicy(getEnv().ADS_ALLOWED_ORIGINS), origin);
  return adsProblem(405, "method_not_allowed", "/api/ads answers GET only.", false, { Allow: ALLOW, ...cors });
}

function options(request: PublicAdsRequest, policy: CorsPolicy): PublicAdsAnswer {
  const origin = request.headers.get("origin");
  const method = request.headers.get("access-control-request-method");
  if (origin === null || method === null) {
    return { status: 204, headers: { Allow: ALLOW, ...corsHeaders(policy, origin) }, body: null };
  }
  const answer = preflightAnswer(policy, origin, method, request.headers.get("access-control-request-headers"));
  if (!answer.allowed) {
    // No CORS headers: the browser refuses the call; the body is for whoever reads devtools.
    return adsProblem(403, "origin_not_allowed", "This origin may not read /api/ads, or not with that method or headers.", false, answer.headers);
  }
  return { status: 204, headers: answer.headers, body: null };
}

/** JSON errors in one shape, never cached. */
function adsProblem(status: number, error: string, message: string, head: boolean, headers: Record<string, string>): PublicAdsAnswer {
  const body = Buffer.from(JSON.stringify({ error, message }));
  return {
    status,
    // `headers` are CORS, Retry-After or Allow: never one of these three.
    headers: { "Cache-Control": "no-store", "Content-Type": JSON_TYPE, "Content-Length": String(body.length), ...headers },
    body: head ? null : body,
  };
}

// Partners send the same few query strings millions of times: parse each once.
const QUERY_MEMO_MAX = 64;
const queries = new Map<string, AdsQueryResult>();

function parsedQuery(search: string): AdsQueryResult {
  let result = queries.get(search);
  if (!result) {
    result = parseAdsQuery(new URLSearchParams(search));
    if (queries.size >= QUERY_MEMO_MAX) queries.clear();
    queries.set(search, result);
  }
  return result;
}
