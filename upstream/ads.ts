import type { RequestHandler } from "msw";
import { PLACEMENTS, type AdRecord, type Placement } from "./data";
import { healthRoute, json, safeEqual } from "./responses";
import type { StandinState } from "./state";
import { route, toHandlers, type Route } from "./routes";

/**
 * Ads: a partner API behind an API key, returning the whole fat record (campaign
 * internals, targeting, scoring) that the BFF must trim before it leaves. A
 * `segment` personalises: ads targeting it come first; without one the order is
 * the contextual ranking (best score first).
 */

function isPlacement(value: string | null): value is Placement {
  return value !== null && (PLACEMENTS as readonly string[]).includes(value);
}

/** `segment=a&segment=b` and `segment=a,b` both work; empty parts are ignored. */
function requestedSegments(params: URLSearchParams): Set<string> {
  return new Set(
    params
      .getAll("segment")
      .flatMap((value) => value.split(","))
      .map((segment) => segment.trim().toLowerCase())
      .filter((segment) => segment !== ""),
  );
}

export function adsRoutes(state: StandinState): Route[] {
  return [
    healthRoute(),
    route("GET", "/ads", (request) => {
      const key = request.headers.get("x-api-key");
      if (!key || !safeEqual(key, state.adsApiKey)) return json(401, { error: "invalid_api_key" });
      const params = new URL(request.url).searchParams;
      const placement = params.get("placement");
      if (!isPlacement(placement)) {
        return json(400, {
          error: "invalid_placement",
          message: `placement must be one of ${PLACEMENTS.join(", ")}`,
        });
      }
      const segments = requestedSegments(params);
      const matching = (ad: AdRecord) => ad.targeting.segments.filter((segment) => segments.has(segment)).length;
      // Array.prototype.sort is stable, so equally matching ads keep the score order.
      const ads = state.ads
        .filter((ad) => ad.placement === placement)
        .sort((a, b) => matching(b) - matching(a));
      return json(200, { ads });
    }),
  ];
}

/** The service as msw handlers: for in-process use (msw's setupServer) and per-test overrides. */
export function adsHandlers(state: StandinState): RequestHandler[] {
  return toHandlers(adsRoutes(state));
}
