/**
 * What the server entry (server/index.ts) hands every loader and action: facts
 * only the socket knows, which remix-serve would not give us.
 */
import type { RequestTrace } from "./observability/request-trace.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's IP: the socket's, or from X-Forwarded-For when TRUST_PROXY says so. */
    clientIp: string;
    /** From the X-Request-Id header, or generated; echoed on the response. */
    requestId: string;
    /** Whether the client reached us over HTTPS (directly or via a trusted proxy). */
    secure: boolean;
    /** This response's Content-Security-Policy nonce for inline scripts. */
    cspNonce: string;
    /** The request's trace: pass it on in every upstream CallContext (its access log line lists the calls). */
    trace: RequestTrace;
  }
}

export {};
