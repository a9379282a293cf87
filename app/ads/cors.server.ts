/**
 * CORS for the public ads API. Partner pages may read our JSON from the origins in
 * ADS_ALLOWED_ORIGINS; nobody ever gets credentials, because the API never looks
 * at cookies and so has nothing to share with a signed-in browser.
 */
export interface CorsPolicy {
  allowsAny: boolean;
  origins: ReadonlySet<string>;
  /** Configured entries that are not origins (ignored; the runtime logs them). */
  ignored: readonly string[];
}

const PREFLIGHT_MAX_AGE_S = 600;
const ALLOWED_METHODS = new Set(["GET", "HEAD"]);

/** Reads ADS_ALLOWED_ORIGINS: `*`, or origins compared in their serialised form. */
export function corsPolicy(allowed: readonly string[]): CorsPolicy {
  const origins = new Set<string>();
  const ignored: string[] = [];
  for (const entry of allowed) {
    if (entry === "*") continue;
    const origin = normaliseOrigin(entry);
    if (origin) origins.add(origin);
    else ignored.push(entry);
  }
  return { allowsAny: allowed.includes("*"), origins, ignored };
}

// "https://Partner.example/" and "https://partner.example" are the same origin;
// "null" (sandboxed frames, file:) is never an origin worth trusting.
function normaliseOrigin(entry: string): string | undefined {
  try {
    const url = new URL(entry);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** Headers for an actual (non-preflight) response to a request from `origin`. */
export function corsHeaders(policy: CorsPolicy, origin: string | null): Record<string, string> {
  // `*` is the same answer for everyone, so caches need no Vary.
  if (policy.allowsAny) return { "Access-Control-Allow-Origin": "*" };
  // From here the answer depends on Origin: shared caches must keep one copy per origin,
  // including the copy without CORS headers for callers that sent none.
  const headers: Record<string, string> = { Vary: "Origin" };
  if (origin !== null && policy.origins.has(origin)) headers["Access-Control-Allow-Origin"] = origin;
  return headers;
}

/**
 * The answer to a browser's preflight (OPTIONS with Origin and
 * Access-Control-Request-Method). Only GET/HEAD without extra request headers are
 * allowed: that is all the API serves, and the embed sends nothing more.
 */
export function preflightAnswer(
  policy: CorsPolicy,
  origin: string,
  requestMethod: string,
  requestHeaders: string | null,
): { allowed: boolean; headers: Record<string, string> } {
  const headers = corsHeaders(policy, origin);
  const allowed =
    "Access-Control-Allow-Origin" in headers &&
    ALLOWED_METHODS.has(requestMethod.toUpperCase()) &&
    (requestHeaders ?? "").trim() === "";
  if (!allowed) {
    delete headers["Access-Control-Allow-Origin"];
    return { allowed, headers };
  }
  return {
    allowed,
    headers: {
      "Access-Control-Allow-Methods": "GET, HEAD",
      "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE_S),
      ...headers,
    },
  };
}
