import { randomUUID } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import type { Request, Response } from "express";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the load context from the socket. Express resolves `req.ip` and
 * `req.secure` from X-Forwarded-* only when `trust proxy` is set (TRUST_PROXY).
 */
export function requestContext(req: Request, res: Response): AppLoadContext {
  const incoming = req.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader("X-Request-Id", requestId);
  return {
    clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
    requestId,
    secure: req.secure,
  };
}
