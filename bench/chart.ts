import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchReport, Run } from "./report";

/**
 * The chart in docs/performance.md, drawn from a results file as plain SVG (no
 * chart library, no external service): per run, throughput on the left and
 * p50/p99 latency on the right (log scales), grouped by scenario, app, baseline and floor in three colours.
 *
 *   node --import tsx bench/chart.ts [bench/results/latest.json] [docs/performance-chart.svg]
 */

const COLORS: Record<string, string> = { app: "#2f6fdf", baseline: "#9aa5b1", floor: "#e39b2d" };
const WIDTH = 1000;
const LABEL_X = 28;
const RPS_X = 350;
const RPS_W = 220;
const LAT_X = 650;
const LAT_W = 240;
const ROW_H = 22;
const GROUP_H = 26;
const TOP = 112;

/** Both axes are logarithmic: the runs span 30 to 8,000 req/s and 5 ms to seconds. */
const RPS_AXIS = [10, 100, 1_000, 10_000];
const LATENCY_AXIS = [1, 10, 100, 1_000, 10_000];

const SCENARIOS: Record<string, string> = {
  main: "main: {c} connections, {l} ms per upstream call",
  overhead: "overhead: {oc} connections",
  "slow:off": "isolation, {oc} connections: transactions at {l} ms",
  "slow:on": "isolation, {oc} connections: transactions at {s} ms",
  "mixed:off": "/profile ({h} conn.) beside /dashboard load ({h} conn.), transactions at {l} ms",
  "mixed:on": "/profile ({h} conn.) beside /dashboard load ({h} conn.), transactions at {s} ms",
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c] ?? c);
}

function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(content)}</text>`;
}

/** Position of `value` on a log axis from axis[0] to axis[last], `width` pixels wide. */
function logScale(value: number, axis: readonly number[], width: number): number {
  const low = Math.log10(axis[0] ?? 1);
  const high = Math.log10(axis[axis.length - 1] ?? 10);
  const clamped = Math.min(Math.max(value, 10 ** low), 10 ** high);
  return ((Math.log10(clamped) - low) / (high - low)) * width;
}

function grid(x: number, width: number, axis: readonly number[], top: number, bottom: number): string[] {
  return axis.flatMap((tick) => {
    const at = x + logScale(tick, axis, width);
    return [
      `<line x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="${top}" y2="${bottom}" stroke="#eef0f3"/>`,
      text(at, top - 4, tick >= 1000 ? `${tick / 1000}k` : String(tick), 'fill="#888" font-size="10" text-anchor="middle"'),
    ];
  });
}

/** The background half of a "mixed" pair is drawn in its pair's group. */
const groupOf = (scenario: string) => scenario.replace(/:bg$/, "");

export function renderChart(report: BenchReport): string {
  const runs = report.runs.filter((run) => groupOf(run.scenario) in SCENARIOS);
  const groups = Object.keys(SCENARIOS)
    .map((scenario) => ({ scenario, runs: runs.filter((run) => groupOf(run.scenario) === scenario) }))
    .filter((group) => group.runs.length > 0);
  const s = report.settings;
  const title = (scenario: string) =>
    (SCENARIOS[scenario] ?? scenario)
      .replace("{c}", String(s.connections))
      .replace("{oc}", String(s.overheadConnections))
      .replaceAll("{h}", String(Math.max(1, Math.floor(s.connections / 2))))
      .replace("{l}", String(s.latencyMs))
      .replace("{s}", String(s.slowLatencyMs));

  const bottom = TOP + groups.reduce((sum, group) => sum + GROUP_H + group.runs.length * ROW_H, 0);
  const height = bottom + 50;
  const ratioText = report.ratios
    .map((r) => `${r.target}: app/${r.versus ?? "baseline"} ${r.rps ?? "–"}× req/s`)
    .join(" · ");

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(16, 24, `Northwind Bank BFF benchmark · ${report.startedAt.slice(0, 16).replace("T", " ")} UTC${report.label ? ` · ${report.label}` : ""}`, 'font-size="15" font-weight="600"'),
    text(16, 44, `${report.machine.cpus} cores, Node ${report.machine.node}, load average ${report.machine.loadAvgStart.map((l) => l.toFixed(1)).join(" / ")} at start, ${s.durationS} s per run after ${s.warmupS} s of warm-up`, 'fill="#444"'),
    text(16, 62, ratioText, 'fill="#444"'),
    text(RPS_X, TOP - 24, "throughput, req/s (log scale)", 'font-weight="600"'),
    text(LAT_X, TOP - 24, "latency, ms (log scale): bar p50, tick p99", 'font-weight="600"'),
    ...grid(RPS_X, RPS_W, RPS_AXIS, TOP, bottom),
    ...grid(LAT_X, LAT_W, LATENCY_AXIS, TOP, bottom),
  ];

  let y = TOP;
  for (const group of groups) {
    parts.push(text(16, y + 17, title(group.scenario), 'font-weight="600" fill="#222"'));
    parts.push(`<line x1="16" x2="${WIDTH - 16}" y1="${y + GROUP_H - 3}" y2="${y + GROUP_H - 3}" stroke="#dfe3e8"/>`);
    y += GROUP_H;
    for (const run of group.runs) {
      parts.push(...bars(run, y));
      y += ROW_H;
    }
  }

  const legendY = bottom + 28;
  const errors = report.runs.reduce((sum, run) => sum + run.errors + run.timeouts + run.unexpected, 0);
  parts.push(`<rect x="16" y="${legendY - 10}" width="12" height="12" fill="${COLORS.app}"/>`, text(34, legendY, "app (Remix BFF)"));
  parts.push(`<rect x="150" y="${legendY - 10}" width="12" height="12" fill="${COLORS.baseline}"/>`, text(168, legendY, "baseline (node:http + undici)"));
  parts.push(`<rect x="370" y="${legendY - 10}" width="12" height="12" fill="${COLORS.floor}"/>`, text(388, legendY, "floor (bare Remix, remix-serve)"));
  parts.push(text(580, legendY, `errors, timeouts and unexpected statuses in all runs: ${errors}`, 'fill="#444"'));
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function bars(run: Run, y: number): string[] {
  const color = COLORS[run.server] ?? "#888";
  const barH = ROW_H - 8;
  const mid = y + ROW_H / 2 + 4;
  const rpsW = logScale(run.rps, RPS_AXIS, RPS_W);
  const p50W = logScale(run.latencyMs.p50, LATENCY_AXIS, LAT_W);
  const p99X = LAT_X + logScale(run.latencyMs.p99, LATENCY_AXIS, LAT_W);
  const background = run.scenario.endsWith(":bg") ? " (background load)" : "";
  return [
    text(LABEL_X, mid, `${run.server}: ${run.label}${background}`, 'fill="#222"'),
    `<rect x="${RPS_X}" y="${y + 4}" width="${rpsW.toFixed(1)}" height="${barH}" fill="${color}"/>`,
    text(RPS_X + RPS_W + 6, mid, run.rps.toFixed(0), 'fill="#222"'),
    `<rect x="${LAT_X}" y="${y + 4}" width="${p50W.toFixed(1)}" height="${barH}" fill="${color}"/>`,
    `<line x1="${p99X.toFixed(1)}" x2="${p99X.toFixed(1)}" y1="${y + 2}" y2="${y + ROW_H - 2}" stroke="#1b2a3a" stroke-width="2"/>`,
    text(LAT_X + LAT_W + 6, mid, `${run.latencyMs.p50.toFixed(1)} / ${run.latencyMs.p99.toFixed(0)}`, 'fill="#222"'),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = path.resolve(import.meta.dirname, "..");
  const input = process.argv[2] ?? path.join(root, "bench", "results", "latest.json");
  const output = process.argv[3] ?? path.join(root, "docs", "performance-chart.svg");
  writeFileSync(output, renderChart(JSON.parse(readFileSync(input, "utf8")) as BenchReport));
  console.log(`chart: ${path.relative(root, output)} from ${path.relative(root, input)}`);
}
