/**
 * Where the app may send a customer after signing in. Only paths inside the app:
 * no other origin, no protocol-relative `//host`, no `/\host` (browsers read `\` as
 * `/`), no schemes, no control characters, and no encoded form of those.
 */
export const DEFAULT_REDIRECT = "/dashboard";

export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT): string {
  if (typeof to !== "string" || to === "") return fallback;
  let decoded = to;
  try {
    // Judge the decoded form too: `%2F%2Fevil.example` must not pass as a path.
    for (let i = 0; i < 3 && decoded.includes("%"); i++) decoded = decodeURIComponent(decoded);
  } catch {
    return fallback;
  }
  for (const candidate of [to, decoded]) {
    if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return fallback;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f\\]/.test(candidate)) return fallback;
  }
  // The final judge: resolved against our own origin, it must stay there.
  const base = "http://app.invalid";
  const resolved = new URL(to, base);
  if (resolved.origin !== base) return fallback;
  if (resolved.pathname === "/login" || resolved.pathname.startsWith("/login/")) return fallback;
  return resolved.pathname + resolved.search + resolved.hash;
}

/** `/login?redirectTo=<path>`, plus why the customer is asked to sign in again. */
export function loginPath(redirectTo: string, reason?: "expired" | "ended"): string {
  const search = new URLSearchParams();
  if (redirectTo && redirectTo !== "/") search.set("redirectTo", redirectTo);
  if (reason) search.set("reason", reason);
  const query = search.toString();
  return query ? `/login?${query}` : "/login";
}
