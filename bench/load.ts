import autocannon, { type Options, type Result } from "autocannon";
import { readCpuSeconds } from "./cpu";
import { sampleRss, type RssSample } from "./rss";
import { percentile, round } from "./stats";

/**
 * One load run against one target with autocannon, in this process. Latencies
 * are kept per response (autocannon's own histogram rounds to whole ms, too
 * coarse for a 5 ms overhead budget); statuses are checked against what the
 * target should answer (a sign-in answers 302, not 2xx).
 */

export interface Target {
  /** Stable key in the results, e.g. "dashboard-document". */
  id: string;
  label: string;
  method: "GET" | "POST";
  path: string;
  /** Requests cycle through these per connection (e.g. one per demo customer). */
  variants: { headers: Record<string, string>; body?: string }[];
  expectStatus: number;
}

export interface LoadSettings {
  base: string;
  connections: number;
  durationS: number;
  /** A short unmeasured run first: JIT, pools and caches warm, connections open. */
  warmupS: number;
  /** The server process whose RSS is sampled during the measured run. */
  pid?: number;
  /** Sent as Accept-Encoding with every request when set. */
  acceptEncoding?: string | undefined;
}

export interface LoadResult {
  target: string;
  label: string;
  server: string;
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  errors: number;
  timeouts: number;
  /** Answers with another status than the target's expected one. */
  unexpected: number;
  statusCodes: Record<string, number>;
  bytesPerResponse: number;
  /** CPU the server process used per completed request, and its share of one core over the run. */
  cpu: { msPerRequest: number; corePct: number } | null;
  rssMb: { start: number; peak: number; end: number } | null;
  rssSamples?: RssSample[];
}

/** One autocannon run; `onResponse` hears every response. */
export function runLoad(options: Options, onResponse?: (status: number, bytes: number, ms: number) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse) {
      instance.on("response", (_client: unknown, status: number, bytes: number, ms: number) => onResponse(status, bytes, ms));
    }
  });
}

/**
 * CPU µs a server process spends per request over exactly `amount` requests, read
 * from /proc before and after: how long the requests took does not matter.
 */
export async function cpuUsPerRequest(pid: number, options: Options & { amount: number }): Promise<number> {
  const before = readCpuSeconds(pid);
  await runLoad(options);
  const after = readCpuSeconds(pid);
  if (before === undefined || after === undefined) throw new Error("this needs /proc to read a process's CPU time");
  return ((after - before) * 1e6) / options.amount;
}

function options(target: Target, settings: LoadSettings, durationS: number): Options {
  return {
    url: settings.base + target.path,
    connections: settings.connections,
    duration: durationS,
    timeout: 10,
    requests: target.variants.map((variant) => ({
      method: target.method,
      path: target.path,
      // BENCH_ACCEPT_ENCODING: what a browser sends, to measure compression (docs/performance.md).
      headers: settings.acceptEncoding ? { "accept-encoding": settings.acceptEncoding, ...variant.headers } : variant.headers,
      ...(variant.body !== undefined ? { body: variant.body } : {}),
    })),
  };
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

export async function measure(
  target: Target,
  server: string,
  settings: LoadSettings,
  { keepRssSamples = false } = {},
): Promise<LoadResult> {
  if (settings.warmupS > 0) await runLoad(options(target, settings, settings.warmupS));

  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let unexpected = 0;
  let bytes = 0;
  const rss = settings.pid === undefined ? undefined : sampleRss(settings.pid, 250);
  const cpuBefore = settings.pid === undefined ? undefined : readCpuSeconds(settings.pid);
  const result = await runLoad(options(target, settings, settings.durationS), (status, size, ms) => {
    latencies.push(ms);
    statusCodes[status] = (statusCodes[status] ?? 0) + 1;
    if (status !== target.expectStatus) unexpected += 1;
    bytes += size;
  });
  const samples = rss?.stop();
  const cpuAfter = settings.pid === undefined ? undefined : readCpuSeconds(settings.pid);
  const cpuSeconds = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;

  const sorted = Float64Array.from(latencies).sort();
  const total = latencies.reduce((sum, ms) => sum + ms, 0);
  return {
    target: target.id,
    label: target.label,
    server,
    connections: settings.connections,
    durationS: result.duration,
    requests: latencies.length,
    rps: round(latencies.length / result.duration, 1),
    latencyMs: {
      p50: round(percentile(sorted, 50), 2),
      p90: round(percentile(sorted, 90), 2),
      p99: round(percentile(sorted, 99), 2),
      mean: round(latencies.length ? total / latencies.length : Number.NaN, 2),
      max: round(sorted[sorted.length - 1] ?? Number.NaN, 2),
    },
    errors: result.errors,
    timeouts: result.timeouts,
    unexpected,
    statusCodes,
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
    cpu:
      cpuSeconds === undefined || latencies.length === 0
        ? null
        : { msPerRequest: round((cpuSeconds * 1000) / latencies.length, 4), corePct: round((cpuSeconds / result.duration) * 100, 0) },
    rssMb:
      samples && samples.length > 0
        ? {
            start: mb(samples[0]?.bytes ?? 0),
            peak: mb(Math.max(...samples.map((sample) => sample.bytes))),
            end: mb(samples[samples.length - 1]?.bytes ?? 0),
          }
        : null,
    ...(keepRssSamples && samples ? { rssSamples: samples } : {}),
  };
}
