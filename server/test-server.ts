import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { SERVER_ARGS } from "./node-flags";

/** Runs the real server entry (against the production build) for tests that need the whole stack. */
const root = path.resolve(import.meta.dirname, "..");

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, [...SERVER_ARGS], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  return { child, output: () => output };
}

/** Waits for /healthz while the server lives: start-up takes 2 s on a quiet machine, 20 s or more on a loaded one. */
export async function waitForHealth(base: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("server exited during start-up");
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("server did not become healthy");
}


export interface RunningServer {
  port: number;
  /** http://127.0.0.1:port */
  base: string;
  child: ChildProcess;
  output: () => string;
}

/** The real server with the embedded stand-ins on a free port, once it answers /healthz. */
export async function launchServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const { child, output } = start({ PORT: String(port), STANDIN_PORTS: "auto", ...env });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, child);
  } catch (error) {
    child.kill("SIGTERM");
    throw error;
  }
  return { port, base, child, output };
}

/**
 * The real server for a whole test file: started before its first test, stopped
 * after its last. `url()` is its base URL.
 */
export function serverForFile(): { url: () => string } {
  let running: RunningServer | undefined;
  beforeAll(async () => {
    running = await launchServer();
  }, 90_000);
  afterAll(() => {
    running?.child.kill("SIGTERM");
  });
  return { url: () => running?.base ?? "" };
}
