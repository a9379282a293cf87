import { Pool } from "undici";
import type { z } from "zod";
import { UpstreamError, type ServiceName } from "./errors.server";

/** What a caller passes along from the incoming request. */
export interface CallContext {
  /** The incoming request's signal: a closed browser cancels the upstream call. */
  signal?: AbortSignal;
  /** A tighter budget for this call than the client's, e.g. a page section's. */
  timeoutMs?: number;
  /** The incoming request's trace: its headers (request id, trace context) go on the call, the call's outcome goes to it. */
  trace?: CallTrace;
}

/** What ties an upstream call to the incoming request in logs and traces. */
export interface CallTrace {
  /** Headers for one call: X-Request-Id, so logs on both sides line up, and a traceparent with a new child span. */
  headers(): Record<string, string>;
  /** Told of every call once it has finished; must not throw. */
  record(event: UpstreamCallEvent): void;
}

export interface UpstreamCallEvent {
  service: ServiceName;
  method: string;
  path: string;
  status: number | undefined;
  outcome: "ok" | UpstreamError["kind"] | "aborted";
  durationMs: number;
}

export interface ServiceHttpOptions {
  service: ServiceName;
  baseUrl: string;
  connectTimeoutMs: number;
  /** Budget for one whole call: connect, headers and body. */
  timeoutMs: number;
  /** Observer for metrics; must not throw. */
  onCall?: (event: UpstreamCallEvent) => void;
}

export interface ServiceRequest<T> {
  method: "GET" | "POST" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  /** A JSON value, or a URLSearchParams for form encoding. */
  body?: unknown;
  schema: z.ZodType<T>;
  context?: CallContext;
  /** Overrides the client's budget, e.g. a short one for health checks. */
  timeoutMs?: number;
}

export interface ServiceResponse<T> {
  status: number;
  data: T;
}

// One keep-alive pool per upstream origin, shared by every client that calls it.
const pools = new Map<string, Pool>();

function poolFor(origin: string, connectTimeoutMs: number): Pool {
  let pool = pools.get(origin);
  if (!pool) {
    pool = new Pool(origin, {
      connections: 128,
      pipelining: 1,
      connectTimeout: connectTimeoutMs,
      keepAliveTimeout: 10_000,
    });
    pools.set(origin, pool);
  }
  return pool;
}

/** Closes every upstream connection: part of a graceful shutdown. */
export async function closeUpstreamPools(): Promise<void> {
  const closing = [...pools.values()].map((pool) => pool.close());
  pools.clear();
  await Promise.allSettled(closing);
}

class Timeout extends Error {}

/**
 * The one way `services/` talks HTTP: undici keep-alive pools, a time budget per
 * call, the caller's abort signal, and every answer either validated against the
 * service's zod schema or turned into an `UpstreamError` naming the service.
 */
export class ServiceHttp {
  readonly service: ServiceName;
  private readonly origin: string;
  private readonly basePath: string;

  constructor(private readonly options: ServiceHttpOptions) {
    this.service = options.service;
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
  }

  async request<T>(request: ServiceRequest<T>): Promise<ServiceResponse<T>> {
    const { service } = this;
    const started = performance.now();
    const budget = new AbortController();
    const timeoutMs = Math.min(
      request.timeoutMs ?? Number.POSITIVE_INFINITY,
      request.context?.timeoutMs ?? Number.POSITIVE_INFINITY,
      this.options.timeoutMs,
    );
    const timer = setTimeout(() => budget.abort(new Timeout()), timeoutMs);
    const callerSignal = request.context?.signal;
    const forwardAbort = () => budget.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", forwardAbort, { once: true });

    let status: number | undefined;
    const report = (outcome: UpstreamCallEvent["outcome"]) => {
      const event = { service, method: request.method, path: request.path, status, outcome, durationMs: performance.now() - started };
      this.options.onCall?.(event);
      request.context?.trace?.record(event);
    };

    try {
      if (callerSignal?.aborted) throw callerSignal.reason;
      const { body, contentType } = encodeBody(request.body);
      const response = await poolFor(this.origin, this.options.connectTimeoutMs).request({
        method: request.method,
        path: this.basePath + request.path,
        headers: {
          accept: "application/json",
          ...(contentType ? { "content-type": contentType } : {}),
          ...request.context?.trace?.headers(),
          ...request.headers,
        },
        body,
        signal: budget.signal,
      });
      status = response.statusCode;
      const text = await response.body.text();

      if (status >= 200 && status < 300) {
        const data = parseBody(text, request.schema, service, status);
        report("ok");
        return { status, data };
      }
      throw errorFromResponse(service, status, text);
    } catch (error) {
      if (callerSignal?.aborted) {
        report("aborted");
        throw callerSignal.reason;
      }
      const upstreamError = toUpstreamError(service, error, budget.signal);
      report(upstreamError.kind);
      throw upstreamError;
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", forwardAbort);
    }
  }
}

function encodeBody(body: unknown): { body: string | undefined; contentType: string | undefined } {
  if (body === undefined) return { body: undefined, contentType: undefined };
  if (body instanceof URLSearchParams) {
    return { body: body.toString(), contentType: "application/x-www-form-urlencoded" };
  }
  return { body: JSON.stringify(body), contentType: "application/json" };
}

function parseBody<T>(text: string, schema: z.ZodType<T>, service: ServiceName, status: number): T {
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch (cause) {
    throw new UpstreamError({ service, kind: "invalid_response", status, detail: "body is not JSON", cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new UpstreamError({
      service,
      kind: "invalid_response",
      status,
      detail: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; "),
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * The services disagree on error bodies ({error, error_description}, {message},
 * {title, detail}); this reads all of them into one code and one detail.
 */
function errorFromResponse(service: ServiceName, status: number, text: string): UpstreamError {
  let code: string | undefined;
  let detail: string | undefined;
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === "object") {
      const fields = body as Record<string, unknown>;
      // A machine-readable code wins over a title (Payments' {"title","detail","code":"sca_required"}).
      code = firstString(fields.error, fields.code, fields.title);
      detail = firstString(fields.error_description, fields.message, fields.detail);
    }
  } catch {
    // Not JSON: the status alone decides.
  }
  const kind = status === 401 ? "unauthorized" : status >= 500 ? "unavailable" : "rejected";
  return new UpstreamError({ service, kind, status, code, detail });
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === "string" && value !== "");
}

function toUpstreamError(service: ServiceName, error: unknown, budget: AbortSignal): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (budget.aborted && budget.reason instanceof Timeout) {
    return new UpstreamError({ service, kind: "timeout", detail: "no answer within the time budget", cause: error });
  }
  if (isConnectTimeout(error)) {
    return new UpstreamError({ service, kind: "timeout", detail: "connect timeout", cause: error });
  }
  return new UpstreamError({ service, kind: "unavailable", detail: describe(error), cause: error });
}

function isConnectTimeout(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "UND_ERR_CONNECT_TIMEOUT";
}

function describe(error: unknown): string {
  if (error instanceof Error) return "code" in error ? `${String(error.code)}: ${error.message}` : error.message;
  return String(error);
}
