/**
 * Fields that exist only upstream: if one reaches loader data, trimming broke.
 * Matched as object keys anywhere in the value (not as substrings of text, so an
 * advertiser's `utm_campaign` in a link is not a false alarm).
 */
export const UPSTREAM_ONLY_KEYS = [
  "raw",
  "kyc",
  "internal_flags",
  "internalFlags",
  "marketing",
  "marketingSegments",
  "segments",
  "segment",
  "campaign",
  "targeting",
  "scoring",
  "tracking",
  "advertiser_account",
  "budget_cents",
  "cpm_cents",
  "limits",
  "ledgerBalance",
  "ledger",
  "accountId",
  "user_id",
  "amount_minor",
  "booked_at",
  "counterpartyIban",
  "accessToken",
  "refreshToken",
  "access_token",
  "refresh_token",
  "tokens",
];

const TOKEN_PATTERNS = [/eyJ[A-Za-z0-9_-]{10,}\.eyJ/, /dev-client-secret/, /dev-ads-key/, /127\.0\.0\.1:\d+/];

/** Every forbidden key or token-like string found in a loader's output. */
export function leaksIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((item, index) => visit(item, `${path}[${index}]`));
    else if (node && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        if (UPSTREAM_ONLY_KEYS.includes(key)) found.push(`${path}.${key}`);
        visit(child, `${path}.${key}`);
      }
    } else if (typeof node === "string") {
      for (const pattern of TOKEN_PATTERNS) if (pattern.test(node)) found.push(`${path} ~ ${pattern}`);
    }
  };
  visit(value, "$");
  return found;
}
