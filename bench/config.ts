/**
 * Benchmark settings from the environment and the command line, validated once:
 * a typo in BENCH_DURATION_S should stop the run, not silently measure 0 s.
 */
export interface BenchConfig {
  /** Upstream latency every stand-in adds, ms. */
  latencyMs: number;
  /** The latency of the one slow service in the isolation check, ms. */
  slowLatencyMs: number;
  durationS: number;
  warmupS: number;
  /** Rounds of app and baseline back to back for each ratio target; the ratio is their median. */
  rounds: number;
  connections: number;
  /** The low-concurrency runs: the overhead on top of the upstream latency, and the isolation checks. */
  overheadConnections: number;
  /** 0: no soak. */
  soakS: number;
  profile: boolean;
  build: boolean;
  /** Only these target ids or groups (ONLY_GROUPS); a partial run: latest.json and the docs are left alone. */
  only: string[] | undefined;
  label: string | undefined;
  /** BENCH_ACCEPT_ENCODING: sent with every request (e.g. "gzip, deflate, br"); unset, none (bodies go uncompressed). */
  acceptEncoding: string | undefined;
  /** "auto": a free port, found at start-up (other benchmarks and servers share this machine). */
  ports: { app: Port; baseline: Port; floor: Port; standins: Port };
}

export function positive(name: string, fallback: number, { integer = true, allowZero = false } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  const ok = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && (!integer || Number.isInteger(value));
  if (!ok) throw new Error(`${name} must be a ${integer ? "whole " : ""}number ${allowZero ? "≥ 0" : "> 0"}, not "${raw}"`);
  return value;
}

export type Port = number | "auto";

/** `--only=documents`: the two documents compared with the floor, in rounds and at low concurrency (the quick run). */
export const ONLY_GROUPS: Record<string, readonly string[]> = {
  documents: ["dashboard-document", "sign-in-page"],
};

function port(name: string): Port {
  const raw = process.env[name];
  return raw === undefined || raw === "" || raw === "auto" ? "auto" : positive(name, 0);
}

function flag(args: readonly string[], name: string): boolean {
  return args.includes(`--${name}`);
}

export function option(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

const KNOWN = ["--soak", "--profile", "--no-build", "--only=", "--label="];

export function readConfig(args: readonly string[]): BenchConfig {
  const unknown = args.filter((arg) => !KNOWN.some((known) => (known.endsWith("=") ? arg.startsWith(known) : arg === known)));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}; known: ${KNOWN.join(" ")}`);
  const soakFromEnv = positive("BENCH_SOAK_S", 0, { allowZero: true });
  return {
    latencyMs: positive("BENCH_LATENCY_MS", 20, { allowZero: true }),
    slowLatencyMs: positive("BENCH_SLOW_MS", 500),
    durationS: positive("BENCH_DURATION_S", 10),
    warmupS: positive("BENCH_WARMUP_S", 3, { allowZero: true }),
    rounds: positive("BENCH_ROUNDS", 3),
    connections: positive("BENCH_CONNECTIONS", 50),
    overheadConnections: positive("BENCH_OVERHEAD_CONNECTIONS", 1),
    soakS: soakFromEnv > 0 ? soakFromEnv : flag(args, "soak") ? 120 : 0,
    profile: flag(args, "profile") || process.env.BENCH_PROFILE === "1",
    build: !flag(args, "no-build") && process.env.BENCH_SKIP_BUILD !== "1",
    only: option(args, "only")
      ?.split(",")
      .filter(Boolean)
      .flatMap((key) => ONLY_GROUPS[key] ?? [key]),
    label: option(args, "label") ?? process.env.BENCH_LABEL,
    acceptEncoding: process.env.BENCH_ACCEPT_ENCODING || undefined,
    ports: { app: port("BENCH_APP_PORT"), baseline: port("BENCH_BASELINE_PORT"), floor: port("BENCH_FLOOR_PORT"), standins: port("BENCH_STANDIN_PORT") },
  };
}
