import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { createWriteStream } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Every server a benchmark starts runs in its own process group, and this module
 * is the only place that starts or stops them. Other people run servers with the
 * same command line on this machine, so nothing is ever killed by name: only the
 * groups recorded here, on the way out, on Ctrl-C, and on a crash.
 */

export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or null after a signal) once the leader has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the group is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout and stderr go here, so a full pipe never stalls a server under load. */
  logFile: string;
  /** Opens an IPC channel (process.send) to the child. */
  ipc?: boolean;
}

const running = new Set<ChildServer>();
let hooksInstalled = false;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous, for process "exit" where nothing async runs any more. */
function killAllNow(): void {
  for (const server of running) killGroup(server.pid, "SIGKILL");
  running.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", killAllNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, stopping the servers it started`);
      void stopAll(2_000).finally(() => process.exit(130));
    });
  }
  process.on("uncaughtException", (error) => {
    console.error(`bench: ${error.stack ?? error.message}`);
    killAllNow();
    process.exit(1);
  });
}

export function spawnServer(name: string, command: string, args: string[], options: SpawnOptions): ChildServer {
  installHooks();
  const stdio: StdioOptions = ["ignore", "pipe", "pipe", ...(options.ipc ? (["ipc"] as const) : [])];
  // detached: the child leads a new process group, so one kill reaches it and anything it forks.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio, detached: true });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  const log = createWriteStream(options.logFile, { flags: "w" });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });

  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then(() => {
    // The group may outlive its leader only if the leader forked; our servers don't, but be sure.
    if (groupAlive(pid)) killGroup(pid, "SIGKILL");
    log.end();
  });

  let stopping: Promise<void> | undefined;
  const server: ChildServer = {
    name,
    pid,
    process: child,
    exited,
    stop(graceMs = 15_000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          killGroup(pid, "SIGTERM");
          const outcome = await Promise.race([exited.then(() => "exited" as const), sleep(graceMs, "timeout" as const)]);
          if (outcome === "timeout") {
            console.error(`bench: ${name} did not stop within ${graceMs} ms; killing its process group`);
            killGroup(pid, "SIGKILL");
            await exited;
          }
        }
        if (groupAlive(pid)) killGroup(pid, "SIGKILL");
        running.delete(server);
      })();
      return stopping;
    },
  };
  running.add(server);
  return server;
}

/** Stops every server still running, newest first (the app before the stand-ins it calls). */
export async function stopAll(graceMs?: number): Promise<void> {
  for (const server of [...running].reverse()) await server.stop(graceMs);
}

/** Polls `url` until it answers 2xx; fails fast when the server exits instead. */
export async function waitUntilHealthy(server: ChildServer, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = server.process;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(`${server.name} exited (${exitCode ?? signalCode}) during start-up; see its log`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`${server.name} was not healthy at ${url} within ${timeoutMs} ms; see its log`);
}
