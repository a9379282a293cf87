import { Counter, Histogram, register, type Metric } from "prom-client";

/**
 * Prometheus metrics. prom-client lives in node_modules, so the server entry and
 * the Remix build share its registry; each metric is created once and found
 * again by name.
 */
function once<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const httpRequestDuration = once(
  "http_request_duration_seconds",
  () =>
    new Histogram({
      name: "http_request_duration_seconds",
      help: "Duration of HTTP requests, by route and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
);

// One child per series, found by a string key: `labels()` would otherwise build a
// child (validating and hashing the label object) on every request. The child's
// own observe() still checks its labels, about 1 µs (docs/performance.md).
const requestSeries = new Map<string, { observe(seconds: number): void }>();
const MAX_REQUEST_SERIES = 2_000;

/** Counts one served request in http_request_duration_seconds. */
export function observeRequest(method: string, route: string, status: number, seconds: number) {
  const key = `${method} ${status} ${route}`;
  let series = requestSeries.get(key);
  if (!series) {
    series = httpRequestDuration.labels({ method, route, status: String(status) });
    if (requestSeries.size < MAX_REQUEST_SERIES) requestSeries.set(key, series);
  }
  series.observe(seconds);
}

export const upstreamCallDuration = once(
  "upstream_call_duration_seconds",
  () =>
    new Histogram({
      name: "upstream_call_duration_seconds",
      help: "Duration of calls to the microservices, by service and outcome.",
      labelNames: ["service", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
);

export const tokenRefreshes = once(
  "token_refreshes_total",
  () => new Counter({ name: "token_refreshes_total", help: "Access-token refreshes, by outcome.", labelNames: ["outcome"] }),
);

export const loginOutcomes = once(
  "logins_total",
  () => new Counter({ name: "logins_total", help: "Sign-in attempts, by method and outcome.", labelNames: ["method", "outcome"] }),
);

export const rateLimitRejections = once(
  "rate_limit_rejections_total",
  () => new Counter({ name: "rate_limit_rejections_total", help: "Requests refused by a rate limit.", labelNames: ["limit"] }),
);

export const backchannelLogouts = once(
  "backchannel_logouts_total",
  () =>
    new Counter({ name: "backchannel_logouts_total", help: "Logout tokens from Auth, by outcome.", labelNames: ["outcome"] }),
);

export const sharedStateFailures = once(
  "shared_state_failures_total",
  () =>
    new Counter({
      name: "shared_state_failures_total",
      help: "Shared-state (Redis) operations that failed and fell back, by operation.",
      labelNames: ["operation"],
    }),
);

export { register as metricsRegistry };
