import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { DEMO_LOGINS, signIn } from "../bench/sign-in";
import { median } from "../bench/stats";
import { launchServer, start, waitForHealth, type RunningServer } from "../server/test-server";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/support/chromium";
import { MAX_PAGE_BYTES, PHONE_PAGES } from "../tests/support/phone-pages";

/**
 * `npm run audit`: Lighthouse 12 (mobile preset, its default: a mid-range phone
 * on a slow 4G link, simulated) with Debian's Chromium, 3 runs per page, the
 * median of each figure, against the production build. Prints a table and exits
 * non-zero when a page misses a target (docs/performance.md, "Pages on a phone").
 *
 * By default it starts the app itself (the build `npm run audit` just made, with
 * the embedded stand-ins, on a free port, or AUDIT_PORT); AUDIT_URL points it at
 * an app already running instead. Customer pages are audited signed in as Ada,
 * signed in afresh before every run the way a browser without JavaScript does (a
 * form POST with a same-origin Origin), the cookie handed to Lighthouse as a
 * header; `/` and `/login` as a visitor (a signed-in visitor of /login is sent
 * on to the dashboard).
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const CHROMIUM = process.env.AUDIT_CHROME ?? CHROMIUM_PATH;
const RUNS = Number(process.env.AUDIT_RUNS ?? 3);
const TARGETS = { performance: 95, accessibility: 100, bestPractices: 100, seo: 100, maxBytes: MAX_PAGE_BYTES };

// The flags every browser of this project runs with, headless.
const CHROME_FLAGS = ["--headless=new", ...CHROMIUM_ARGS];

interface RunFigures {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  fcpMs: number;
  lcpMs: number;
  bytes: number;
  /** Lighthouse's measure of this machine's speed at the time (higher is faster; a quiet desktop is about 1,000-2,000). */
  benchmarkIndex: number;
  /** Audits of the four categories that did not pass, for whoever has to fix them. */
  failing: string[];
}

interface PageResult {
  path: string;
  runs: RunFigures[];
  median: Omit<RunFigures, "failing" | "benchmarkIndex">;
  misses: string[];
}

async function audit(url: string, port: number, cookie: string | undefined): Promise<RunFigures> {
  const result = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    extraHeaders: cookie ? { Cookie: cookie } : undefined,
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const finalUrl = lhr.finalDisplayedUrl;
  if (new URL(finalUrl).pathname !== new URL(url).pathname) throw new Error(`${url} ended at ${finalUrl}: not signed in?`);
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const failing = Object.values(lhr.categories).flatMap((category) =>
    category.auditRefs
      .filter((ref) => ref.weight > 0)
      .map((ref) => lhr.audits[ref.id])
      .filter((entry) => entry !== undefined && entry.score !== null && entry.score < 1)
      .map((entry) => `${category.id}: ${entry?.id} (${entry?.score}${entry?.displayValue ? `, ${entry.displayValue}` : ""})`),
  );
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    seo: score("seo"),
    fcpMs: numeric("first-contentful-paint"),
    lcpMs: numeric("largest-contentful-paint"),
    bytes: numeric("total-byte-weight"),
    benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
    failing,
  };
}

function medianOf(runs: RunFigures[]): PageResult["median"] {
  const of = (key: keyof PageResult["median"]) => median(runs.map((run) => run[key]));
  return {
    performance: of("performance"),
    accessibility: of("accessibility"),
    bestPractices: of("bestPractices"),
    seo: of("seo"),
    fcpMs: of("fcpMs"),
    lcpMs: of("lcpMs"),
    bytes: of("bytes"),
  };
}

function missesOf(figures: PageResult["median"]): string[] {
  const misses: string[] = [];
  if (figures.performance < TARGETS.performance) misses.push(`performance ${figures.performance} < ${TARGETS.performance}`);
  if (figures.accessibility < TARGETS.accessibility) misses.push(`accessibility ${figures.accessibility} < ${TARGETS.accessibility}`);
  if (figures.bestPractices < TARGETS.bestPractices) misses.push(`best practices ${figures.bestPractices} < ${TARGETS.bestPractices}`);
  if (figures.seo < TARGETS.seo) misses.push(`SEO ${figures.seo} < ${TARGETS.seo}`);
  if (figures.bytes > TARGETS.maxBytes) misses.push(`${figures.bytes} bytes > ${TARGETS.maxBytes}`);
  return misses;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function table(results: PageResult[]): string {
  const rows = results.map(({ path: page, median: m, misses }) =>
    `| \`${page}\` | ${m.performance} | ${m.accessibility} | ${m.bestPractices} | ${m.seo} | ${seconds(m.fcpMs)} | ${seconds(m.lcpMs)} | ${kib(m.bytes)} | ${misses.length === 0 ? "met" : "MISSED"} |`,
  );
  return [
    "| page | performance | accessibility | best practices | SEO | FCP | LCP | bytes sent | targets |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The app on a given port (and STANDIN_PORTS, default free ones), as launchServer starts it on a free one. */
async function onPort(port: number): Promise<RunningServer> {
  const { child, output } = start({ PORT: String(port), STANDIN_PORTS: process.env.STANDIN_PORTS ?? "auto" });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(base, child);
  } catch (error) {
    child.kill("SIGTERM");
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output()}`);
  }
  return { port, base, child, output };
}

async function main(): Promise<number> {
  let server: RunningServer | undefined;
  let base = process.env.AUDIT_URL?.replace(/\/$/, "");
  if (!base) {
    const port = process.env.AUDIT_PORT;
    console.log("audit: starting the app (production build, embedded stand-ins)");
    server = port ? await onPort(Number(port)) : await launchServer();
    base = `http://localhost:${server.port}`;
  }
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
  const results: PageResult[] = [];
  try {
    // Lighthouse simulates a slow phone from what it observes: on a busy machine every task looks longer.
    console.log(`audit: ${base}, Lighthouse mobile preset, ${RUNS} runs per page; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores`);
    for (const page of PHONE_PAGES) {
      const runs: RunFigures[] = [];
      for (let run = 0; run < RUNS; run++) {
        // A fresh sign-in per run: a cookie replayed for minutes would outlive its access token's refresh.
        const cookie = page.signedIn ? await signIn(base, DEMO_LOGINS[0]) : undefined;
        const figures = await audit(`${base}${page.path}`, chrome.port, cookie);
        runs.push(figures);
        console.log(
          `  ${page.path.padEnd(14)} run ${run + 1}: perf ${figures.performance} a11y ${figures.accessibility} bp ${figures.bestPractices} seo ${figures.seo} ` +
            `FCP ${seconds(figures.fcpMs)} LCP ${seconds(figures.lcpMs)} ${kib(figures.bytes)} (benchmark index ${figures.benchmarkIndex}, load ${os.loadavg()[0]?.toFixed(1)})`,
        );
      }
      const figures = medianOf(runs);
      results.push({ path: page.path, runs, median: figures, misses: missesOf(figures) });
    }
  } finally {
    chrome.kill();
    server?.child.kill("SIGTERM");
  }

  console.log(`\n${table(results)}\n`);
  const failing = new Set(results.flatMap((result) => result.runs.flatMap((run) => run.failing.map((line) => `${result.path} ${line}`))));
  if (failing.size > 0) console.log(`audits not passed in some run:\n${[...failing].map((line) => `  ${line}`).join("\n")}\n`);
  const dir = path.join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `audit-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ kind: "audit", base, runsPerPage: RUNS, targets: TARGETS, loadAvgEnd: os.loadavg(), results }, null, 2));
  console.log(`audit: results in ${path.relative(ROOT, file)}`);
  const missed = results.filter((result) => result.misses.length > 0);
  for (const result of missed) console.error(`audit: ${result.path} missed: ${result.misses.join(", ")}`);
  return missed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
