/**
 * Security headers for every response. Pages get a strict CSP whose scripts must
 * carry this request's nonce; partner-facing ads routes may be embedded and read
 * by other origins, so they get a policy that fits them instead.
 */
export interface SecurityHeaderOptions {
  nonce: string;
  /** Reached over HTTPS (directly or via a trusted proxy): only then HSTS. */
  secure: boolean;
  /** Served to partner websites (the embed script, the public ads API). */
  partnerFacing: boolean;
}

export function securityHeaders({ nonce, secure, partnerFacing }: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": partnerFacing ? "cross-origin" : "same-origin",
    "X-Frame-Options": partnerFacing ? "" : "DENY",
    "Content-Security-Policy": partnerFacing
      ? "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
      : [
          "default-src 'self'",
          `script-src 'self' 'nonce-${nonce}'`,
          "style-src 'self'",
          "img-src 'self' data:",
          "font-src 'self'",
          "connect-src 'self'",
          "object-src 'none'",
          "base-uri 'none'",
          "form-action 'self'",
          "frame-ancestors 'none'",
        ].join("; "),
  };
  if (secure) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  if (!headers["X-Frame-Options"]) delete headers["X-Frame-Options"];
  return headers;
}

/** The embed script and the public ads API are for other origins; nothing else is. */
export function isPartnerFacing(pathname: string): boolean {
  // Remix matches routes case-insensitively: so must this.
  const path = pathname.toLowerCase();
  return path === "/ads/embed.js" || path === "/api/ads" || path.startsWith("/api/ads/");
}
