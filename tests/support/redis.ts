import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../server/test-server";

/** A throwaway redis-server on a free loopback port, nothing written to disk. */
export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A port found free can be taken before redis-server binds it (parallel tests connect out all the time): try another. */
const PORT_ATTEMPTS = 5;
const START_TIMEOUT_MS = 10_000;

export async function startRedis(): Promise<TestRedis> {
  let port = 0;
  let child: ChildProcess | undefined;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  // Restarts (start() after stop()) keep the port: the tests reconnect to the same address.
  const start = async () => {
    if (running()) return;
    const started = await launch(port);
    child = started.child;
    if (!started.ready) throw new Error(`redis-server did not start on port ${port}: ${started.output.slice(-500)}`);
  };

  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      if (attempt === PORT_ATTEMPTS) throw error;
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      if (!child || !running()) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * Starts redis-server and waits for its own word that it listens ("Ready to accept
 * connections"), not for the port to look taken: another process holding the port
 * would look the same, and the tests would talk to it.
 */
function launch(port: number): Promise<{ child: ChildProcess; ready: boolean; output: string }> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve) => {
    let output = "";
    let settled = false;
    const done = (ready: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.off("data", listen);
      child.stderr?.off("data", listen);
      // Keep reading, so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (!ready) child.kill("SIGKILL");
      resolve({ child, ready, output });
    };
    const timer = setTimeout(() => done(false), START_TIMEOUT_MS);
    const listen = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes("Ready to accept connections")) done(true);
    };
    child.stdout?.on("data", listen);
    child.stderr?.on("data", listen);
    child.once("exit", () => done(false));
    child.once("error", (error) => {
      output += String(error);
      done(false);
    });
  });
}
