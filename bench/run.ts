import { spawnSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SERVICE_NAMES, type PerService } from "../upstream";
import { renderChart } from "./chart";
import { readConfig, type BenchConfig } from "./config";
import { buildFloor } from "./floor";
import { DOC_FILE, latestBlock, updateDocs } from "./docs";
import { majorCollections } from "./gc-trace";
import { measure, type LoadSettings, type Target } from "./load";
import { formatPhases, monotonicUs, phaseSplit } from "./profile-phases";
import { formatSummary, newestProfile, readProfile, summarise, type LoadedProfile, type ProfileWindow } from "./profile-summary";
import { checks, ratios, saveReport, textChecks, textTable, type BenchReport, type Run, type SoakResult } from "./report";
import { sampleRss } from "./rss";
import { DEMO_LOGINS, signIn } from "./sign-in";
import { profileDir, RESULTS_DIR, ROOT, startStack, type Server, type Stack } from "./stack";
import { median, round } from "./stats";
import { apiTransactions, bareRequest, dashboardData, dashboardDocument, profileDocument, publicAds, signInPage, signInPost } from "./targets";

/**
 * `npm run bench`: the app against a hand-written baseline (both against the same
 * stand-ins) and against the Remix floor (a bare Remix app, bench/floor.ts), one
 * target at a time. See docs/performance.md for what is measured and why;
 * settings are BENCH_* variables and --soak / --profile / --only=… (e.g.
 * --only=documents) / --label=….
 */

// Long enough for V8 to size its old generation for this load. Soaks of the app on
// 2026-12-05 (--trace-gc): the live heap after full GCs climbs to 92–97 MB over the
// first minute or two of this workload, then stays there (four minutes in a 300 s soak).
const SOAK_WARMUP_S = 120;
/** A session cookie is re-written once it is a minute old; a fresh sign-in per run keeps every run on the same path. */
const SOAK_SEGMENT_S = 30;

function uniform(ms: number): PerService {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, ms]));
}

function build(): void {
  console.log("bench: npm run build");
  const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
}

class Bench {
  readonly runs: Run[] = [];
  /** When each run of `run()` measured, for the profiles' split by scenario (--profile). */
  readonly windows: (ProfileWindow & { server: Server; scenario: string })[] = [];
  private upstreamLatency: string;
  private slowService: "off" | "on" = "off";

  constructor(
    private readonly stack: Stack,
    private readonly config: BenchConfig,
  ) {
    this.upstreamLatency = String(config.latencyMs);
  }

  wants(...keys: string[]): boolean {
    return !this.config.only || keys.some((key) => this.config.only?.includes(key));
  }

  base(server: Server): string {
    return { app: this.stack.appBase, baseline: this.stack.baselineBase, floor: this.stack.floorBase }[server];
  }

  settings(server: Server, connections = this.config.connections): LoadSettings {
    return {
      base: this.base(server),
      connections,
      durationS: this.config.durationS,
      warmupS: this.config.warmupS,
      pid: this.stack[server].pid,
      acceptEncoding: this.config.acceptEncoding,
    };
  }

  /** Fresh sessions for every run: see SOAK_SEGMENT_S. */
  cookies(server: Server): Promise<string[]> {
    return Promise.all(DEMO_LOGINS.map((login) => signIn(this.base(server), login)));
  }

  record(scenario: string, result: Awaited<ReturnType<typeof measure>>): Run {
    const run: Run = { ...result, scenario, upstreamLatency: this.upstreamLatency };
    this.runs.push(run);
    const bad = run.errors + run.timeouts + run.unexpected;
    console.log(
      `  ${scenario.padEnd(9)} ${run.server.padEnd(8)} ${run.label.padEnd(42)} ${String(run.connections).padStart(3)}c ` +
        `${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.latencyMs.p50.toFixed(1).padStart(6)} ms  p99 ${run.latencyMs.p99.toFixed(1).padStart(7)} ms` +
        `  ${bad === 0 ? "ok" : `${bad} BAD ${JSON.stringify(run.statusCodes)}`}  CPU ${run.cpu?.msPerRequest ?? "–"} ms/req (${run.cpu?.corePct ?? "–"} %)  RSS ${run.rssMb?.peak ?? "–"} MB`,
    );
    return run;
  }

  async run(scenario: string, server: Server, target: (cookies: string[]) => Target, connections?: number): Promise<Run> {
    const cookies = await this.cookies(server);
    const fromUs = monotonicUs();
    const result = await measure(target(cookies), server, this.settings(server, connections));
    this.windows.push({ server, scenario, fromUs, toUs: monotonicUs() });
    return this.record(scenario, result);
  }

  /**
   * The app and the servers it is compared with back to back, `rounds` times, the
   * order reversed every other round: drift in the machine's load (other
   * processes, the VM's neighbours) hits all alike, and each ratio is the median
   * of the rounds' ratios (report.ts), not one pair's.
   */
  async rounds(target: (cookies: string[]) => Target, servers: readonly Server[]): Promise<void> {
    for (let round = 0; round < this.config.rounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) await this.run("main", server, target);
    }
  }

  /** A partial run warms only what it measures: a profile then shows those requests alone (docs/performance.md, "Profiles by phase"). */
  async warmUp(): Promise<void> {
    if (this.config.warmupS === 0) return;
    const appCookies = await this.cookies("app");
    const baselineCookies = await this.cookies("baseline");
    const floorCookies = await this.cookies("floor");
    const plan: { server: Server; target: Target }[] = [
      { server: "app", target: dashboardDocument(appCookies) },
      { server: "app", target: dashboardData(appCookies) },
      { server: "app", target: publicAds() },
      { server: "app", target: apiTransactions(appCookies) },
      { server: "app", target: profileDocument(appCookies) },
      { server: "app", target: signInPage() },
      { server: "baseline", target: dashboardDocument(baselineCookies) },
      { server: "baseline", target: publicAds() },
      { server: "floor", target: dashboardDocument(floorCookies) },
      { server: "floor", target: signInPage() },
    ];
    for (const { server, target } of plan) {
      if (!this.wants(target.id)) continue;
      await measure(target, server, { warmupS: 0, durationS: this.config.warmupS, base: this.base(server), connections: this.config.connections });
    }
  }

  /** "slow" → "slow:off" or "slow:on", after the latency now in force. */
  scenario(name: string): string {
    return `${name}:${this.slowService}`;
  }

  async setLatency(latencyMs: PerService, description: string, slowService: "off" | "on"): Promise<void> {
    await this.stack.standins.setLatency(latencyMs);
    this.upstreamLatency = description;
    this.slowService = slowService;
  }

  /** /profile measured while dashboards (which do call transactions) load the same app. */
  async mixed(scenario: string): Promise<void> {
    const half = Math.max(1, Math.floor(this.config.connections / 2));
    const [profileCookies, dashboardCookies] = await Promise.all([this.cookies("app"), this.cookies("app")]);
    const settings = this.settings("app", half);
    const background = measure(dashboardDocument(dashboardCookies), "app", {
      ...settings,
      pid: undefined,
      // Starts first and ends last, so the measured window is loaded throughout.
      warmupS: 0,
      durationS: this.config.warmupS + this.config.durationS + 1,
    });
    const foreground = await measure(profileDocument(profileCookies), "app", settings);
    // The process also served the background dashboards: its CPU per /profile request means nothing here.
    this.record(scenario, { ...foreground, cpu: null });
    this.record(`${scenario}:bg`, await background);
  }

  async soak(): Promise<SoakResult> {
    const { connections, soakS } = this.config;
    console.log(`\nbench: soak, a fresh app with --trace-gc, ${SOAK_WARMUP_S} s warm-up then ${soakS} s of GET /dashboard at ${connections} connections`);
    // A fresh process: the soak sees one workload from start to end, and --trace-gc
    // (which costs a little) stays out of every other run.
    await this.stack.restartApp(["--trace-gc"], "app-soak");
    const pid = this.stack.app.pid;
    // The warm-up is the soak's own workload, fresh sign-ins every segment included: the
    // first sign-ins after start grow the live heap by a one-time ~20 MB step.
    for (let left = SOAK_WARMUP_S; left > 0; left -= SOAK_SEGMENT_S) {
      const durationS = Math.min(SOAK_SEGMENT_S, left);
      await measure(dashboardDocument(await this.cookies("app")), "app", { ...this.settings("app"), warmupS: 0, durationS, pid: undefined });
    }

    const logOffset = statSync(this.stack.appLog).size;
    const sampler = sampleRss(pid, 1_000);
    const segments: Run[] = [];
    for (let left = soakS; left > 0; left -= SOAK_SEGMENT_S) {
      const durationS = Math.min(SOAK_SEGMENT_S, left);
      const result = await measure(dashboardDocument(await this.cookies("app")), "app", { ...this.settings("app"), warmupS: 0, durationS, pid });
      segments.push(this.record("soak", result));
    }
    const samples = sampler.stop().map((sample) => ({ t: round(sample.t, 1), mb: round(sample.bytes / 1024 / 1024, 1) }));
    const collections = majorCollections(readFileSync(this.stack.appLog, "utf8").slice(logOffset));

    // Medians over a sixth of the soak (at least 5 s) at each end: one GC cycle must not decide the verdict.
    const windowS = Math.max(5, soakS / 6);
    const end = samples[samples.length - 1]?.t ?? 0;
    const startMb = round(median(samples.filter((sample) => sample.t <= windowS).map((sample) => sample.mb)), 1);
    const endMb = round(median(samples.filter((sample) => sample.t >= end - windowS).map((sample) => sample.mb)), 1);
    const heap = collections.map((gc) => gc.afterMb);
    const third = Math.max(1, Math.floor(heap.length / 3));
    const heapStart = median(heap.slice(0, third));
    const heapEnd = median(heap.slice(-third));
    const requests = segments.reduce((sum, run) => sum + run.requests, 0);
    const seconds = segments.reduce((sum, run) => sum + run.durationS, 0);
    return {
      warmupS: SOAK_WARMUP_S,
      durationS: soakS,
      samples,
      startMb,
      endMb,
      peakMb: Math.max(...samples.map((sample) => sample.mb)),
      growthPct: round(((endMb - startMb) / startMb) * 100, 1),
      heapAfterMajorGc:
        heap.length === 0
          ? null
          : { count: heap.length, startMb: round(heapStart, 1), endMb: round(heapEnd, 1), growthPct: round(((heapEnd - heapStart) / heapStart) * 100, 1) },
      rps: round(requests / seconds, 1),
      // Worst segment: the soak's verdict is about memory, its latency only has to stay sane.
      p50: Math.max(...segments.map((run) => run.latencyMs.p50)),
      p99: Math.max(...segments.map((run) => run.latencyMs.p99)),
      errors: segments.reduce((sum, run) => sum + run.errors + run.timeouts + run.unexpected, 0),
    };
  }
}

async function measureAll(bench: Bench, config: BenchConfig): Promise<SoakResult | null> {
  const { latencyMs, slowLatencyMs, overheadConnections } = config;
  // JIT, pools and V8's heap sizing settle over the first thousand requests or so: warm
  // every path once before anything is measured, so the first target is not the cold one.
  console.log(`\nbench: warming up both servers (${config.warmupS} s per target)`);
  await bench.warmUp();

  console.log(`\nbench: main runs, ${config.connections} connections, ${latencyMs} ms per upstream call`);
  if (bench.wants("dashboard-document", "main")) await bench.rounds(dashboardDocument, ["app", "baseline", "floor"]);
  if (bench.wants("sign-in-page", "main")) await bench.rounds(signInPage, ["app", "floor"]);
  if (bench.wants("ads", "main")) await bench.rounds(publicAds, ["app", "baseline"]);
  if (bench.wants("dashboard-data", "main")) await bench.run("main", "app", dashboardData);
  if (bench.wants("api-transactions", "main")) await bench.run("main", "app", apiTransactions);
  if (bench.wants("sign-in", "main")) await bench.run("main", "app", () => signInPost(bench.base("app")));

  if (bench.wants("dashboard-document", "overhead")) {
    console.log(`\nbench: overhead, ${overheadConnections} connection(s)`);
    for (const server of ["app", "baseline", "floor"] as const) await bench.run("overhead", server, dashboardDocument, overheadConnections);
    await bench.run("overhead", "baseline", bareRequest, overheadConnections);
  }

  if (bench.wants("slow", "mixed")) {
    const slow = { ...uniform(latencyMs), transactions: slowLatencyMs };
    const normal = uniform(latencyMs);
    console.log(`\nbench: isolation, transactions at ${latencyMs} ms vs ${slowLatencyMs} ms, back to back per target`);
    // Alone at the low concurrency, where latency is the request's own path and not a
    // CPU queue; then /profile beside dashboards that do wait for transactions.
    const measurements: (() => Promise<unknown>)[] = [
      () => bench.run(bench.scenario("slow"), "app", profileDocument, overheadConnections),
      () => bench.run(bench.scenario("slow"), "app", publicAds, overheadConnections),
      () => bench.mixed(bench.scenario("mixed")),
    ];
    try {
      for (const measureOnce of measurements) {
        await bench.setLatency(normal, String(latencyMs), "off");
        await measureOnce();
        await bench.setLatency(slow, `${latencyMs}, transactions:${slowLatencyMs}`, "on");
        await measureOnce();
      }
    } finally {
      await bench.setLatency(normal, String(latencyMs), "off");
    }
  }

  return config.soakS > 0 && bench.wants("soak") ? bench.soak() : null;
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const config = readConfig(process.argv.slice(2));
  const loadAvgStart = os.loadavg();
  console.log(`bench: load average ${loadAvgStart.map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores` +
    (loadAvgStart[0] !== undefined && loadAvgStart[0] > os.cpus().length ? " (the machine is busy: expect noisy numbers)" : ""));
  if (config.build) build();
  // The floor is small (about a second): built whenever the app is, and always on a clean checkout.
  buildFloor({ onlyIfMissing: !config.build });

  const stack = await startStack({
    latencyMs: uniform(config.latencyMs),
    ports: config.ports,
    cpuProfile: config.profile,
    logPrefix: "",
  });
  const bench = new Bench(stack, config);
  let soak: SoakResult | null = null;
  try {
    soak = await measureAll(bench, config);
  } finally {
    await stack.stop();
  }

  let profile: BenchReport["profile"] = null;
  if (config.profile) {
    profile = {};
    const files: { server: Server; loaded: LoadedProfile }[] = [];
    for (const server of ["app", "floor", "baseline"] as const) {
      const file = newestProfile(profileDir(server), startedAt.getTime());
      if (!file) {
        console.error(`bench: --profile given but the ${server} wrote no .cpuprofile`);
        continue;
      }
      const loaded = readProfile(file);
      const summary = summarise(loaded, 30);
      console.log(`\n${server}: ${formatSummary(summary)}`);
      profile[server] = summary;
      files.push({ server, loaded });
    }
    // One table per scenario (the main runs at BENCH_CONNECTIONS, the overhead runs at one
    // connection): each from the samples taken while its runs measured, and as ms per
    // request with those runs' median CPU per request. With --only=<one target>, a
    // scenario's windows hold that target's requests alone.
    for (const scenario of ["main", "overhead"]) {
      const splits: Parameters<typeof formatPhases>[0] = [];
      for (const { server, loaded } of files) {
        const windows = bench.windows.filter((window) => window.server === server && window.scenario === scenario);
        if (windows.length === 0) continue;
        const cpu = bench.runs.filter((run) => run.server === server && run.scenario === scenario && run.cpu).map((run) => run.cpu?.msPerRequest ?? 0);
        splits.push({ name: server, split: phaseSplit(loaded, windows), cpuMsPerRequest: cpu.length > 0 ? median(cpu) : undefined });
      }
      if (splits.length > 0) {
        console.log(`\nCPU by phase, ${scenario} runs (shares of the busy time while they measured; ms/req = share × their median CPU per request):\n${formatPhases(splits)}`);
      }
    }
  }

  const partial = config.only !== undefined || config.profile;
  const settings: BenchReport["settings"] = {
    latencyMs: config.latencyMs,
    slowLatencyMs: config.slowLatencyMs,
    durationS: config.durationS,
    warmupS: config.warmupS,
    rounds: config.rounds,
    connections: config.connections,
    overheadConnections: config.overheadConnections,
    soakS: config.soakS,
    cpuProfile: config.profile,
  };
  const finishedAt = new Date();
  const report: BenchReport = {
    kind: "bench",
    label: config.label,
    partial,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    wallS: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAvgStart: loadAvgStart.map((l) => round(l, 2)),
      loadAvgEnd: os.loadavg().map((l) => round(l, 2)),
    },
    settings,
    runs: bench.runs,
    ratios: ratios(bench.runs),
    checks: checks({ runs: bench.runs, settings, soak }),
    soak,
    profile,
  };

  console.log(`\n${textTable(report.runs)}\n`);
  console.log(
    `ratios: ${report.ratios.map((r) => `${r.target} app/${r.versus} ${r.rps ?? "–"}× req/s [${r.rounds.join(", ")}] (CPU per request ${r.versus}/app ${r.cpuPerRequest ?? "–"}×)`).join(", ")}`,
  );
  console.log(`goals:\n${textChecks(report.checks)}`);
  const file = saveReport(report, RESULTS_DIR);
  console.log(`\nbench: results in ${path.relative(ROOT, file)}${partial ? " (partial run: latest.json and docs untouched)" : " and bench/results/latest.json"}`);
  if (!partial) {
    writeFileSync(path.join(ROOT, "docs", "performance-chart.svg"), renderChart(report));
    const updated = updateDocs(DOC_FILE(ROOT), latestBlock(report, path.relative(ROOT, file)));
    console.log(`bench: docs/performance-chart.svg written${updated ? ", docs/performance.md updated" : ""}`);
  }
  console.log(`bench: done in ${report.wallS} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    // The "exit" hook kills whatever is still running.
    process.exit(1);
  },
);
