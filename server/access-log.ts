import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "../app/logger.server";
import { observeRequest } from "../app/observability/metrics.server";
import { newRequestTrace, type RequestTrace } from "../app/observability/request-trace.server";

/**
 * One structured line per request, with the upstream calls it made, and the
 * request-duration metric, written when the response finishes. `route` is the
 * path as a template (routeLabel). Node-level, so the server entry's fast paths
 * log exactly as its steps do.
 */
export function logRequest(req: IncomingMessage, res: ServerResponse, route: string, requestId: string): RequestTrace {
  const started = performance.now();
  const traceparent = req.headers.traceparent;
  const record = newRequestTrace(requestId, typeof traceparent === "string" ? traceparent : undefined);
  res.on("finish", () => {
    const durationMs = performance.now() - started;
    const method = req.method ?? "GET";
    observeRequest(method, route, res.statusCode, durationMs / 1000);
    if (route === "/build/*" || route === "/healthz" || !logger.isLevelEnabled("info")) return;
    logger.info(
      {
        requestId: record.requestId,
        traceId: record.traceId,
        method,
        route,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        upstream: record.upstream,
      },
      "request",
    );
  });
  return record;
}

/** Paths with ids become templates, so metrics stay a bounded set of series. */
export function routeLabel(path: string): string {
  if (path.startsWith("/build/")) return "/build/*";
  return path
    .split("/")
    .map((segment) => (/\d/.test(segment) && segment.length > 3 ? ":id" : segment))
    .join("/");
}
