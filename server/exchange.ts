import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppLoadContext } from "@remix-run/node";
import type { RequestTrace } from "../app/observability/request-trace.server";
import { isPartnerFacing, securityHeaders } from "../app/security/headers.server";
import { randomBase64 } from "../app/security/random.server";
import { logRequest, routeLabel } from "./access-log";
import { clientFacts, type ClientFacts } from "./client";
import { identify, setHeaders } from "./request-context";

/**
 * One request on its way through the server entry's steps (docs/decisions/021):
 * what every step needs, worked out once, in one object of one shape. Node's
 * request and response objects are left as Node made them: no framework swaps
 * their prototypes or adds fields, so Node's own HTTP code sees one kind of
 * object on every path, the ads fast path's included.
 */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request target's path as sent: not decoded, no query. */
  readonly path: string;
  /** The query with its `?`, or "". */
  readonly search: string;
  readonly requestId: string;
  readonly cspNonce: string;
  readonly client: ClientFacts;
  readonly trace: RequestTrace;
}

/**
 * Starts an exchange: the request's id, what the connection says about the
 * client, its security headers with a fresh CSP nonce, and its access log line
 * and metric (written when the response finishes). Static files included.
 */
export function startExchange(req: IncomingMessage, res: ServerResponse, trustedHops: number | undefined): Exchange {
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  const client = clientFacts(req, trustedHops);
  const requestId = identify(req, res);
  const cspNonce = randomBase64(16);
  setHeaders(res, securityHeaders({ nonce: cspNonce, secure: client.secure, partnerFacing: isPartnerFacing(path) }));
  const trace = logRequest(req, res, routeLabel(path), requestId);
  return { req, res, path, search: query === -1 ? "" : url.slice(query), requestId, cspNonce, client, trace };
}

/** The load context every loader and action gets. */
export function loadContext({ client, requestId, cspNonce, trace }: Exchange): AppLoadContext {
  return { clientIp: client.ip, requestId, secure: client.secure, cspNonce, trace };
}

/** Passes the exchange to the next step; with an error, to the error handler instead. */
export type Next = (error?: unknown) => void;

/** One step: answers the request, or passes it on with `next()`. */
export type Step = (exchange: Exchange, next: Next) => void;

/**
 * The steps in order, as middleware runs: each answers or calls `next`; an
 * error, thrown or passed to `next`, goes to `onError`. The last step must answer.
 */
export function chain(steps: readonly Step[], onError: (error: unknown, exchange: Exchange) => void) {
  return (exchange: Exchange): void => {
    let index = 0;
    const next: Next = (error) => {
      if (error !== undefined) return onError(error, exchange);
      const step = steps[index++];
      if (step === undefined) return onError(new Error("no step answered the request"), exchange);
      try {
        step(exchange, next);
      } catch (thrown) {
        onError(thrown, exchange);
      }
    };
    next();
  };
}
