import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";

/**
 * The server entry as `npm start` runs it (against the production build, which
 * `npm test` makes before vitest): start-up, configuration errors, drain on SIGTERM.
 */
const root = path.resolve(import.meta.dirname, "..");

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  return { child, output: () => output };
}

async function waitForHealth(base: string, child: ChildProcess) {
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

describe("the server entry", () => {
  it("finishes an in-flight request on SIGTERM, then exits 0 and frees the stand-ins' ports", async () => {
    const port = await freePort();
    const standinPort = 20_000 + Math.floor(Math.random() * 20_000);
    const { child, output } = start({
      PORT: String(port),
      STANDIN_PORTS: String(standinPort),
      STANDIN_LATENCY_MS: "users:600",
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(base, child);
      expect(output()).toContain("Demo customers");
      expect(output()).toContain("ada@example.com");

      // /readyz waits for the slow Users stand-in (600 ms, within its 1 s check).
      const inFlight = fetch(`${base}/readyz`);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const response = await inFlight;
      expect(response.status).toBe(200);
      const [code] = await exited;
      expect(code).toBe(0);
      await expect(fetch(`http://127.0.0.1:${standinPort + 1}/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 30_000);

  it("stops at start with one line naming a bad setting", async () => {
    const { child, output } = start({ PORT: String(await freePort()), SESSION_IDLE_TIMEOUT_S: "soon", STANDIN_PORTS: "auto" });
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    // The one line, and no stack trace.
    expect(output().trim().split("\n").at(-1)).toBe(
      "Invalid configuration: SESSION_IDLE_TIMEOUT_S must be a whole number of seconds",
    );
    expect(output()).not.toMatch(/\n\s+at /);
  }, 30_000);

  it("refuses a partial set of service URLs", async () => {
    const { child, output } = start({ PORT: String(await freePort()), AUTH_SERVICE_URL: "http://127.0.0.1:1" });
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    expect(output()).toContain("USERS_SERVICE_URL is required when AUTH_SERVICE_URL is set");
  }, 30_000);
});
