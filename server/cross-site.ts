import type { NextFunction, Request, Response } from "express";
import { isPlainHost } from "../app/security/host.server";
import { hasPathTricks } from "../app/security/paths.server";
import { isCrossSiteWrite } from "../app/security/same-origin.server";

/**
 * Server-to-server endpoints (Auth's back-channel logout): they read no cookie, so
 * a cross-site form could do nothing there that any server cannot; an Origin rule
 * would only risk refusing Auth.
 */
const NOT_FOR_BROWSERS = new Set(["/auth/backchannel-logout"]);

export function refuseCrossSiteWrites(req: Request, res: Response, next: NextFunction) {
  if (NOT_FOR_BROWSERS.has(req.path)) return next();
  const headers = new Headers();
  for (const name of ["origin", "sec-fetch-site"]) {
    const value = req.get(name);
    if (value !== undefined) headers.set(name, value);
  }
  if (!isCrossSiteWrite(req.method, headers, req.get("host"))) return next();
  if (req.path.startsWith("/api/") || req.query._data !== undefined) {
    sendProblem(res, 403, "Forbidden", "Cross-site requests are refused.");
  } else {
    res.status(403).type("text/plain").send("Cross-site requests are refused. Please use the form on our site.");
  }
}

/**
 * Refuses a Host header that is not a plain host[:port]: the request URL is built
 * from it, and `a@evil.example` or `evil.example/x` would change what it means.
 */
export function refuseOddHost(req: Request, res: Response, next: NextFunction) {
  const host = req.headers.host;
  if (host === undefined || isPlainHost(host)) return next();
  sendProblem(res, 400, "Bad Request", "The Host header is not valid.");
}

/**
 * Refuses raw paths with encoded dots or slashes before Express or Remix resolve
 * them (`/api/%2e%2e/x` would otherwise quietly become `/x`).
 */
export function refusePathTricks(req: Request, res: Response, next: NextFunction) {
  const rawPath = req.originalUrl.split("?")[0] ?? "";
  if (!hasPathTricks(rawPath)) return next();
  sendProblem(res, 400, "Bad Request", "The path is not valid.");
}

/** RFC 9457 problem details, the same shape as the routes' `problem()` (app/api/problem.server.ts). */
function sendProblem(res: Response, status: number, title: string, detail: string) {
  res.status(status).type("application/problem+json").send(JSON.stringify({ type: "about:blank", title, status, detail }));
}
