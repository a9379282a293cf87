import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import type { Request, Response } from "express";
import type { RequestTrace } from "../app/observability/request-trace.server";
import { randomBase64 } from "../app/security/random.server";
import { isPartnerFacing, securityHeaders } from "../app/security/headers.server";
import { clientFacts, type ClientFacts } from "./client";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types its locals through this namespace
  namespace Express {
    interface Locals {
      requestId: string;
      cspNonce: string;
      client: ClientFacts;
      trace: RequestTrace;
    }
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const INSTANCE_NAME = process.env.INSTANCE_NAME?.replace(/[^\w.-]/g, "").slice(0, 64);

/**
 * This request's id (taken from X-Request-Id when sane, else new), echoed on the
 * response with the instance's name when the operator gives one (the cluster does).
 * Node-level, so the server entry's fast paths and Express share it.
 */
export function identify(req: IncomingMessage, res: ServerResponse): string {
  const requestId = requestIdOf(req);
  setHeaders(res, identityHeaders(requestId));
  return requestId;
}

export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** X-Request-Id, and X-Instance when the operator names the instance. */
export function identityHeaders(requestId: string): Record<string, string> {
  return INSTANCE_NAME ? { "X-Request-Id": requestId, "X-Instance": INSTANCE_NAME } : { "X-Request-Id": requestId };
}

/** Sets every header of a record (a loop of setHeader: Express's `res.set` does more per header). */
export function setHeaders(res: ServerResponse, headers: Record<string, string>) {
  for (const name in headers) res.setHeader(name, headers[name] ?? "");
}

/**
 * First middleware of every Express request, static files included: its id,
 * what the connection says about the client, and its security headers with a
 * fresh CSP nonce.
 */
export function identifyAndProtect(trustedHops: number | undefined) {
  return (req: Request, res: Response, next: () => void) => {
    const client = clientFacts(req, trustedHops);
    res.locals.requestId = identify(req, res);
    res.locals.cspNonce = randomBase64(16);
    res.locals.client = client;
    setHeaders(res, securityHeaders({ nonce: res.locals.cspNonce, secure: client.secure, partnerFacing: isPartnerFacing(req.path) }));
    next();
  };
}

/** The load context every loader and action gets, from what identifyAndProtect found. */
export function requestContext(_req: Request, res: Response): AppLoadContext {
  const { client, requestId, cspNonce, trace } = res.locals;
  return { clientIp: client.ip, requestId, secure: client.secure, cspNonce, trace };
}
