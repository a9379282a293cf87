import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CallFrame, LoadedProfile, ProfileNode, ProfileWindow } from "./profile-summary";
import { busySamples, newestProfile, readProfile } from "./profile-summary";

/**
 * Where a server's CPU went, by phase of a request rather than by function: the
 * app's and the floor's profiles side by side (docs/performance.md, "Profiles by
 * phase"). Each sample goes to the phase of the innermost frame that has one (Node
 * internals and builtins take their caller's): a zod call made by a loader is
 * validation, a socket write made by Express is the server. Two phases own their
 * whole subtree instead: React (it calls the app's components) and start-up
 * (module loading runs module code), and start-up is left out of the shares.
 *
 *   node --import tsx bench/profile-phases.ts [app.cpuprofile floor.cpuprofile]
 *
 * (no files: the newest in bench/results/profiles/app and …/floor).
 */

export const PHASES = [
  "start-up (module loading)",
  "garbage collector",
  "React render",
  "upstream parse + zod",
  "upstream calls (undici)",
  "session open/seal",
  "logging, metrics, headers",
  "loader work",
  "Remix (server runtime, router)",
  "server entry, Express, node:http",
  "other",
] as const;
export type Phase = (typeof PHASES)[number];

/** Function names of the app's own code, bundled into build/index.js (its frames carry no file of their own). */
const APP_NAMES: [Phase, RegExp][] = [
  ["upstream parse + zod", /^(parseBody)$/],
  ["session open/seal", /^(open|seal|parseSession|read|write|load|appendSessionCookie|requestSession|getSessionRuntime|requireCustomer|isRevoked)$/],
  ["logging, metrics, headers", /^(observeRequest|logRequest|record|headers|newRequestTrace|securityHeaders|finalizeResponse)$/],
];

const has = (url: string, ...parts: string[]) => parts.some((part) => url.includes(part));

/** The phase a frame belongs to on its own, or undefined for frames that take their caller's (Node internals, builtins). */
export function phaseOf(frame: CallFrame): Phase | undefined {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "garbage collector";
  if (url.startsWith("node:internal/modules/") || has(url, "/node_modules/tsx/")) return "start-up (module loading)";
  if (has(url, "/react-dom/", "/node_modules/react/")) return "React render";
  if (has(url, "/node_modules/zod/")) return "upstream parse + zod";
  if (has(url, "/node_modules/undici/")) return "upstream calls (undici)";
  if (has(url, "/server-runtime/dist/cookies", "/server-runtime/dist/sessions", "/@remix-run/node/dist/crypto", "/node_modules/cookie/", "/node_modules/cookie-signature/", "/app/session/"))
    return "session open/seal";
  if (has(url, "/node_modules/pino", "/node_modules/prom-client/", "/node_modules/morgan/", "/node_modules/compression/", "/server/access-log", "/app/observability/", "/app/security/headers"))
    return "logging, metrics, headers";
  if (has(url, "/build/index.js") && !has(url, "/bench/floor/")) {
    for (const [phase, names] of APP_NAMES) if (names.test(functionName)) return phase;
    return "loader work";
  }
  if (has(url, "/bench/floor/build/index.js", "/app/routes/", "/app/views/", "/services/")) return "loader work";
  if (has(url, "/@remix-run/server-runtime/", "/@remix-run/router/", "/@remix-run/node/", "/@remix-run/react/")) return "Remix (server runtime, router)";
  if (has(url, "/node_modules/express/", "/@remix-run/express/", "/@remix-run/serve/", "/server/", "node:_http", "node:internal/http")) {
    return "server entry, Express, node:http";
  }
  return undefined;
}

export interface PhaseSplit {
  file: string;
  busyMs: number;
  phases: { phase: Phase; ms: number; pct: number }[];
}

/** Now, in the clock V8 stamps its profiles with: a window taken in the bench process selects samples of a server's profile. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The split of the whole profile, or of the samples inside `windows` only (say, the runs at one connection). */
export function phaseSplit(loaded: LoadedProfile, windows?: readonly ProfileWindow[]): PhaseSplit {
  const { file, byId } = loaded;
  // Per node: the innermost phase on its stack, and whether a subtree-owning phase is above it (memoised).
  const OWNERS: readonly Phase[] = ["start-up (module loading)", "React render"];
  const memo = new Map<number, { innermost: Phase | undefined; owner: Phase | undefined }>();
  const walk = (node: ProfileNode): { innermost: Phase | undefined; owner: Phase | undefined } => {
    const known = memo.get(node.id);
    if (known) return known;
    const own = phaseOf(node.callFrame);
    const parent = node.parent === undefined ? undefined : byId.get(node.parent);
    const above = parent ? walk(parent) : { innermost: undefined, owner: undefined };
    const result = { innermost: own ?? above.innermost, owner: above.owner ?? (own && OWNERS.includes(own) ? own : undefined) };
    memo.set(node.id, result);
    return result;
  };
  const phaseOfNode = (node: ProfileNode): Phase => {
    const { innermost, owner } = walk(node);
    return node.callFrame.functionName === "(garbage collector)" ? "garbage collector" : (owner ?? innermost ?? "other");
  };

  const us = new Map<Phase, number>();
  let busy = 0;
  for (const { node, us: delta } of busySamples(loaded, windows)) {
    const phase = phaseOfNode(node);
    us.set(phase, (us.get(phase) ?? 0) + delta);
    if (phase !== "start-up (module loading)") busy += delta;
  }
  return {
    file,
    busyMs: Math.round(busy / 1000),
    // Shares of the busy time after start-up (start-up's own share is of the same, for scale).
    phases: PHASES.map((phase) => ({ phase, ms: Math.round((us.get(phase) ?? 0) / 1000), pct: Math.round(((us.get(phase) ?? 0) / Math.max(1, busy)) * 1000) / 10 })),
  };
}

/** Shares side by side; with CPU ms per request for each, the shares as ms per request too. */
export function formatPhases(splits: { name: string; split: PhaseSplit; cpuMsPerRequest?: number }[]): string {
  const header = ["phase", ...splits.flatMap(({ name, cpuMsPerRequest }) => [`${name} %`, ...(cpuMsPerRequest ? [`${name} ms/req`] : [])])];
  const rows = PHASES.map((phase) => [
    phase,
    ...splits.flatMap(({ split, cpuMsPerRequest }) => {
      const entry = split.phases.find((candidate) => candidate.phase === phase);
      const pct = entry?.pct ?? 0;
      return [`${pct}`, ...(cpuMsPerRequest ? [((pct / 100) * cpuMsPerRequest).toFixed(2)] : [])];
    }),
  ]);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = path.resolve(import.meta.dirname, "results", "profiles");
  const files = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  const app = files[0] ?? newestProfile(path.join(dir, "app"));
  const floor = files[1] ?? newestProfile(path.join(dir, "floor"));
  const splits = [
    ...(app ? [{ name: "app", split: phaseSplit(readProfile(app)) }] : []),
    ...(floor ? [{ name: "floor", split: phaseSplit(readProfile(floor)) }] : []),
  ];
  if (splits.length === 0) {
    console.error("profile-phases: no .cpuprofile given and none in bench/results/profiles/{app,floor}");
    process.exit(1);
  }
  for (const { name, split } of splits) console.log(`${name}: ${path.basename(split.file)}, ${split.busyMs} ms busy`);
  console.log(formatPhases(splits));
}
