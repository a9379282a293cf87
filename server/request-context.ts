import { randomBytes, randomUUID } from "node:crypto";
import { isPartnerFacing, securityHeaders } from "../app/security/headers.server";
import type { AppLoadContext } from "@remix-run/node";
import type { Request, Response } from "express";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const INSTANCE_NAME = process.env.INSTANCE_NAME?.replace(/[^\w.-]/g, "").slice(0, 64);

/**
 * Builds the load context from the socket. Express resolves `req.ip` and
 * `req.secure` from X-Forwarded-* only when `trust proxy` is set (TRUST_PROXY).
 */
export function requestContext(req: Request, res: Response): AppLoadContext {
  return {
    clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
    requestId: String(res.locals.requestId),
    secure: req.secure,
    cspNonce: String(res.locals.cspNonce),
  };
}

/**
 * First middleware of every request, static files included: its id (taken from
 * X-Request-Id when sane, else new) and its security headers with a fresh nonce.
 */
export function identifyAndProtect(req: Request, res: Response, next: () => void) {
  const incoming = req.get("x-request-id");
  res.locals.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.cspNonce = randomBytes(16).toString("base64");
  res.setHeader("X-Request-Id", res.locals.requestId);
  // Which instance answered, when the operator names them (the cluster does).
  if (INSTANCE_NAME) res.setHeader("X-Instance", INSTANCE_NAME);
  res.set(securityHeaders({ nonce: res.locals.cspNonce, secure: req.secure, partnerFacing: isPartnerFacing(req.path) }));
  next();
}
