export type ServiceName = "auth" | "users" | "payments" | "transactions" | "ads";

/**
 * Why an upstream call failed, in the terms a loader decides on:
 * - unavailable: could not connect, or the service answered 5xx
 * - timeout: no complete answer within the call's time budget
 * - invalid_response: the answer did not match the service's contract
 * - unauthorized: the service refused our credentials (401)
 * - rejected: the service refused the request itself (other 4xx)
 */
export type UpstreamErrorKind = "unavailable" | "timeout" | "invalid_response" | "unauthorized" | "rejected";

export class UpstreamError extends Error {
  override name = "UpstreamError";
  readonly service: ServiceName;
  readonly kind: UpstreamErrorKind;
  readonly status: number | undefined;
  /** The upstream's machine-readable error code, e.g. "invalid_grant". */
  readonly code: string | undefined;
  /** The upstream's human-readable explanation. Server-side only: never shown as is. */
  readonly detail: string | undefined;

  constructor(init: {
    service: ServiceName;
    kind: UpstreamErrorKind;
    status?: number;
    code?: string;
    detail?: string;
    cause?: unknown;
  }) {
    super(
      `${init.service} ${init.kind}${init.status ? ` (${init.status})` : ""}${init.code ? `: ${init.code}` : ""}`,
      { cause: init.cause },
    );
    this.service = init.service;
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
  }
}

export function isUpstreamError(error: unknown, kind?: UpstreamErrorKind): error is UpstreamError {
  return error instanceof UpstreamError && (kind === undefined || error.kind === kind);
}
