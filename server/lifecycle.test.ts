import { once } from "node:events";
import { launchServer, start } from "./test-server";

/**
 * The server entry as `npm start` runs it (against the production build, which
 * `npm test` makes before vitest): start-up, configuration errors, drain on SIGTERM.
 */
describe("the server entry", () => {
  it("finishes an in-flight request on SIGTERM, then exits 0 and frees the stand-ins' ports", async () => {
    const { child, output, base } = await launchServer({ STANDIN_LATENCY_MS: "users:600" });
    try {
      expect(output()).toContain("Demo customers");
      const users = /users (http:\/\/\S+?),/.exec(output())?.[1];
      expect(users).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
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
      await expect(fetch(`${users}/health`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 30_000);

  it("stops at start with one line naming a bad setting", async () => {
    const { child, output } = start({ PORT: "0", SESSION_IDLE_TIMEOUT_S: "soon", STANDIN_PORTS: "auto" });
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    // The one line, and no stack trace.
    expect(output().trim().split("\n").at(-1)).toBe(
      "Invalid configuration: SESSION_IDLE_TIMEOUT_S must be a whole number of seconds",
    );
    expect(output()).not.toMatch(/\n\s+at /);
  }, 30_000);

  it("refuses a partial set of service URLs", async () => {
    const { child, output } = start({ PORT: "0", AUTH_SERVICE_URL: "http://127.0.0.1:1" });
    const [code] = await once(child, "exit");
    expect(code).toBe(1);
    expect(output()).toContain("USERS_SERVICE_URL is required when AUTH_SERVICE_URL is set");
  }, 30_000);
});

describe("the production mode", () => {
  it("sets NODE_ENV for React before the build loads, even when it is not given", async () => {
    const { child, output } = await launchServer({ NODE_ENV: "", LOG_LEVEL: "info" });
    try {
      const listening = output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { msg?: string; nodeEnv?: string })
        .find((line) => line.msg === "app listening");
      expect(listening?.nodeEnv).toBe("production");
    } finally {
      child.kill("SIGTERM");
    }
  }, 30_000);
});
