import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Where a V8 `.cpuprofile` (from `node --cpu-prof`) spent its time: self time per
 * function and per package, idle excluded from the shares. Run on its own:
 *
 *   node --import tsx bench/profile-summary.ts [file.cpuprofile] [--top=25]
 *
 * (no file: the newest in bench/results/profiles/app/).
 */

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  parent?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  /** Package, "app/…", "node:…" or a V8 pseudo-frame such as "(garbage collector)". */
  where: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  selfPct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  busyMs: number;
  topFunctions: ProfileEntry[];
  /** Time with the function anywhere on the stack (its callees included), share of busy time. */
  topInclusive: ProfileEntry[];
  byPackage: { where: string; selfMs: number; selfPct: number }[];
}

const IDLE = new Set(["(idle)", "(program)"]);

/** Folds a script URL into where it comes from: a package, our source tree, or Node itself. */
export function origin(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  // node:internal is half of Node; its module names (url, deps/undici, …) say which half.
  if (url.startsWith("node:internal/deps/")) return `node:${url.split("/")[2] ?? "internal"}`;
  if (url.startsWith("node:internal/")) return url.split("/").slice(0, 2).join("/");
  if (url.startsWith("node:")) return url;
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1] ?? ""}` : (rest[0] ?? url);
  }
  const file = url.startsWith("file://") ? new URL(url).pathname : url;
  const match = /\/(app|build|server|services|types|upstream|bench)\/(.*)$/.exec(file);
  return match ? `${match[1]}/${match[2]}` : path.basename(file);
}

/** A profile read once: every summary and split of it works on the same nodes. */
export interface LoadedProfile {
  file: string;
  profile: CpuProfile;
  byId: Map<number, ProfileNode>;
}

/** Reads a .cpuprofile (some are tens of MB) and links each node to its parent. */
export function readProfile(file: string): LoadedProfile {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) {
    const target = byId.get(child);
    if (target) target.parent = node.id;
  }
  return { file, profile, byId };
}

/** A stretch of a profile, in the profile's own clock: µs of CLOCK_MONOTONIC, as `process.hrtime` counts (profile-phases' monotonicUs). */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/**
 * The samples taken while the process worked (not idle), inside `windows` if given,
 * each with how long its frame kept running: the time until the next sample.
 */
export function* busySamples({ profile, byId }: LoadedProfile, windows?: readonly ProfileWindow[]): Generator<{ node: ProfileNode; us: number }> {
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (windows && !windows.some((window) => at >= window.fromUs && at <= window.toUs)) continue;
    const node = byId.get(profile.samples[i] as number);
    if (!node || node.callFrame.functionName === "(idle)" || node.callFrame.functionName === "(program)") continue;
    yield { node, us: Math.max(0, profile.timeDeltas[i + 1] ?? 0) };
  }
}

export function summarise({ file, profile, byId }: LoadedProfile, top = 25): ProfileSummary {
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i was taken; the time until the next
  // sample is the best estimate of how long sample i's frame kept running.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
  }

  const keyOf = (frame: CallFrame) => `${frame.functionName || "(anonymous)"}\u0000${frame.url}\u0000${frame.lineNumber}`;
  const label = (frame: CallFrame) => {
    const name = frame.functionName || "(anonymous)";
    const where = origin(frame.url, name);
    return { name, where: frame.lineNumber >= 0 && frame.url ? `${where}:${frame.lineNumber + 1}` : where };
  };

  // Inclusive: each sample counts once for every distinct function on its stack.
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id);
    if (!leaf || IDLE.has(leaf.callFrame.functionName)) continue;
    const seen = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = node.parent === undefined ? undefined : byId.get(node.parent)) {
      const key = keyOf(node.callFrame);
      if (seen.has(key) || node.callFrame.functionName === "(root)") continue;
      seen.add(key);
      const entry = inclusive.get(key) ?? { ...label(node.callFrame), us: 0 };
      entry.us += us;
      inclusive.set(key, entry);
    }
  }

  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    const name = frame.functionName || "(anonymous)";
    if (IDLE.has(name)) {
      idleUs += us;
      continue;
    }
    const key = keyOf(frame);
    const entry = functions.get(key) ?? { ...label(frame), us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const where = origin(frame.url, name);
    packages.set(where, (packages.get(where) ?? 0) + us);
  }

  const busyUs = totalUs - idleUs;
  const pct = (us: number) => Math.round((us / Math.max(1, busyUs)) * 1000) / 10;
  const ms = (us: number) => Math.round(us / 100) / 10;
  const entries = (map: Map<string, { name: string; where: string; us: number }>) =>
    [...map.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => ({ name: entry.name, where: entry.where, selfMs: ms(entry.us), selfPct: pct(entry.us) }));
  return {
    file,
    totalMs: ms(totalUs),
    idleMs: ms(idleUs),
    busyMs: ms(busyUs),
    topFunctions: entries(functions),
    topInclusive: entries(inclusive),
    byPackage: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, us]) => ({ where, selfMs: ms(us), selfPct: pct(us) })),
  };
}

/**
 * The main thread's .cpuprofile written after `since` (epoch ms), if any. Files are
 * named CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; under tsx the loader's
 * worker thread writes one too, and it finishes last, so "newest" alone would pick it.
 * With `pid`, only that process's.
 */
export function newestProfile(folder: string, since = 0, pid?: number): string | undefined {
  let files: string[];
  try {
    files = readdirSync(folder).filter((name) => name.endsWith(".cpuprofile"));
  } catch {
    return undefined;
  }
  const mainThread = (name: string) => name.split(".")[4] === "0";
  return files
    .map((name) => ({ name, file: path.join(folder, name), mtime: statSync(path.join(folder, name)).mtimeMs }))
    .filter((entry) => entry.mtime >= since && (pid === undefined || entry.name.split(".")[3] === String(pid)))
    .sort((a, b) => Number(mainThread(b.name)) - Number(mainThread(a.name)) || b.mtime - a.mtime)[0]?.file;
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [
    `CPU profile ${path.basename(summary.file)}: ${summary.busyMs} ms busy of ${summary.totalMs} ms (idle ${summary.idleMs} ms)`,
    "",
    "Top self time (share of busy time):",
    ...summary.topFunctions.map((entry) => `  ${String(entry.selfPct).padStart(5)}%  ${String(entry.selfMs).padStart(8)} ms  ${entry.name}  ${entry.where}`),
    "",
    "Top inclusive time (callees included):",
    ...summary.topInclusive.map((entry) => `  ${String(entry.selfPct).padStart(5)}%  ${String(entry.selfMs).padStart(8)} ms  ${entry.name}  ${entry.where}`),
    "",
    "Self time by package / source:",
    ...summary.byPackage.map((entry) => `  ${String(entry.selfPct).padStart(5)}%  ${String(entry.selfMs).padStart(8)} ms  ${entry.where}`),
  ];
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const top = Number(args.find((arg) => arg.startsWith("--top="))?.slice(6) ?? 25);
  // Each profiled server writes into its own folder (stack.ts): the app's by default.
  const file = args.find((arg) => !arg.startsWith("--")) ?? newestProfile(path.resolve(import.meta.dirname, "results", "profiles", "app"));
  if (!file) {
    console.error("profile-summary: no .cpuprofile given and none in bench/results/profiles/app/");
    process.exit(1);
  }
  console.log(formatSummary(summarise(readProfile(file), top)));
}
