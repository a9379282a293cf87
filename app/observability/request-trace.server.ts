import type { CallTrace, UpstreamCallEvent } from "../../services/index.server";
import { randomHex } from "../security/random.server";

/**
 * What one request accumulates for its access log line and its trace. It travels
 * explicitly (load context → CallContext), not through AsyncLocalStorage: on
 * Node 20 that turns on promise hooks for the whole process, and every promise
 * then costs more (docs/performance.md).
 */
export class RequestTrace implements CallTrace {
  readonly upstream: { service: string; outcome: string; status: number | undefined; durationMs: number }[] = [];
  #traceId: string | undefined;

  /** `traceId`: the caller's, to continue its trace; made on first use otherwise. */
  constructor(
    readonly requestId: string,
    traceId?: string,
  ) {
    this.#traceId = traceId;
  }

  /**
   * Made when first asked for (an upstream call, the access log line): most
   * partner requests are answered from the ads cache at LOG_LEVEL=warn and never ask.
   */
  get traceId(): string {
    return (this.#traceId ??= randomHex(16));
  }

  /** Each upstream call is a child span of this request's trace, with its request id. */
  headers(): Record<string, string> {
    return { "x-request-id": this.requestId, traceparent: `00-${this.traceId}-${randomHex(8)}-01` };
  }

  record(event: UpstreamCallEvent): void {
    this.upstream.push({ service: event.service, outcome: event.outcome, status: event.status, durationMs: Math.round(event.durationMs * 10) / 10 });
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** A new trace, continuing the caller's when it sent a valid `traceparent`. */
export function newRequestTrace(requestId: string, traceparent: string | undefined): RequestTrace {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  const traceId = match?.[1] && !/^0+$/.test(match[1]) ? match[1] : undefined;
  return new RequestTrace(requestId, traceId);
}
