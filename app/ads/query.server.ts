import { z } from "zod";
import { AD_PLACEMENTS, type AdPlacement } from "../../types/domain";

/**
 * The query of `GET /api/ads`: exactly one `placement`, nothing else. Ads here are
 * contextual, so anything that looks like targeting (`segment`, a user id) is
 * refused loudly rather than silently ignored.
 */
export type AdsQueryResult =
  | { ok: true; placement: AdPlacement }
  | { ok: false; error: "invalid_placement" | "invalid_query"; message: string };

const PLACEMENTS = AD_PLACEMENTS.join(", ");

const querySchema = z.strictObject({
  placement: z
    .array(z.string(), { error: `placement is required: one of ${PLACEMENTS}.` })
    .length(1, { error: `Give placement once: one of ${PLACEMENTS}.` })
    .transform(([value]) => value)
    .pipe(z.enum(AD_PLACEMENTS, { error: `placement must be one of ${PLACEMENTS}.` })),
});

export function parseAdsQuery(params: URLSearchParams): AdsQueryResult {
  // A Map, then fromEntries: a key like "__proto__" stays a plain key.
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const result = querySchema.safeParse(Object.fromEntries(grouped));
  if (result.success) return { ok: true, placement: result.data.placement };

  const unknown = result.error.issues.find((issue) => issue.code === "unrecognized_keys");
  if (unknown) return { ok: false, error: "invalid_query", message: unknownMessage(unknown.keys) };
  return {
    ok: false,
    error: "invalid_placement",
    message: result.error.issues[0]?.message ?? `placement must be one of ${PLACEMENTS}.`,
  };
}

function unknownMessage(keys: readonly string[]): string {
  // Named back so a developer sees their typo, but bounded: this is reflected input.
  const named = keys
    .slice(0, 3)
    .map((key) => JSON.stringify(key.slice(0, 40)))
    .join(", ");
  return `Unknown query parameter ${named}: /api/ads takes only placement (${PLACEMENTS}); ads are contextual, never personalised.`;
}
