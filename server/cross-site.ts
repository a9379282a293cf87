import type { NextFunction, Request, Response } from "express";
import { isPlainHost } from "../app/security/host.server";
import { hasPathTricks } from "../app/security/paths.server";
import { isCrossSiteWrite } from "../app/security/same-origin.server";

export function refuseCrossSiteWrites(req: Request, res: Response, next: NextFunction) {
  const headers = new Headers();
  for (const name of ["origin", "sec-fetch-site"]) {
    const value = req.get(name);
    if (value !== undefined) headers.set(name, value);
  }
  if (!isCrossSiteWrite(req.method, headers, req.get("host"))) return next();
  res.status(403);
  if (req.path.startsWith("/api/") || req.query._data !== undefined) {
    res.type("application/problem+json").send(
      JSON.stringify({ type: "about:blank", title: "Forbidden", status: 403, detail: "Cross-site requests are refused." }),
    );
  } else {
    res.type("text/plain").send("Cross-site requests are refused. Please use the form on our site.");
  }
}

/**
 * Refuses a Host header that is not a plain host[:port]: the request URL is built
 * from it, and `a@evil.example` or `evil.example/x` would change what it means.
 */
export function refuseOddHost(req: Request, res: Response, next: NextFunction) {
  const host = req.headers.host;
  if (host === undefined || isPlainHost(host)) return next();
  res
    .status(400)
    .type("application/problem+json")
    .send(JSON.stringify({ type: "about:blank", title: "Bad Request", status: 400, detail: "The Host header is not valid." }));
}

/**
 * Refuses raw paths with encoded dots or slashes before Express or Remix resolve
 * them (`/api/%2e%2e/x` would otherwise quietly become `/x`).
 */
export function refusePathTricks(req: Request, res: Response, next: NextFunction) {
  const rawPath = req.originalUrl.split("?")[0] ?? "";
  if (!hasPathTricks(rawPath)) return next();
  res
    .status(400)
    .type("application/problem+json")
    .send(JSON.stringify({ type: "about:blank", title: "Bad Request", status: 400, detail: "The path is not valid." }));
}
