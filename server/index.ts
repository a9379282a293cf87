/**
 * The one way to run the app (`npm start`, `npm run dev`, Playwright, benchmarks).
 * Our own entry instead of remix-serve, because the BFF needs what remix-serve
 * cannot give it: the client IP and a request id in the load context, the
 * embedded stand-ins, and a graceful drain on SIGTERM (docs/decisions/003).
 */
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import serveStatic from "serve-static";
import { getEnv } from "../app/env.server";
import { logger } from "../app/logger.server";
import { markDraining } from "../app/readiness.server";
import { closeUpstreamPools } from "../services/index.server";
import { DEMO_CUSTOMERS } from "../upstream";
import { precompressed } from "./compression";
import { answerErrors, refuseCrossSiteWrites, refuseOddHost, refusePathTricks, refuseUncarriableMethods } from "./cross-site";
import { startEmbeddedStandinsIfUnconfigured } from "./embedded";
import { chain, startExchange, type Step } from "./exchange";
import { publicAdsFastPath } from "./public-ads";
import { remixHandler } from "./remix-handler";
import { serverEntry } from "./server-entry";
import { settleUnreadBody } from "./unread-body";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildPath = path.join(root, "build", "index.js");
const DRAIN_TIMEOUT_MS = 10_000;

if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));

let standins: Awaited<ReturnType<typeof startEmbeddedStandinsIfUnconfigured>>;
let env: ReturnType<typeof getEnv>;
try {
  standins = await startEmbeddedStandinsIfUnconfigured(process.env, (message) => logger.warn(message));
  env = getEnv();
} catch (error) {
  // One clear line naming the setting, not a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

// React reads the mode from process.env: without this, `npm start`
// would render with React's development build (several times slower).
process.env.NODE_ENV = env.NODE_ENV;
const isDev = env.NODE_ENV === "development" && Boolean(process.env.REMIX_DEV_ORIGIN);

async function importBuild(): Promise<ServerBuild> {
  // A query string defeats the ESM cache, so dev rebuilds are picked up.
  const url = pathToFileURL(buildPath).href + (isDev ? `?t=${Date.now()}` : "");
  return (await import(url)) as ServerBuild;
}

let build = await importBuild();

// Fingerprinted assets never change; everything else in public/ may.
// Both serve the build-time .br/.gz beside a file when the client takes it (decision 013).
const publicDir = path.join(root, "public");
const assets = precompressed(publicDir, serveStatic(publicDir, { immutable: true, maxAge: "1y" }));
const publicFiles = precompressed(publicDir, serveStatic(publicDir, { maxAge: "1h" }));
// Files in public/ all have an extension; no page or API path does. Asking the disk
// only for those spares every page a stat() and the error it builds on a miss.
const staticFiles: Step = (exchange, next) => {
  if (!/\.[^/]+$/.test(exchange.path)) return next();
  (exchange.path.startsWith("/build/") ? assets : publicFiles)(exchange, next);
};

// No framework between Node and Remix: a few steps in order, each answers or
// passes on (docs/decisions/021).
const handle = chain(
  [
    // Odd requests get a 4xx here, never a 500 further on (docs/decisions/011).
    refuseUncarriableMethods,
    refusePathTricks,
    refuseOddHost,
    staticFiles,
    // CSRF, on top of SameSite cookies: no state change from another site, whatever
    // the route (documents, fetchers, data requests, resource routes).
    refuseCrossSiteWrites,
    remixHandler({ build: () => build, mode: isDev ? "development" : env.NODE_ENV }),
  ],
  answerErrors,
);

const adsFastPath = publicAdsFastPath({ answer: () => serverEntry(build).answerPublicAds, trustedHops: env.TRUST_PROXY });
const server = createServer((req, res) => {
  settleUnreadBody(req, res);
  // X-Forwarded-* are read by clientFacts (server/client.ts), with TRUST_PROXY hops.
  if (!adsFastPath(req, res)) handle(startExchange(req, res, env.TRUST_PROXY));
});
server.keepAliveTimeout = 65_000;

server.listen(env.PORT, () => {
  // PORT=0 lets the kernel choose (tests): the address says which port it chose.
  const address = server.address();
  const url = `http://localhost:${typeof address === "object" && address ? address.port : env.PORT}`;
  logger.info({ url, standins: Boolean(standins), nodeEnv: process.env.NODE_ENV }, "app listening");
  if (isDev) void broadcastDevReady(build);
  console.log(`\n  Northwind Bank is running at ${url}\n`);
  if (standins) {
    console.log("  Stand-in microservices: " + Object.entries(standins.urls).map(([n, u]) => `${n} ${u}`).join(", "));
    console.log("  Demo customers:");
    for (const customer of DEMO_CUSTOMERS) console.log(`    ${customer.email}  ${customer.password}  (${customer.name})`);
    console.log("");
  }
});

if (isDev) {
  const { watch } = await import("node:fs");
  watch(path.dirname(buildPath), { persistent: false }, async (_event, file) => {
    if (file !== "index.js") return;
    build = await importBuild();
    await broadcastDevReady(build);
  });
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "draining");
  markDraining();
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections go idle as their last response finishes: close them then.
  setInterval(() => server.closeIdleConnections(), 50).unref();
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), DRAIN_TIMEOUT_MS).unref());
  if ((await Promise.race([drained, timeout])) === "timeout") {
    logger.warn({ timeoutMs: DRAIN_TIMEOUT_MS }, "drain timed out; closing remaining connections");
    server.closeAllConnections();
  }
  await closeUpstreamPools();
  await standins?.close();
  logger.info("stopped");
  process.exit(0);
}

process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
