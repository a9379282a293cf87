import { STATUS_CODES, type ServerResponse } from "node:http";
import { logger } from "../app/logger.server";
import { isPlainHost } from "../app/security/host.server";
import { hasPathTricks, isUndecodable } from "../app/security/paths.server";
import { isCrossSiteWrite } from "../app/security/same-origin.server";
import type { Exchange, Next } from "./exchange";

/**
 * Server-to-server endpoints (Auth's back-channel logout): they read no cookie, so
 * a cross-site form could do nothing there that any server cannot; an Origin rule
 * would only risk refusing Auth.
 */
const NOT_FOR_BROWSERS = new Set(["/auth/backchannel-logout"]);

export function refuseCrossSiteWrites(exchange: Exchange, next: Next) {
  const { req } = exchange;
  if (NOT_FOR_BROWSERS.has(exchange.path)) return next();
  const headers = new Headers();
  for (const name of ["origin", "sec-fetch-site"]) {
    const value = req.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  if (!isCrossSiteWrite(req.method ?? "GET", headers, req.headers.host)) return next();
  refuse(exchange, 403, "Cross-site requests are refused.", "Cross-site requests are refused. Please use the form on our site.");
}

/** A request of Remix's client (single fetch's `.data` URLs; `?_data` from a bundle before it): it reads problem+json, not a page. */
function isDataRequest({ path, search }: Exchange): boolean {
  return path.endsWith(".data") || (search !== "" && new URLSearchParams(search).has("_data"));
}

/**
 * Refuses a Host header that is not a plain host[:port]: the request URL is built
 * from it, and `a@evil.example` or `evil.example/x` would change what it means.
 */
export function refuseOddHost({ req, res }: Exchange, next: Next) {
  const host = req.headers.host;
  if (host === undefined || isPlainHost(host)) return next();
  sendProblem(res, 400, "Bad Request", "The Host header is not valid.");
}

/**
 * Refuses, before the static files or Remix resolve or decode it, a request target
 * that is not a plain path: encoded dots or slashes (`/api/%2e%2e/x` would
 * otherwise quietly become `/x`), a percent-encoding that does not decode, or no
 * leading slash (`*`, `http://…`).
 */
export function refusePathTricks(exchange: Exchange, next: Next) {
  const path = exchange.path;
  if (path.startsWith("/") && !hasPathTricks(path) && !isUndecodable(path)) return next();
  refuse(exchange, 400, "The path is not valid.", "That address is not valid. Please check the link, or start again from the home page.");
}

/** Methods a Fetch Request cannot carry: Remix could not even be asked about them. */
const UNCARRIABLE_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * Refuses, with 405 and `Allow`, the methods a Fetch Request cannot carry, which
 * Remix would otherwise fail on with a 500. Other methods no route serves get
 * Remix's own 405 (or the ads route's).
 */
export function refuseUncarriableMethods(exchange: Exchange, next: Next) {
  const method = exchange.req.method ?? "GET";
  if (!UNCARRIABLE_METHODS.has(method)) return next();
  // OPTIONS only on the ads routes (their CORS preflight).
  const allow = exchange.path.toLowerCase().startsWith("/api/ads") ? "GET, HEAD, OPTIONS" : "GET, HEAD, POST";
  exchange.res.setHeader("Allow", allow);
  refuse(exchange, 405, `${method} is not allowed here. Use ${allow}.`, "That kind of request is not supported here.");
}

/**
 * The last resort, after every step: a client's mistake that a step or a helper
 * threw (marked with a 4xx `status`: a bad encoding, a body it refused) is
 * answered with that 4xx and logged as info: our error log stays ours, and nobody
 * can flood it (issue 14). Anything else is ours: logged once with the request
 * id, answered 500 without a stack. An error after the answer has started ends
 * the connection: the client sees a cut answer, not a whole wrong one.
 */
export function answerErrors(error: unknown, exchange: Exchange) {
  const { res, requestId } = exchange;
  const status = typeof error === "object" && error !== null && "status" in error ? error.status : undefined;
  if (typeof status === "number" && status >= 400 && status < 500 && !res.headersSent) {
    logger.info({ requestId, status, err: String(error) }, "client error");
    return refuse(exchange, status, "The request could not be understood.", "We could not understand that request. Please start again from the home page.");
  }
  logger.error({ requestId, err: error }, "unhandled server error");
  if (res.headersSent) return void res.destroy();
  sendText(res, 500, "text/plain", "Something went wrong on our side. Please try again in a moment.\n");
}

/**
 * One refusal, in the form its asker reads: problem details for the API and
 * Remix data requests, a short sentence for a person's browser.
 */
function refuse(exchange: Exchange, status: number, detail: string, sentence: string) {
  if (exchange.path.startsWith("/api/") || isDataRequest(exchange)) {
    sendProblem(exchange.res, status, STATUS_CODES[status] ?? "Error", detail);
  } else {
    sendText(exchange.res, status, "text/plain", sentence + "\n");
  }
}

/** RFC 9457 problem details, the same shape as the routes' `problem()` (app/api/problem.server.ts). */
function sendProblem(res: ServerResponse, status: number, title: string, detail: string) {
  sendText(res, status, "application/problem+json", JSON.stringify({ type: "about:blank", title, status, detail }));
}

/** A short answer nobody should keep (Node leaves the body out for a HEAD). */
function sendText(res: ServerResponse, status: number, type: string, body: string) {
  res.statusCode = status;
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Type", `${type}; charset=utf-8`);
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}
