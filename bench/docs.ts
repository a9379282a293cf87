import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { markdownChecks, markdownRatios, markdownTable, type BenchReport } from "./report";

/**
 * Keeps the "latest results" block of docs/performance.md in step with the last
 * full run. Only the text between the markers is generated; the rest of the page
 * (findings, fixes, how to read the numbers) is written by people.
 */
const START = "<!-- bench:latest:start -->";
const END = "<!-- bench:latest:end -->";

export function latestBlock(report: BenchReport, resultsFile: string): string {
  const s = report.settings;
  return [
    START,
    `Run of ${report.startedAt.slice(0, 19).replace("T", " ")} UTC${report.label ? ` (${report.label})` : ""}, ` +
      `${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}, ` +
      `load average ${report.machine.loadAvgStart.map((l) => l.toFixed(2)).join(" / ")} at start; ` +
      `${s.durationS} s per run after ${s.warmupS} s of warm-up, ${s.connections} connections, ` +
      `${s.latencyMs} ms per upstream call; wall time ${Math.round(report.wallS)} s. Raw: \`${resultsFile}\`.`,
    "",
    markdownRatios(report.ratios),
    "",
    markdownChecks(report.checks),
    "",
    markdownTable(report.runs),
    "",
    "![Benchmark chart](performance-chart.svg)",
    END,
  ].join("\n");
}

/** Returns false (and leaves the file alone) when the page or its markers are missing. */
export function updateDocs(docFile: string, block: string): boolean {
  let text: string;
  try {
    text = readFileSync(docFile, "utf8");
  } catch {
    return false;
  }
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) return false;
  writeFileSync(docFile, text.slice(0, start) + block + text.slice(end + END.length));
  return true;
}

export const DOC_FILE = (root: string) => path.join(root, "docs", "performance.md");
