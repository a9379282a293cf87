const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a state-changing request comes from another site. Browsers send
 * `Origin` on every POST (and `Sec-Fetch-Site` on all requests); a request with
 * neither is not from a browser page, so it cannot be a cross-site forgery.
 * `host` is the Host the client addressed (the proxy's, when it forwards it).
 */
export function isCrossSiteWrite(method: string, headers: Headers, host: string | undefined): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  const site = headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  const origin = headers.get("origin");
  if (origin === null) return false;
  if (origin === "null" || !host) return true;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
