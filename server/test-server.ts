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

/** What each started server printed, for the error that says why it did not come up. */
const outputs = new WeakMap<ChildProcess, () => string>();

/** Why a server did not come up: its exit code if it ended, and the end of what it printed. */
function startupFailure(child: ChildProcess, what: string): Error {
  const code = child.exitCode === null ? "" : ` (code ${child.exitCode})`;
  return new Error(`${what}${code}:\n${outputs.get(child)?.().slice(-2_000) ?? ""}`);
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
  const read = () => output;
  outputs.set(child, read);
  return { child, output: read };
}

/** Waits for /healthz while the server lives: start-up takes 2 s on a quiet machine, 20 s or more on a loaded one. */
export async function waitForHealth(base: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw startupFailure(child, "server exited during start-up");
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw startupFailure(child, `server did not become healthy in ${timeoutMs} ms`);
}


export interface RunningServer {
  port: number;
  /** http://127.0.0.1:port */
  base: string;
  child: ChildProcess;
  output: () => string;
}

/**
 * The real server with the embedded stand-ins, once it answers /healthz. It binds
 * PORT=0 and says which port the kernel gave it: a port picked before the server
 * starts can be taken by any connection in the seconds before it binds (the
 * likeliest reason a CI run saw a test server exit during start-up).
 */
export async function launchServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const { child, output } = start({ PORT: "0", STANDIN_PORTS: "auto", ...env });
  try {
    const port = await listeningPort(child);
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child);
    return { port, base, child, output };
  } catch (error) {
    child.kill("SIGTERM");
    throw error;
  }
}

/** The port a server started with PORT=0 bound, from the line it prints once listening. */
export async function listeningPort(child: ChildProcess, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = /is running at http:\/\/localhost:(\d+)/.exec(outputs.get(child)?.() ?? "");
    if (found?.[1]) return Number(found[1]);
    if (child.exitCode !== null) throw startupFailure(child, "server exited during start-up");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw startupFailure(child, `server did not say where it listens within ${timeoutMs} ms`);
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
