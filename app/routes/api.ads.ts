import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { answerPublicAds, methodNotAllowed, type PublicAdsAnswer, type PublicAdsRequest } from "~/ads/endpoint.server";
import { publicOrigin } from "~/ads/public-ads.server";
import { getEnv } from "~/env.server";

/**
 * `GET /api/ads?placement=…`: public, for partner sites (docs/decisions/005).
 * Contextual ads only; it never looks at the session or any cookie, so one
 * cached answer serves everybody. The work is in `~/ads/endpoint.server`, which
 * the server entry also calls directly for GET, HEAD and OPTIONS, before Express
 * and Remix (docs/decisions/008); this route is the same endpoint for any other
 * Remix server, and what loader tests call.
 */

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Remix hands HEAD and OPTIONS to the loader too (only POST/PUT/PATCH/DELETE go to the action).
  const method = request.method === "HEAD" || request.method === "OPTIONS" ? request.method : "GET";
  const adsRequest: PublicAdsRequest = {
    method,
    search: url.search,
    headers: request.headers,
    publicOrigin: publicOrigin(request, getEnv().TRUST_PROXY !== undefined),
    clientIp: context.clientIp,
    trace: context.trace,
  };
  return toResponse(await answerPublicAds(adsRequest));
}

export async function action({ request }: ActionFunctionArgs) {
  return toResponse(methodNotAllowed(request.headers.get("origin")));
}

function toResponse(answer: PublicAdsAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
