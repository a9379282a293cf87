import { SERVICE_NAMES } from "../upstream";
import { option, positive } from "./config";
import { cpuUsPerRequest, measure, runLoad, type Target } from "./load";
import { monotonicUs } from "./profile-phases";
import { busySamples, newestProfile, readProfile, type LoadedProfile, type ProfileNode, type ProfileWindow } from "./profile-summary";
import { DEMO_LOGINS, signIn } from "./sign-in";
import { profileDir, startStack, type Stack } from "./stack";
import { median } from "./stats";
import { dashboardDocument, publicAds, signInPage } from "./targets";

/**
 * What serving pages does to the cost of `/api/ads` in the same process
 * (docs/performance.md, "/api/ads after documents"). Two app processes of the
 * same build: one serves only ads, the other first serves dashboards and the
 * sign-in page. Then both serve ads in alternating slices of a fixed number of
 * requests, and CPU per request is read from /proc for each slice. This
 * machine's speed drifts by 2× within minutes, for every process alike; slices
 * taken back to back, in alternating order, cancel that out, where "fresh, then
 * later again" in one process cannot.
 *
 *   node --import tsx bench/ads-after-documents.ts [--profile] [--warm-path=/healthz]
 *
 * --warm-path loads that path instead of the pages (a GET answering 200).
 * --profile splits both processes' CPU profiles, over their own slices, into the
 * parts of an ads answer (µs per request, profiled).
 * ADS_STATE_WARM_S (20), ADS_STATE_PAIRS (16), ADS_STATE_AMOUNT (25000).
 */

const CONNECTIONS = 50;

interface Settings {
  warmS: number;
  pairs: number;
  /** Requests per slice. */
  amount: number;
}

const ads = publicAds();

/** One slice on one app: CPU µs per request, and when it ran (for the profile). */
async function slice(stack: Stack, amount: number): Promise<{ us: number; window: ProfileWindow }> {
  const fromUs = monotonicUs();
  const us = await cpuUsPerRequest(stack.app.pid ?? 0, { url: stack.appBase + ads.path, connections: CONNECTIONS, amount, headers: ads.variants[0]?.headers });
  return { us, window: { fromUs, toUs: monotonicUs() } };
}

async function servePages(stack: Stack, warmS: number, warmPath: string | undefined): Promise<void> {
  const settings = { base: stack.appBase, connections: CONNECTIONS, warmupS: 0 };
  if (warmPath) {
    const target: Target = { id: "warm", label: `GET ${warmPath}`, method: "GET", path: warmPath, variants: [{ headers: {} }], expectStatus: 200 };
    await measure(target, "app", { ...settings, durationS: warmS });
    return;
  }
  const cookies = await Promise.all(DEMO_LOGINS.map((login) => signIn(stack.appBase, login)));
  await measure(dashboardDocument(cookies), "app", { ...settings, durationS: Math.max(1, warmS * 0.75) });
  await measure(signInPage(), "app", { ...settings, durationS: Math.max(1, warmS * 0.25) });
}

// The parts of an ads answer, by the innermost of these frames on a sample's stack.
const PARTS: [string, (name: string, url: string) => boolean][] = [
  ["writev (the syscall, kernel included)", (name) => name === "writev"],
  ["garbage collector", (name) => name === "(garbage collector)"],
  ["metrics", (name, url) => url.includes("prom-client") || name === "observeRequest"],
  ["request id", (name) => name === "randomUUID" || name === "requestIdOf"],
  ["Node: header validation and serialising", (name) => ["_storeHeader", "processHeader", "checkInvalidHeaderChar", "checkIsHttpToken"].includes(name)],
  ["access log's finish listener", (_name, url) => url.includes("server/access-log")],
  ["endpoint (answerPublicAds)", (name) => name === "answerPublicAds"],
  ["fast path: send", (name, url) => name === "send" && url.includes("server/public-ads")],
  ["fast path: handle", (name, url) => name === "handle" && url.includes("server/public-ads")],
  ["Node: parsing the request", (name) => ["parserOnHeadersComplete", "parserOnIncoming", "parserOnBody", "parserOnMessageComplete"].includes(name)],
  ["Node: end() and the socket's write path", (name) => ["end", "write_", "_send", "_writeRaw"].includes(name)],
  ["ticks and microtasks", (name) => name === "processTicksAndRejections" || name === "runMicrotasks"],
];

function parts(loaded: LoadedProfile, windows: readonly ProfileWindow[], requests: number): Map<string, number> {
  const partOf = (leaf: ProfileNode): string => {
    for (let node: ProfileNode | undefined = leaf; node; node = node.parent === undefined ? undefined : loaded.byId.get(node.parent)) {
      const { functionName, url } = node.callFrame;
      const part = PARTS.find(([, test]) => test(functionName, url));
      if (part) return part[0];
    }
    return "other";
  };
  const us = new Map<string, number>();
  for (const { node, us: sampleUs } of busySamples(loaded, windows)) {
    const part = partOf(node);
    us.set(part, (us.get(part) ?? 0) + sampleUs / requests);
    us.set("total", (us.get("total") ?? 0) + sampleUs / requests);
  }
  return us;
}

async function main() {
  // Read here, not at load: a bad setting then ends in the one line main's catch prints.
  const settings: Settings = {
    warmS: positive("ADS_STATE_WARM_S", 20),
    pairs: positive("ADS_STATE_PAIRS", 16),
    amount: positive("ADS_STATE_AMOUNT", 25_000),
  };
  const profile = process.argv.includes("--profile");
  const warmPath = option(process.argv, "warm-path");
  const startedAt = Date.now();
  const start = (name: string) =>
    startStack({
      latencyMs: Object.fromEntries(SERVICE_NAMES.map((service) => [service, 20])),
      ports: { app: "auto", baseline: "auto", floor: "auto", standins: "auto" },
      cpuProfile: profile,
      logPrefix: `ads-state-${name}-`,
    });
  const adsOnly = await start("ads-only");
  const withPages = await start("with-pages").catch(async (error: unknown) => {
    await adsOnly.stop();
    throw error;
  });
  const apps = [adsOnly, withPages] as const;
  const pids = apps.map((stack) => stack.app.pid ?? 0);
  const windows: ProfileWindow[][] = [[], []];
  const ratios: number[] = [];
  try {
    // JIT and connections warm in both, as in the benchmark's rounds; then only one serves pages.
    for (const stack of apps) await runLoad({ url: stack.appBase + ads.path, connections: CONNECTIONS, duration: 3, headers: ads.variants[0]?.headers });
    await servePages(withPages, settings.warmS, warmPath);
    for (const stack of apps) await runLoad({ url: stack.appBase + ads.path, connections: CONNECTIONS, duration: 3, headers: ads.variants[0]?.headers });

    const pages = warmPath ? `GET ${warmPath}` : "pages";
    console.log(`CPU µs per ads request, pairs of slices of ${settings.amount} (order alternating): ads only | after ${settings.warmS} s of ${pages}`);
    for (let pair = 0; pair < settings.pairs; pair++) {
      const us = [0, 0];
      for (const index of pair % 2 === 0 ? [0, 1] : [1, 0]) {
        const { us: cost, window } = await slice(apps[index] as Stack, settings.amount);
        us[index] = cost;
        windows[index]?.push(window);
      }
      const [alone = 0, after = 0] = us;
      ratios.push(after / alone);
      console.log(`  ${alone.toFixed(1).padStart(6)} | ${after.toFixed(1).padStart(6)}   ×${(after / alone).toFixed(2)}`);
    }
    console.log(`after ${pages} / ads only, median of ${ratios.length} pairs: ×${median(ratios).toFixed(3)}`);
  } finally {
    await Promise.all(apps.map((stack) => stack.stop()));
  }

  if (profile) {
    const split = apps.map((_, index) => {
      const file = newestProfile(profileDir("app"), startedAt, pids[index]);
      if (!file) throw new Error("--profile given but an app wrote no .cpuprofile");
      return parts(readProfile(file), windows[index] ?? [], (windows[index]?.length ?? 0) * settings.amount);
    });
    const [alone, after] = split as [Map<string, number>, Map<string, number>];
    const labels = [...PARTS.map(([label]) => label), "other", "total"];
    console.log("\nWhere an ads answer's CPU goes (µs per request, profiled, over each process's own slices):");
    console.log("| part | ads only | after pages | change |\n| --- | --- | --- | --- |");
    for (const label of labels) {
      const a = alone.get(label) ?? 0;
      const b = after.get(label) ?? 0;
      console.log(`| ${label} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${b - a >= 0 ? "+" : ""}${(b - a).toFixed(2)} |`);
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`ads-after-documents: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
