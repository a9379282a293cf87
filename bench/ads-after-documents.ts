import { SERVICE_NAMES } from "../upstream";
import { option, positive } from "./config";
import { cpuUsPerRequest, measure, type Target } from "./load";
import { formatPhases, monotonicUs, phaseSplit, type ProfileWindow } from "./profile-phases";
import { newestProfile, readProfile } from "./profile-summary";
import { DEMO_LOGINS, signIn } from "./sign-in";
import { profileDir, startStack, type Stack } from "./stack";
import { median } from "./stats";
import { dashboardDocument, publicAds } from "./targets";

/**
 * What serving documents does to the cost of `/api/ads` in the same process
 * (docs/performance.md, "/api/ads after documents"). CPU per ads request, app and
 * baseline in alternating slices of a fixed number of requests, first in fresh
 * processes, then again after the app (only the app) served dashboards:
 *
 *   node --import tsx bench/ads-after-documents.ts [--profile] [--warm-path=/healthz]
 *
 * CPU per request of a fixed amount is read from /proc, so it does not depend on
 * how long the slice took; the baseline's slices beside the app's show how much
 * of a change is the machine. --warm-path loads that path instead of dashboards
 * (a GET answering 200). --profile splits the app's CPU profile by phase, per stage.
 * ADS_STATE_WARM_S (20), ADS_STATE_SLICES (6), ADS_STATE_AMOUNT (50000).
 */

const CONNECTIONS = 50;

interface Settings {
  warmS: number;
  slices: number;
  /** Requests per slice. */
  amount: number;
}

async function stage(stack: Stack, name: string, { slices, amount }: Settings): Promise<ProfileWindow & { name: string }> {
  const ads = publicAds();
  const fromUs = monotonicUs();
  // A few seconds of each first: JIT and connections warm, as in the benchmark's rounds.
  for (const server of ["app", "baseline"] as const) {
    await measure(ads, server, { base: server === "app" ? stack.appBase : stack.baselineBase, connections: CONNECTIONS, durationS: 3, warmupS: 0 });
  }
  const app: number[] = [];
  const baseline: number[] = [];
  const slice = (base: string, pid: number | undefined) =>
    cpuUsPerRequest(pid ?? 0, { url: base + ads.path, connections: CONNECTIONS, amount, headers: ads.variants[0]?.headers });
  for (let round = 0; round < slices; round++) {
    app.push(await slice(stack.appBase, stack.app.pid));
    baseline.push(await slice(stack.baselineBase, stack.baseline.pid));
  }
  const ratios = app.map((appUs, slice) => (baseline[slice] ?? 0) / appUs);
  const list = (values: number[]) => values.map((value) => value.toFixed(1)).join(" ");
  console.log(
    `${name}: CPU µs per ads request, app ${list(app)} (median ${median(app).toFixed(1)}); baseline ${list(baseline)} (median ${median(baseline).toFixed(1)}); ` +
      `baseline/app per slice, median ${median(ratios).toFixed(2)}`,
  );
  return { name, fromUs, toUs: monotonicUs() };
}

async function main() {
  // Read here, not at load: a bad setting then ends in the one line main's catch prints.
  const settings: Settings = {
    warmS: positive("ADS_STATE_WARM_S", 20),
    slices: positive("ADS_STATE_SLICES", 6),
    amount: positive("ADS_STATE_AMOUNT", 50_000),
  };
  const profile = process.argv.includes("--profile");
  const warmPath = option(process.argv, "warm-path");
  const startedAt = Date.now();
  const stack = await startStack({
    latencyMs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, 20])),
    ports: { app: "auto", baseline: "auto", floor: "auto", standins: "auto" },
    cpuProfile: profile,
    logPrefix: "ads-state-",
  });
  const stages: (ProfileWindow & { name: string })[] = [];
  try {
    stages.push(await stage(stack, "fresh processes", settings));
    if (warmPath) {
      const target: Target = { id: "warm", label: `GET ${warmPath}`, method: "GET", path: warmPath, variants: [{ headers: {} }], expectStatus: 200 };
      await measure(target, "app", { base: stack.appBase, connections: CONNECTIONS, durationS: settings.warmS, warmupS: 0 });
    } else {
      const cookies = await Promise.all(DEMO_LOGINS.map((login) => signIn(stack.appBase, login)));
      await measure(dashboardDocument(cookies), "app", { base: stack.appBase, connections: CONNECTIONS, durationS: settings.warmS, warmupS: 0 });
    }
    stages.push(await stage(stack, `after ${settings.warmS} s of ${warmPath ? `GET ${warmPath}` : "dashboards"} on the app`, settings));
  } finally {
    await stack.stop();
  }
  if (profile) {
    const file = newestProfile(profileDir("app"), startedAt);
    if (!file) throw new Error("--profile given but the app wrote no .cpuprofile");
    const loaded = readProfile(file);
    const splits = stages.map((window) => ({ name: window.name, split: phaseSplit(loaded, [window]) }));
    console.log(`\nThe app's CPU by phase, per stage (shares of its busy time):\n${formatPhases(splits)}`);
    for (const { name, split } of splits) console.log(`${name}: ${split.busyMs} ms busy`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`ads-after-documents: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
