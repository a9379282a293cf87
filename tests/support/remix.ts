import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { newRequestTrace } from "../../app/observability/request-trace.server";
import { appendSessionCookie } from "../../app/session/customer.server";

/** The origin test requests come from, as a browser on the app's own page would. */
export const APP_ORIGIN = "http://localhost:3000";

export interface TestRequestInit {
  method?: string;
  /** Sent form-encoded, as a browser form would, with a same-origin `Origin`. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** A `Cookie` header value, e.g. from `cookieFrom(response)`. */
  cookie?: string;
  /** Sent as a JSON body (POST unless `method` says otherwise), as the app's own scripts send it. */
  json?: unknown;
}

/** A real `Request` for a path of the app. */
export function buildRequest(path: string, init: TestRequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("cookie", init.cookie);
  let body: string | undefined;
  const method = init.method ?? (init.form || init.json !== undefined ? "POST" : "GET");
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set("content-type", "application/json");
  }
  if (method !== "GET" && method !== "HEAD" && !headers.has("origin")) headers.set("origin", APP_ORIGIN);
  return new Request(new URL(path, APP_ORIGIN), { method, headers, body });
}

export function testContext(overrides: Partial<AppLoadContext> = {}): AppLoadContext {
  const requestId = overrides.requestId ?? "test-request";
  return {
    clientIp: "203.0.113.7",
    requestId,
    secure: false,
    cspNonce: "test-nonce",
    trace: newRequestTrace(requestId, undefined),
    ...overrides,
  };
}

type RouteFunction = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

/**
 * Calls a loader or action as Remix and entry.server would and always gives back
 * a `Response`: thrown responses (redirects, 4xx) are returned, plain data and
 * `data(value, init)` results (returned or thrown) become JSON with their status
 * and headers, and the session's cookie change is written on the way out. (On the
 * wire single fetch sends turbo-stream, which keeps Dates and Maps; views here are
 * plain JSON either way, and tests/support/single-fetch.ts reads the real format.)
 */
export async function call(
  fn: RouteFunction,
  request: Request,
  options: { params?: Record<string, string>; context?: AppLoadContext } = {},
): Promise<Response> {
  const context = options.context ?? testContext();
  let response: Response;
  try {
    response = asResponse(await fn({ request, params: options.params ?? {}, context }));
  } catch (thrown) {
    if (!(thrown instanceof Response) && !isDataWithInit(thrown)) throw thrown;
    response = asResponse(thrown);
  }
  await appendSessionCookie(context, response.headers);
  return response;
}

/** What `data(value, init)` from @remix-run/node returns (the router's own check: its `type` tag). */
interface DataWithInit {
  type: "DataWithResponseInit";
  data: unknown;
  init: ResponseInit | null;
}

function isDataWithInit(value: unknown): value is DataWithInit {
  return typeof value === "object" && value !== null && "type" in value && value.type === "DataWithResponseInit" && "data" in value && "init" in value;
}

function asResponse(result: unknown): Response {
  if (result instanceof Response) return result;
  if (isDataWithInit(result)) return Response.json(result.data, result.init ?? undefined);
  return Response.json(result);
}

/** The `name=value` pairs of a response's `Set-Cookie` headers, ready to send back. */
export function cookieFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}
