import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BenchConfig } from "./config";
import type { LoadResult } from "./load";
import type { ProfileSummary } from "./profile-summary";
import { median, round } from "./stats";

/** The results file (bench/results/*.json) and how it is printed. */

export interface Run extends LoadResult {
  /** Which part of the benchmark: "main", "overhead", "slow:off", "slow:on", "mixed:off", "mixed:on", "soak". */
  scenario: string;
  /** The upstream latency in force, e.g. "20" or "20, transactions:500". */
  upstreamLatency: string;
}

export interface Check {
  id: string;
  goal: string;
  value: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

export interface SoakResult {
  warmupS: number;
  durationS: number;
  /** RSS of the app every second after the warm-up, MB. */
  samples: { t: number; mb: number }[];
  startMb: number;
  endMb: number;
  peakMb: number;
  growthPct: number;
  /** Live heap after full collections (from --trace-gc): climbs only when something is retained. */
  heapAfterMajorGc: { count: number; startMb: number; endMb: number; growthPct: number } | null;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface BenchReport {
  kind: "bench";
  label: string | undefined;
  partial: boolean;
  startedAt: string;
  finishedAt: string;
  wallS: number;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAvgStart: number[]; loadAvgEnd: number[] };
  /** The run's BenchConfig numbers, and whether the app was profiled (`--profile`). */
  settings: Pick<BenchConfig, "latencyMs" | "slowLatencyMs" | "durationS" | "warmupS" | "rounds" | "connections" | "overheadConnections" | "soakS"> & {
    cpuProfile: boolean;
  };
  runs: Run[];
  /** App against another server, medians over the rounds (`rps` per round in `rounds`, in the order they ran). */
  ratios: Ratio[];
  checks: Check[];
  soak: SoakResult | null;
  /** With --profile: where each profiled server spent its CPU. */
  profile: { app?: ProfileSummary; floor?: ProfileSummary; baseline?: ProfileSummary } | null;
}

/** What the app is compared with: the hand-written baseline, or the bare Remix floor. */
export type Versus = "baseline" | "floor";

export interface Ratio {
  target: string;
  versus: Versus;
  /** app req/s ÷ theirs. */
  rps: number | null;
  /** app p50 ÷ theirs: > 1 means the app is slower. */
  p50: number | null;
  /** Their CPU per request ÷ the app's: like req/s, 1 is parity and less is worse. */
  cpuPerRequest: number | null;
  rounds: number[];
}

/** The pairs measured in rounds (run.ts): the baseline has no sign-in page, the floor no /api/ads. */
export const PAIRS: readonly { target: string; versus: Versus }[] = [
  { target: "dashboard-document", versus: "baseline" },
  { target: "ads", versus: "baseline" },
  { target: "dashboard-document", versus: "floor" },
  { target: "sign-in-page", versus: "floor" },
];

export function findRun(runs: readonly Run[], scenario: string, server: string, target: string): Run | undefined {
  return runs.find((run) => run.scenario === scenario && run.server === server && run.target === target);
}

export function ratios(runs: readonly Run[]): Ratio[] {
  return PAIRS.map(({ target, versus }) => {
    // The main runs of a target come in rounds, one run per server each (run.ts): the i-th app run pairs with the i-th of theirs.
    const main = (server: string) => runs.filter((run) => run.scenario === "main" && run.server === server && run.target === target);
    const theirs = main(versus);
    const rounds = main("app").flatMap((app, i) => {
      const other = theirs[i];
      return other ? [{ app, other }] : [];
    });
    const perRound = (ratio: (pair: (typeof rounds)[number]) => number | null): number[] =>
      rounds.map(ratio).filter((value): value is number => value !== null && Number.isFinite(value));
    const medianOf = (values: number[]) => (values.length === 0 ? null : round(median(values), 2));
    const rps = perRound(({ app, other }) => (other.rps > 0 ? app.rps / other.rps : null));
    return {
      target,
      versus,
      rps: medianOf(rps),
      p50: medianOf(perRound(({ app, other }) => (other.latencyMs.p50 > 0 ? app.latencyMs.p50 / other.latencyMs.p50 : null))),
      cpuPerRequest: medianOf(perRound(({ app, other }) => (app.cpu && other.cpu && app.cpu.msPerRequest > 0 ? other.cpu.msPerRequest / app.cpu.msPerRequest : null))),
      rounds: rps.map((value) => round(value, 2)),
    };
  });
}

/**
 * What no Remix dashboard can beat at one connection on this machine, measured in
 * the same run: the floor's page alone (no upstream call) plus the baseline's
 * overhead (the same upstream calls, by hand), less the bare request that both
 * p50s count (client, loopback, Node's HTTP). The app's page does at least the
 * floor's work and at least the baseline's calls, one after the other.
 */
function overheadBound(runs: readonly Run[], baselineOverheadMs: number | undefined): string | null {
  const floor = findRun(runs, "overhead", "floor", "dashboard-document");
  const bare = findRun(runs, "overhead", "baseline", "bare-request");
  if (!floor || !bare || baselineOverheadMs === undefined) return null;
  const ms = round(floor.latencyMs.p50 + baselineOverheadMs - bare.latencyMs.p50, 2);
  return `; floor's page ${floor.latencyMs.p50} ms + baseline's calls ${baselineOverheadMs} ms − bare request ${bare.latencyMs.p50} ms: no Remix page making these calls can go under ${ms} ms here`;
}

/** "Not slowed": p50 up by no more than 5 ms or 10 %, whichever allows more (run-to-run noise here). */
export function notSlowed(normal: number, slow: number): boolean {
  return slow <= Math.max(normal + 5, normal * 1.1);
}

export function checks(report: Pick<BenchReport, "runs" | "settings" | "soak">): Check[] {
  const { runs, settings, soak } = report;
  const ratio = ratios(runs);
  const ratioCheck = (target: string, versus: Versus, goal: number): Check => {
    const entry = ratio.find((candidate) => candidate.target === target && candidate.versus === versus);
    const value = entry?.rps ?? null;
    const rounds = entry && entry.rounds.length > 1 ? ` (median of ${entry.rounds.map((r) => `${r}×`).join(", ")})` : "";
    return {
      id: versus === "baseline" ? `${target}-ratio` : `${target}-${versus}-ratio`,
      goal: `${target} app/${versus} req/s ≥ ${goal}`,
      value: value === null ? "not measured" : `${value}×${rounds}`,
      met: value === null ? null : value >= goal,
    };
  };

  const failing = runs.filter((run) => run.errors + run.timeouts + run.unexpected > 0);
  const overheadOf = (server: string) => {
    const run = findRun(runs, "overhead", server, "dashboard-document");
    return run ? { run, ms: round(run.latencyMs.p50 - settings.latencyMs, 2) } : null;
  };
  const overhead = overheadOf("app");
  const baselineOverhead = overheadOf("baseline");
  const bound = overheadBound(runs, baselineOverhead?.ms);

  const isolation: { name: string; normal: Run | undefined; slow: Run | undefined }[] = [
    { name: "/profile", normal: findRun(runs, "slow:off", "app", "profile-document"), slow: findRun(runs, "slow:on", "app", "profile-document") },
    { name: "/api/ads", normal: findRun(runs, "slow:off", "app", "ads"), slow: findRun(runs, "slow:on", "app", "ads") },
    {
      name: "/profile beside dashboard load",
      normal: findRun(runs, "mixed:off", "app", "profile-document"),
      slow: findRun(runs, "mixed:on", "app", "profile-document"),
    },
  ];
  const measured = isolation.filter((entry) => entry.normal && entry.slow);

  return [
    ratioCheck("dashboard-document", "floor", 0.7),
    ratioCheck("sign-in-page", "floor", 0.9),
    ratioCheck("ads", "baseline", 0.7),
    {
      id: "zero-errors",
      goal: "no errors, timeouts or unexpected statuses in any run",
      value:
        failing.length === 0
          ? `0 in ${runs.length} runs`
          : failing.map((run) => `${run.server} ${run.target} (${run.scenario}): ${run.errors} errors, ${run.unexpected} unexpected`).join("; "),
      met: runs.length === 0 ? null : failing.length === 0,
    },
    {
      id: "overhead-p50",
      goal: `dashboard p50 − ${settings.latencyMs} ms upstream latency ≤ 3 ms at ${settings.overheadConnections} connection${settings.overheadConnections === 1 ? "" : "s"}`,
      value:
        overhead === null
          ? "not measured"
          : `${overhead.ms} ms (p50 ${overhead.run.latencyMs.p50} ms)` + (baselineOverhead ? `; baseline ${baselineOverhead.ms} ms` : "") + (bound ?? ""),
      met: overhead === null ? null : overhead.ms <= 3,
    },
    {
      id: "soak-rss",
      goal: "RSS growth < 10 % over the soak, after a warm-up",
      value: soak
        ? `${soak.growthPct} % (${soak.startMb} → ${soak.endMb} MB over ${soak.durationS} s)` +
          (soak.heapAfterMajorGc
            ? `; live heap after ${soak.heapAfterMajorGc.count} full GCs ${soak.heapAfterMajorGc.startMb} → ${soak.heapAfterMajorGc.endMb} MB (${soak.heapAfterMajorGc.growthPct} %)`
            : "")
        : "not run (npm run bench -- --soak)",
      met: soak ? soak.growthPct < 10 : null,
    },
    {
      id: "slow-service-isolation",
      goal: `transactions at ${settings.slowLatencyMs} ms does not slow pages that don't call it (p50 within +5 ms or +10 %)`,
      value:
        measured.length === 0
          ? "not measured"
          : measured.map((entry) => `${entry.name} p50 ${entry.normal?.latencyMs.p50} → ${entry.slow?.latencyMs.p50} ms`).join("; "),
      met: measured.length === 0 ? null : measured.every((entry) => notSlowed(entry.normal?.latencyMs.p50 ?? 0, entry.slow?.latencyMs.p50 ?? 0)),
    },
  ];
}

// ---------------------------------------------------------------------------
// Printing

const COLUMNS = ["scenario", "server", "target", "conn", "upstream ms", "req/s", "p50 ms", "p99 ms", "errors", "bad status", "CPU ms/req", "CPU %", "RSS peak MB", "bytes/resp"];

function row(run: Run): string[] {
  return [
    run.scenario,
    run.server,
    run.label,
    String(run.connections),
    run.upstreamLatency,
    run.rps.toFixed(0),
    run.latencyMs.p50.toFixed(1),
    run.latencyMs.p99.toFixed(1),
    String(run.errors + run.timeouts),
    String(run.unexpected),
    // Three digits that mean something: /api/ads costs hundredths of a millisecond.
    run.cpu ? String(Number(run.cpu.msPerRequest.toPrecision(3))) : "–",
    run.cpu ? String(run.cpu.corePct) : "–",
    run.rssMb ? run.rssMb.peak.toFixed(0) : "–",
    String(run.bytesPerResponse),
  ];
}

export function textTable(runs: readonly Run[]): string {
  const rows = [COLUMNS, ...runs.map(row)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? "").length)));
  return rows.map((cells) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")).join("\n");
}

export function markdownTable(runs: readonly Run[]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(COLUMNS), line(COLUMNS.map(() => "---")), ...runs.map((run) => line(row(run)))].join("\n");
}

const mark = (met: boolean | null) => (met === null ? "–" : met ? "met" : "MISSED");

export function textChecks(list: readonly Check[]): string {
  return list.map((check) => `  [${mark(check.met)}] ${check.goal}: ${check.value}`).join("\n");
}

export function markdownChecks(list: readonly Check[]): string {
  return ["| goal | result | |", "| --- | --- | --- |", ...list.map((check) => `| ${check.goal} | ${check.value} | ${mark(check.met)} |`)].join("\n");
}

export function markdownRatios(list: BenchReport["ratios"]): string {
  return [
    "| target | app versus | req/s app/theirs (median) | every round | p50 app/theirs | CPU per request theirs/app |",
    "| --- | --- | --- | --- | --- | --- |",
    ...list.map(
      (entry) =>
        `| ${entry.target} | ${entry.versus} | ${entry.rps ?? "–"}× | ${entry.rounds.map((r) => `${r}×`).join(", ") || "–"} | ${entry.p50 ?? "–"}× | ${entry.cpuPerRequest ?? "–"}× |`,
    ),
  ].join("\n");
}

/** Writes `<timestamp>[-label].json`, and latest.json for full runs; returns the timestamped path. */
export function saveReport(report: BenchReport, folder: string): string {
  mkdirSync(folder, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const name = `${stamp}${report.label ? `-${report.label.replace(/[^A-Za-z0-9_-]/g, "_")}` : ""}.json`;
  const text = JSON.stringify(report, null, 2) + "\n";
  const file = path.join(folder, name);
  writeFileSync(file, text);
  if (!report.partial) writeFileSync(path.join(folder, "latest.json"), text);
  return file;
}
