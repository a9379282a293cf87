/**
 * `npm run bench:cluster`: the signed-in dashboard through nginx with one app
 * instance, then with two, same run, same machine. Prints req/s, latency and the
 * ratio; saves bench/results/cluster-latest.json. Not a timed test: on a 2-core
 * machine nginx, Redis, the stand-ins and the load generator share the cores too,
 * so the ratio says how much a second process helps here, not a scaling law.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runLoad } from "./load";
import { startCluster } from "../scripts/cluster";

const seconds = Number(process.env.BENCH_DURATION_S ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const latency = Number(process.env.BENCH_LATENCY_MS ?? 20);

interface Row {
  instances: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

async function measure(instances: number): Promise<Row> {
  const cluster = await startCluster({
    instances,
    httpPort: 18180,
    httpsPort: 18543,
    appBasePort: 13301,
    redisPort: 16490,
    sessionStore: "redis",
    env: { LOG_LEVEL: "warn" },
  });
  try {
    cluster.standins.configure({ latencyMs: { users: latency, payments: latency, transactions: latency, ads: latency } });
    const signIn = await fetch(`${cluster.httpUrl}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: cluster.httpUrl },
      body: new URLSearchParams({ email: "ada@example.com", password: "Analytical-Engine-1843" }),
    });
    const cookie = signIn.headers.get("set-cookie")?.split(";")[0] ?? "";
    if (!cookie) throw new Error("could not sign in through the cluster");
    const target = { url: `${cluster.httpUrl}/dashboard`, headers: { cookie }, connections };
    await runLoad({ ...target, duration: 2 });
    const result = await runLoad({ ...target, duration: seconds });
    return {
      instances,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    };
  } finally {
    await cluster.stop();
  }
}

const one = await measure(1);
const two = await measure(2);
const ratio = Math.round((two.requestsPerSecond / Math.max(one.requestsPerSecond, 1)) * 100) / 100;
console.log(`\nSigned-in /dashboard through nginx, ${connections} connections, ${seconds} s, ${latency} ms upstream latency\n`);
console.log("instances  req/s    p50 ms  p99 ms  errors  non-2xx");
for (const row of [one, two]) {
  console.log(
    `${String(row.instances).padEnd(10)} ${String(row.requestsPerSecond).padEnd(8)} ${String(row.p50Ms).padEnd(7)} ${String(row.p99Ms).padEnd(7)} ${String(row.errors).padEnd(7)} ${row.non2xx}`,
  );
}
console.log(`\n2 instances / 1 instance: ${ratio}×\n`);
const results = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(results, { recursive: true });
writeFileSync(
  path.join(results, "cluster-latest.json"),
  JSON.stringify({ at: new Date().toISOString(), seconds, connections, latencyMs: latency, rows: [one, two], ratio }, null, 2) + "\n",
);
