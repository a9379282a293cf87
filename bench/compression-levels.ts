import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { freePort, start } from "../server/test-server";
import { DEMO_LOGINS, signIn } from "./sign-in";
import { median } from "./stats";

/**
 * `node --import tsx bench/compression-levels.ts`: what compressing one real
 * answer costs at each level, in-process (docs/performance.md, "Compression").
 * Fetches the answers from the real server, then compresses each many times per
 * level, the levels in a different order every round; prints the median CPU µs
 * per body, every round, and the compressed size.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ITERATIONS = Number(process.env.ITERATIONS ?? 400);

const LEVELS: [string, (body: Buffer) => Buffer][] = [
  ["gzip 1", (body) => gzipSync(body, { level: 1 })],
  ["gzip 4", (body) => gzipSync(body, { level: 4 })],
  ["gzip 6", (body) => gzipSync(body, { level: 6 })],
  ["gzip 9", (body) => gzipSync(body, { level: 9 })],
  ...[1, 4, 5, 6, 11].map((quality): [string, (body: Buffer) => Buffer] => [
    `brotli ${quality}`,
    (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  ]),
];

// The real server, given a minute to answer (a loaded machine starts it slowly).
const port = await freePort();
const { child } = start({ PORT: String(port), STANDIN_PORTS: "auto" });
const server = { base: `http://127.0.0.1:${port}`, child };
try {
  for (let attempt = 0; ; attempt++) {
    const healthy = await fetch(`${server.base}/healthz`).then((response) => response.ok, () => false);
    if (healthy) break;
    if (attempt === 600 || child.exitCode !== null) throw new Error("server did not become healthy");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cookie = await signIn(server.base, DEMO_LOGINS[0]);
  const get = async (path: string, headers: Record<string, string> = {}) =>
    Buffer.from(await (await fetch(server.base + path, { headers: { cookie, "accept-encoding": "identity", ...headers } })).arrayBuffer());
  const bodies: [string, Buffer][] = [
    ["GET /dashboard (document)", await get("/dashboard")],
    ["GET /login (document, signed out)", Buffer.from(await (await fetch(`${server.base}/login`)).arrayBuffer())],
    ["GET /dashboard?_data", await get("/dashboard?_data=routes%2Fdashboard")],
    ["GET /api/transactions", await get("/api/transactions", { "x-csrf": "1" })],
  ];
  console.log(`compression per body, median of ${ROUNDS} rounds × ${ITERATIONS}, µs (every round) and bytes`);
  for (const [label, body] of bodies) {
    console.log(`\n${label}: ${body.length} bytes`);
    const perLevel = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? LEVELS : [...LEVELS].reverse();
      for (const [name, compress] of order) {
        for (let i = 0; i < 20; i++) compress(body);
        // CPU time, not wall time: on a shared machine the wait for a core is not the work.
        const start = process.cpuUsage();
        for (let i = 0; i < ITERATIONS; i++) compress(body);
        const used = process.cpuUsage(start);
        const us = (used.user + used.system) / ITERATIONS;
        perLevel.set(name, [...(perLevel.get(name) ?? []), us]);
      }
    }
    for (const [name, compress] of LEVELS) {
      const rounds = perLevel.get(name) ?? [];
      console.log(
        `  ${name.padEnd(10)} ${median(rounds).toFixed(0).padStart(5)} µs  (${rounds.map((us) => us.toFixed(0)).join(", ")})  ${compress(body).length} bytes`,
      );
    }
  }
} finally {
  server.child.kill("SIGTERM");
}
