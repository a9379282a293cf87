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

export async function waitForHealth(base: string, child: ChildProcess) {
  for (let attempt = 0; attempt < 150; attempt++) {
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


/**
 * The real server (embedded stand-ins, production mode) for a whole test file:
 * started before its first test, stopped after its last. `url()` is its base URL.
 */
export function serverForFile(): { url: () => string } {
  let base = "";
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    const port = await freePort();
    ({ child } = start({ PORT: String(port), STANDIN_PORTS: "auto", NODE_ENV: "production" }));
    base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child);
  }, 30_000);
  afterAll(() => {
    child?.kill("SIGTERM");
  });
  return { url: () => base };
}
