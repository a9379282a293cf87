import type { NextFunction, Request, Response } from "express";
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
