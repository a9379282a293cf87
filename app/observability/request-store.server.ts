import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

/** What one request accumulates for its access log line and its trace. */
export interface RequestRecord {
  requestId: string;
  traceId: string;
  /** This request's span id: the parent of every upstream call it makes. */
  spanId: string;
  upstream: { service: string; outcome: string; status: number | undefined; durationMs: number }[];
}

// The server entry and the Remix build each load their own copy of this module;
// one store, kept on a global symbol, lets both see the same request.
const KEY = Symbol.for("northwind.request-store");
type WithStore = typeof globalThis & { [KEY]?: AsyncLocalStorage<RequestRecord> };
const holder = globalThis as WithStore;
export const requestStore: AsyncLocalStorage<RequestRecord> = (holder[KEY] ??= new AsyncLocalStorage<RequestRecord>());

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** A new record, continuing the caller's trace when it sent a valid `traceparent`. */
export function newRequestRecord(requestId: string, traceparent: string | undefined): RequestRecord {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  const traceId = match?.[1] && !/^0+$/.test(match[1]) ? match[1] : randomBytes(16).toString("hex");
  return { requestId, traceId, spanId: randomBytes(8).toString("hex"), upstream: [] };
}

/** Headers an upstream call carries: the request id and a child span of this request's trace. */
export function tracingHeaders(): Record<string, string> {
  const record = requestStore.getStore();
  if (!record) return {};
  return {
    "x-request-id": record.requestId,
    traceparent: `00-${record.traceId}-${randomBytes(8).toString("hex")}-01`,
  };
}
