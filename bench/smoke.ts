import { spawnSync } from "node:child_process";
import { SERVICE_NAMES } from "../upstream";
import { readConfig } from "./config";
import { buildFloor } from "./floor";
import { measure, type Target } from "./load";
import { stopAll } from "./processes";
import { DEMO_LOGINS, signIn } from "./sign-in";
import { ROOT, startStack, type Server } from "./stack";
import { apiTransactions, dashboardData, dashboardDocument, publicAds, signInPage, signInPost } from "./targets";

/**
 * `npm run bench:smoke`: does the benchmark still work? Every target for 2 s at 5
 * connections, asserting only that requests complete and answer as expected;
 * no timing is judged (this runs in CI on a shared machine). Exit 0 or 1, and
 * every server it started is gone either way.
 *
 * Free ports of its own (BENCH_*_PORT to choose), so it can run beside `npm run bench`.
 */

const DURATION_S = 2;
const CONNECTIONS = 5;

async function main(): Promise<boolean> {
  const started = performance.now();
  const { build, ports } = readConfig(process.argv.slice(2));
  if (build) {
    const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
  }
  buildFloor({ onlyIfMissing: !build });
  const stack = await startStack({
    latencyMs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, 20])),
    ports,
    cpuProfile: false,
    logPrefix: "smoke-",
  });

  const failures: string[] = [];
  try {
    const cookies = {
      app: await Promise.all(DEMO_LOGINS.map((login) => signIn(stack.appBase, login))),
      baseline: await Promise.all(DEMO_LOGINS.map((login) => signIn(stack.baselineBase, login))),
      floor: await Promise.all(DEMO_LOGINS.map((login) => signIn(stack.floorBase, login))),
    };
    const plan: { server: Server; target: Target }[] = [
      { server: "app", target: dashboardDocument(cookies.app) },
      { server: "app", target: dashboardData(cookies.app) },
      { server: "app", target: publicAds() },
      { server: "app", target: apiTransactions(cookies.app) },
      { server: "app", target: signInPost(stack.appBase) },
      { server: "app", target: signInPage() },
      { server: "baseline", target: dashboardDocument(cookies.baseline) },
      { server: "baseline", target: publicAds() },
      { server: "floor", target: dashboardDocument(cookies.floor) },
      { server: "floor", target: signInPage() },
    ];
    const bases = { app: stack.appBase, baseline: stack.baselineBase, floor: stack.floorBase };
    for (const { server, target } of plan) {
      const base = bases[server];
      const result = await measure(target, server, { base, connections: CONNECTIONS, durationS: DURATION_S, warmupS: 0 });
      const problems = [
        result.requests === 0 ? "no request completed" : "",
        result.errors + result.timeouts > 0 ? `${result.errors} errors (${result.timeouts} timeouts)` : "",
        result.unexpected > 0 ? `${result.unexpected} answers other than ${target.expectStatus}: ${JSON.stringify(result.statusCodes)}` : "",
      ].filter(Boolean);
      console.log(`  ${problems.length === 0 ? "ok  " : "FAIL"} ${server.padEnd(8)} ${target.label.padEnd(42)} ${result.requests} requests${problems.length ? `: ${problems.join("; ")}` : ""}`);
      if (problems.length > 0) failures.push(`${server} ${target.label}: ${problems.join("; ")}`);
    }
  } finally {
    await stack.stop();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    console.error(`bench:smoke failed in ${seconds} s:\n  ${failures.join("\n  ")}`);
    return false;
  }
  console.log(`bench:smoke passed in ${seconds} s`);
  return true;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  async (error: unknown) => {
    console.error(`bench:smoke: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(2_000);
    process.exit(1);
  },
);
