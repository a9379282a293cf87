import { STATUS_CODES } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { logger } from "../app/logger.server";
import { isPlainHost } from "../app/security/host.server";
import { hasPathTricks, isUndecodable } from "../app/security/paths.server";
import { isCrossSiteWrite } from "../app/security/same-origin.server";

export function refuseCrossSiteWrites(req: Request, res: Response, next: NextFunction) {
  const headers = new Headers();
  for (const name of ["origin", "sec-fetch-site"]) {
    const value = req.get(name);
    if (value !== undefined) headers.set(name, value);
  }
  if (!isCrossSiteWrite(req.method, headers, req.get("host"))) return next();
  refuse(req, res, 403, "Cross-site requests are refused.", "Cross-site requests are refused. Please use the form on our site.");
}

/** A request of Remix's client (single fetch's `.data` URLs; `?_data` from a bundle before it): it reads problem+json, not a page. */
function isDataRequest(req: Request): boolean {
  return req.path.endsWith(".data") || req.query._data !== undefined;
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
 * Refuses, before Express or Remix resolve or decode it, a request target that is
 * not a plain path: encoded dots or slashes (`/api/%2e%2e/x` would otherwise
 * quietly become `/x`), a percent-encoding that does not decode (Express's own
 * decoding would throw a 500), or no leading slash (`*`, `http://…`).
 */
export function refusePathTricks(req: Request, res: Response, next: NextFunction) {
  const rawPath = req.originalUrl.split("?")[0] ?? "";
  if (rawPath.startsWith("/") && !hasPathTricks(rawPath) && !isUndecodable(rawPath)) return next();
  refuse(req, res, 400, "The path is not valid.", "That address is not valid. Please check the link, or start again from the home page.");
}

/** Methods a Fetch Request cannot carry: Remix could not even be asked about them. */
const UNCARRIABLE_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * Refuses, with 405 and `Allow`, the methods a Fetch Request cannot carry, which
 * Remix would otherwise fail on with a 500. Other methods no route serves get
 * Remix's own 405 (or the ads route's).
 */
export function refuseUncarriableMethods(req: Request, res: Response, next: NextFunction) {
  if (!UNCARRIABLE_METHODS.has(req.method)) return next();
  // OPTIONS only on the ads routes (their CORS preflight).
  const allow = req.path.toLowerCase().startsWith("/api/ads") ? "GET, HEAD, OPTIONS" : "GET, HEAD, POST";
  res.set("Allow", allow);
  refuse(req, res, 405, `${req.method} is not allowed here. Use ${allow}.`, "That kind of request is not supported here.");
}

/**
 * The last resort, after every route: a client's mistake that Express or a helper
 * threw (marked with a 4xx `status`: a bad encoding, a body it refused) is
 * answered with that 4xx and logged as info: our error log stays ours, and nobody
 * can flood it (issue 14). Anything else is ours: logged once with the request
 * id, answered 500 without a stack.
 */
export function answerErrors(error: unknown, req: Request, res: Response, next: NextFunction) {
  const status = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
  if (typeof status === "number" && status >= 400 && status < 500 && !res.headersSent) {
    logger.info({ requestId: res.locals.requestId, status, err: String(error) }, "client error");
    return refuse(req, res, status, "The request could not be understood.", "We could not understand that request. Please start again from the home page.");
  }
  logger.error({ requestId: res.locals.requestId, err: error }, "unhandled server error");
  if (res.headersSent) return next(error);
  res.status(500).type("text/plain").send("Something went wrong on our side. Please try again in a moment.\n");
}

/**
 * One refusal, in the form its asker reads: problem details for the API and
 * Remix data requests, a short sentence for a person's browser.
 */
function refuse(req: Request, res: Response, status: number, detail: string, sentence: string) {
  if (req.path.startsWith("/api/") || isDataRequest(req)) {
    sendProblem(res, status, STATUS_CODES[status] ?? "Error", detail);
  } else {
    res.status(status).set("Cache-Control", "no-store").type("text/plain").send(sentence + "\n");
  }
}

/** RFC 9457 problem details, the same shape as the routes' `problem()` (app/api/problem.server.ts). */
function sendProblem(res: Response, status: number, title: string, detail: string) {
  res.status(status).set("Cache-Control", "no-store").type("application/problem+json").send(JSON.stringify({ type: "about:blank", title, status, detail }));
}
