import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * CPU time (user + system) another process has used, in seconds, from
 * /proc/<pid>/stat. CPU per request is the number that survives a busy machine:
 * throughput and latency depend on what else runs, the work per request does not.
 */

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** undefined where /proc is not there (macOS): the report then shows no CPU column. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / clockTicks() : undefined;
  } catch {
    return undefined;
  }
}
