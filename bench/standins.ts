import { once } from "node:events";
import path from "node:path";
import type { PerService, ServiceName } from "../upstream";
import { spawnServer, type ChildServer } from "./processes";

/** The IPC protocol between a benchmark and its stand-ins child (standins-child.ts). */
export type ToStandins = { type: "configure"; latencyMs: PerService };
export type FromStandins = { type: "ready"; urls: Record<ServiceName, string> } | { type: "configured" };

const START_TIMEOUT_MS = 30_000;

export interface BenchStandins {
  readonly server: ChildServer;
  readonly urls: Record<ServiceName, string>;
  /** Replaces the injected latency of every service (services not named get none). */
  setLatency(latencyMs: PerService): Promise<void>;
}

export async function startBenchStandins(options: {
  root: string;
  logFile: string;
  latencyMs: PerService;
  /** First of five consecutive ports, or "auto" for ephemeral ones. */
  ports: number | "auto";
}): Promise<BenchStandins> {
  const latency = Object.entries(options.latencyMs)
    .map(([name, ms]) => `${name}:${ms}`)
    .join(",");
  const server = spawnServer("stand-ins", process.execPath, ["--import", "tsx", path.join("bench", "standins-child.ts")], {
    cwd: options.root,
    env: { ...process.env, STANDIN_LATENCY_MS: latency, BENCH_STANDIN_PORTS: String(options.ports) },
    logFile: options.logFile,
    ipc: true,
  });
  const child = server.process;
  const ready = new Promise<Record<ServiceName, string>>((resolve, reject) => {
    child.on("message", (message: FromStandins) => {
      if (message.type === "ready") resolve(message.urls);
    });
    void server.exited.then((code) => reject(new Error(`stand-ins exited (code ${code}) during start-up; see ${options.logFile}`)));
    setTimeout(() => reject(new Error(`stand-ins did not start within ${START_TIMEOUT_MS} ms; see ${options.logFile}`)), START_TIMEOUT_MS).unref();
  });
  const urls = await ready;

  return {
    server,
    urls,
    async setLatency(latencyMs) {
      const configured = once(child, "message");
      child.send({ type: "configure", latencyMs } satisfies ToStandins);
      await configured;
    },
  };
}
