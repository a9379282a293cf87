import type { NextFunction, Request, Response } from "express";
import { logger } from "../app/logger.server";
import { httpRequestDuration } from "../app/observability/metrics.server";
import { newRequestRecord, requestStore } from "../app/observability/request-store.server";

/**
 * One structured line per request, with the upstream calls it made, and the
 * request-duration metric. The request runs inside the request store, so the
 * service clients can add its id and trace context to every upstream call.
 */
export function accessLog(req: Request, res: Response, next: NextFunction) {
  const started = process.hrtime.bigint();
  const record = newRequestRecord(String(res.locals.requestId), req.get("traceparent"));
  res.on("finish", () => {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const route = routeLabel(req.path);
    httpRequestDuration.observe({ method: req.method, route, status: String(res.statusCode) }, durationMs / 1000);
    if (route === "/build/*" || route === "/healthz") return;
    logger.info(
      {
        requestId: record.requestId,
        traceId: record.traceId,
        method: req.method,
        route,
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        upstream: record.upstream,
      },
      "request",
    );
  });
  requestStore.run(record, next);
}

/** Paths with ids become templates, so metrics stay a bounded set of series. */
export function routeLabel(path: string): string {
  if (path.startsWith("/build/")) return "/build/*";
  return path
    .split("/")
    .map((segment) => (/\d/.test(segment) && segment.length > 3 ? ":id" : segment))
    .join("/");
}
