import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Resident set size of another process, in bytes: from /proc on Linux (cheap
 * enough to read several times a second), from `ps` elsewhere.
 */
export function readRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    try {
      const kb = execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim();
      return kb === "" ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  }
}

export interface RssSample {
  /** Seconds since sampling started. */
  t: number;
  bytes: number;
}

/** Samples a process's RSS every `intervalMs` until stopped. */
export function sampleRss(pid: number, intervalMs: number): { stop(): RssSample[] } {
  const started = performance.now();
  const samples: RssSample[] = [];
  const take = () => {
    const bytes = readRss(pid);
    if (bytes !== undefined) samples.push({ t: (performance.now() - started) / 1000, bytes });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}
