import type { AppLoadContext } from "@remix-run/node";
import { logger } from "../logger.server";
import { getServices, isUpstreamError } from "../services.server";
import { requestSession, type RequestSession } from "../session/customer.server";
import { displayLocale, transactionPageView } from "../views/format.server";
import { PASSKEY_API } from "../passkeys/api.server";
import { hasPathTricks } from "../security/paths.server";
import { isCrossSiteWrite } from "../security/same-origin.server";
import { problem } from "./problem.server";

/**
 * The authenticated JSON API of the app's own client-side features. Not a proxy:
 * each entry names a method and a public path, makes its own typed service call
 * with the customer's token, and returns a trimmed view. Nothing of the incoming
 * request (cookies, Authorization, other headers) is forwarded anywhere.
 */
export interface ApiRoute {
  method: "GET" | "POST";
  path: string;
  /** Runs without a session (the sign-in ceremonies); X-CSRF and same-origin still apply. */
  signedOut?: boolean;
  handle(call: ApiCall): Promise<Response>;
}

export interface ApiCall {
  /** The request's session: signed in, unless the route is `signedOut`. */
  session: RequestSession;
  url: URL;
  request: Request;
  context: AppLoadContext;
}

/** An API call answers within this, or says 504: a client can retry, a spinner should not hang. */
const API_BUDGET_MS = 3_000;
const CURSOR = /^[A-Za-z0-9_\-.~=]{1,200}$/;
const LIMIT = /^(?:[1-9]|[1-9]\d|100)$/;

const ROUTES: ApiRoute[] = [
  {
    method: "GET",
    path: "/api/transactions",
    async handle({ session: customer, url }) {
      const cursor = url.searchParams.get("cursor") || null;
      const limit = url.searchParams.get("limit") ?? "20";
      if (cursor !== null && !CURSOR.test(cursor)) return problem(400, "Bad Request", "The cursor is not valid.");
      if (!LIMIT.test(limit)) return problem(400, "Bad Request", "limit must be a whole number from 1 to 100.");
      const locale = displayLocale((await customer.profile())?.locale);
      const page = await customer.withToken(
        (token, call) => getServices().transactions.list(token, { limit: Number(limit), cursor }, call),
        { timeoutMs: API_BUDGET_MS },
      );
      return Response.json(transactionPageView(page, locale));
    },
  },
  ...PASSKEY_API,
];

export async function handleApi(request: Request, context: AppLoadContext): Promise<Response> {
  const url = new URL(request.url);
  const rawPath = request.url.slice(url.origin.length).split("?")[0] ?? "";
  if (hasPathTricks(rawPath)) {
    return problem(400, "Bad Request", "The path is not valid.");
  }
  const candidates = ROUTES.filter((route) => route.path === url.pathname);
  // No session → 401 whatever else the request says (the client's cue to sign in),
  // except on the routes that exist to sign in (passkeys).
  const session = requestSession(request, context);
  const forSigningIn = candidates.length > 0 && candidates.every((candidate) => candidate.signedOut);
  if (!forSigningIn && !(await session.get())) return problem(401, "Unauthorized", "Sign in to use this API.");
  if (candidates.length === 0) return problem(404, "Not Found", "There is no such API.");
  const route = candidates.find((candidate) => candidate.method === request.method);
  if (!route) {
    return problem(405, "Method Not Allowed", `Use ${candidates.map((c) => c.method).join(", ")}.`, {
      Allow: candidates.map((c) => c.method).join(", "),
    });
  }
  // A header a cross-site form cannot send: a second CSRF fence next to the Origin check.
  if (request.headers.get("x-csrf") !== "1") return problem(403, "Forbidden", "The X-CSRF: 1 header is required.");
  // The server refuses these before Remix (server/cross-site.ts); here too, so no entry depends on that.
  if (isCrossSiteWrite(request.method, request.headers, url.host)) {
    return problem(403, "Forbidden", "Cross-site requests are refused.");
  }

  try {
    return await route.handle({ session, url, request, context });
  } catch (error) {
    return failure(error, context);
  }
}

/** Upstream trouble in words a client can act on; the details stay in our log. */
function failure(error: unknown, context: AppLoadContext): Response {
  if (error instanceof Response && error.status === 413) return problem(413, "Content Too Large", "The request body is too large.");
  if (error instanceof Response) {
    // The session ended during the call (refresh refused): no redirect for an API.
    return problem(401, "Unauthorized", "Your session has ended. Sign in again.");
  }
  logger.warn({ requestId: context.requestId, err: error instanceof Error ? error.message : String(error) }, "api upstream failure");
  if (isUpstreamError(error, "rejected")) return problem(400, "Bad Request", "The request was not accepted.");
  if (isUpstreamError(error, "timeout")) return problem(504, "Gateway Timeout", "The service took too long to answer. Try again.");
  if (isUpstreamError(error, "unauthorized")) return problem(401, "Unauthorized", "Sign in again to continue.");
  return problem(502, "Bad Gateway", "The service is unavailable right now. Try again in a moment.", { "Retry-After": "5" });
}
