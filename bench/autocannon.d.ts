/**
 * The part of autocannon 8's programmatic API the benchmarks use. autocannon ships
 * no types and @types/autocannon follows an older major, so the few fields we
 * read are declared here, checked against lib/run.js and lib/aggregateResult.js.
 */
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  export interface Options {
    url: string;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Requests in all, instead of a duration. */
    amount?: number;
    /** Seconds before a request counts as a timeout. */
    timeout?: number;
    pipelining?: number;
    /** Each connection cycles through these; a request's fields override the ones above. */
    requests?: { method?: "GET" | "POST"; path?: string; headers?: Record<string, string>; body?: string }[];
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    total: number;
  }

  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    "1xx": number;
    "2xx": number;
    "3xx": number;
    "4xx": number;
    "5xx": number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }

  /**
   * Emits `response` (client, statusCode, bytes, responseTimeMs) per answer and
   * `reqError` (error) per failed request; `stop()` ends the run early.
   */
  export interface Instance extends EventEmitter {
    stop(): void;
  }

  export default function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance;
}
