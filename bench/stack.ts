import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { PerService, ServiceName } from "../upstream";
import { STANDIN_DEFAULTS } from "../upstream";
import { SERVER_ARGS } from "../server/node-flags";
import type { Port } from "./config";
import { startFloor } from "./floor";
import { spawnServer, stopAll, waitUntilHealthy, type ChildServer } from "./processes";
import { startBenchStandins, type BenchStandins } from "./standins";

/**
 * What a benchmark runs against: the stand-ins (one child), the app through its
 * real server entry (one child), the hand-written baseline (one child), each in
 * its own process group, all pointed at the same stand-ins, and the Remix floor
 * (bench/floor.ts), which calls nothing.
 */

export const ROOT = path.resolve(import.meta.dirname, "..");
export const RESULTS_DIR = path.join(ROOT, "bench", "results");
export const PROFILE_DIR = path.join(RESULTS_DIR, "profiles");
/** Each profiled server writes into its own folder: bench/results/profiles/app, …/floor. */
export const profileDir = (server: Server) => path.join(PROFILE_DIR, server);

/** The servers a benchmark measures. */
export type Server = "app" | "baseline" | "floor";

export interface StackOptions {
  latencyMs: PerService;
  ports: { app: Port; baseline: Port; floor: Port; standins: Port };
  /** Runs the app and the floor with --cpu-prof; the profiles are written when they stop. */
  cpuProfile: boolean;
  /** Log files get this prefix, so a smoke run does not overwrite a bench run's logs. */
  logPrefix: string;
}

export interface Stack {
  standins: BenchStandins;
  /** The app process now running (restartApp replaces it). */
  readonly app: ChildServer;
  baseline: ChildServer;
  floor: ChildServer;
  appBase: string;
  baselineBase: string;
  floorBase: string;
  /** Its stdout and stderr. */
  readonly appLog: string;
  /** A fresh app process on the same port and settings, with extra Node flags (e.g. --trace-gc for the soak). */
  restartApp(nodeFlags: string[], logName: string): Promise<void>;
  stop(): Promise<void>;
}

const SERVICE_URL_ENV: Record<ServiceName, string> = {
  auth: "AUTH_SERVICE_URL",
  users: "USERS_SERVICE_URL",
  payments: "PAYMENTS_SERVICE_URL",
  transactions: "TRANSACTIONS_SERVICE_URL",
  ads: "ADS_SERVICE_URL",
};

/**
 * A port given is checked (a clear message when someone else already listens
 * there; nothing is ever killed); "auto" asks the kernel for a free one.
 */
export async function freePort(port: Port, setting: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () => reject(new Error(`port ${port} is in use; choose another with ${setting}`)));
    probe.listen(port === "auto" ? 0 : port, "127.0.0.1", () => {
      const address = probe.address();
      const found = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(found));
    });
  });
}

function serverEnv(urls: Record<ServiceName, string>, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    PORT: String(port),
    LOG_LEVEL: "warn",
    AUTH_CLIENT_ID: STANDIN_DEFAULTS.clientId,
    AUTH_CLIENT_SECRET: STANDIN_DEFAULTS.clientSecret,
    ADS_API_KEY: STANDIN_DEFAULTS.adsApiKey,
    ADS_ALLOWED_ORIGINS: "*",
    SESSION_SECRET: randomBytes(32).toString("hex"),
    // One client IP sends all the load: a per-IP ads limit would measure 429s.
    ADS_RATE_LIMIT_PER_MIN: "1000000000",
  };
  for (const [service, variable] of Object.entries(SERVICE_URL_ENV)) env[variable] = urls[service as ServiceName];
  return env;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const ports = {
    app: await freePort(options.ports.app, "BENCH_APP_PORT"),
    baseline: await freePort(options.ports.baseline, "BENCH_BASELINE_PORT"),
    floor: await freePort(options.ports.floor, "BENCH_FLOOR_PORT"),
  };
  const log = (name: string) => path.join(RESULTS_DIR, `${options.logPrefix}${name}.log`);

  try {
    const standins = await startBenchStandins({
      root: ROOT,
      logFile: log("standins"),
      latencyMs: options.latencyMs,
      ports: options.ports.standins,
    });

    const profileFlags = (server: Server) => {
      if (!options.cpuProfile) return [];
      mkdirSync(profileDir(server), { recursive: true });
      return ["--cpu-prof", `--cpu-prof-dir=${profileDir(server)}`];
    };
    const appEnv = serverEnv(standins.urls, ports.app);
    const appBase = `http://127.0.0.1:${ports.app}`;
    const baselineBase = `http://127.0.0.1:${ports.baseline}`;
    const floorBase = `http://127.0.0.1:${ports.floor}`;
    // The real server entry, as `npm run start:prod` runs it.
    const startApp = (nodeFlags: string[], logFile: string) =>
      spawnServer("app", process.execPath, [...nodeFlags, ...SERVER_ARGS], { cwd: ROOT, env: appEnv, logFile });

    let appLog = log("app");
    let app = startApp(profileFlags("app"), appLog);
    const baseline = spawnServer("baseline", process.execPath, [...profileFlags("baseline"), "--import", "tsx", "bench/baseline.ts"], {
      cwd: ROOT,
      env: serverEnv(standins.urls, ports.baseline),
      logFile: log("baseline"),
    });
    const floor = startFloor({ port: ports.floor, sessionSecret: randomBytes(32).toString("hex"), nodeFlags: profileFlags("floor"), logFile: log("floor") });
    await Promise.all([
      waitUntilHealthy(app, `${appBase}/healthz`),
      waitUntilHealthy(baseline, `${baselineBase}/healthz`),
      waitUntilHealthy(floor, `${floorBase}/healthz`),
    ]);

    return {
      standins,
      get app() {
        return app;
      },
      baseline,
      floor,
      appBase,
      baselineBase,
      floorBase,
      get appLog() {
        return appLog;
      },
      async restartApp(nodeFlags, logName) {
        await app.stop();
        appLog = log(logName);
        app = startApp([...profileFlags("app"), ...nodeFlags], appLog);
        await waitUntilHealthy(app, `${appBase}/healthz`);
      },
      async stop() {
        // The servers first (the app writes its CPU profile as it exits), then what they call.
        await Promise.all([app.stop(), baseline.stop(), floor.stop()]);
        await standins.server.stop();
      },
    };
  } catch (error) {
    await stopAll(2_000);
    throw error;
  }
}
