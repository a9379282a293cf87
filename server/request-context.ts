import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const INSTANCE_NAME = process.env.INSTANCE_NAME?.replace(/[^\w.-]/g, "").slice(0, 64);

/**
 * This request's id (taken from X-Request-Id when sane, else new), echoed on the
 * response with the instance's name when the operator gives one (the cluster does).
 * Node-level, so the server entry's fast paths and its steps share it.
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

/** Sets every header of a record. */
export function setHeaders(res: ServerResponse, headers: Record<string, string>) {
  for (const name in headers) res.setHeader(name, headers[name] ?? "");
}
