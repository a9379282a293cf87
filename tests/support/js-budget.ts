import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * What JavaScript a cold load of each page fetches, compressed, against a budget
 * (docs/decisions/014). Read from the build: the route manifest
 * (public/build/manifest-*.js, loaded whole up front, decision 009) says which
 * modules a page's routes need; each module's own static imports are followed;
 * the compiler's metafile (build/metafile.js.json) says which source modules
 * make up each file, so a page over budget names what grew.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const PUBLIC = path.join(ROOT, "public");

/** The pages a customer opens cold, and the routes Remix matches for each (root first). */
export const PAGES: Record<string, string[]> = {
  "/": ["root", "routes/_index"],
  "/login": ["root", "routes/login"],
  "/login/code": ["root", "routes/login_.code"],
  "/dashboard": ["root", "routes/dashboard"],
  "/transactions": ["root", "routes/transactions"],
  "/payments/new": ["root", "routes/payments.new"],
  "/payments/sent": ["root", "routes/payments.sent"],
  "/payments/confirm": ["root", "routes/payments.confirm"],
  "/profile": ["root", "routes/profile"],
  "/profile/password": ["root", "routes/profile_.password"],
};

const KB = 1024;
/** React, React DOM, Remix and the router, the root route and the manifest: what every page needs. */
export const SHARED_BUDGET = 92 * KB;
/** What one route may add on top, compressed. */
export const ROUTE_ALLOWANCE = 6 * KB;
/** Routes allowed more, and why. */
export const EXTRA_ALLOWANCE: Record<string, number> = {
  // The payment form's rules run in the browser too (zod/mini): at most ~10 KB.
  "/payments/new": 10 * KB,
};

export function pageBudget(page: string): number {
  return SHARED_BUDGET + ROUTE_ALLOWANCE + (EXTRA_ALLOWANCE[page] ?? 0);
}

interface ManifestRoute {
  module: string;
  imports?: string[];
}
interface Manifest {
  url: string;
  entry: ManifestRoute;
  routes: Record<string, ManifestRoute>;
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

export function readManifest(): Manifest {
  const dir = path.join(PUBLIC, "build");
  const file = readdirSync(dir).find((name) => /^manifest-[A-Z0-9]+\.js$/.test(name));
  if (!file) throw new Error("no public/build/manifest-*.js: run `npm run build` first");
  const text = readFileSync(path.join(dir, file), "utf8");
  const json = text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1);
  const parsed = JSON.parse(json) as Omit<Manifest, "url">;
  return { url: `/build/${file}`, entry: parsed.entry, routes: parsed.routes };
}

const gzipped = new Map<string, number>();
/** gzip -9 size of a public URL's file (what the build step writes beside it). */
export function gzipSize(url: string): number {
  let size = gzipped.get(url);
  if (size === undefined) {
    size = gzipSync(readFileSync(path.join(PUBLIC, url)), { level: 9 }).length;
    gzipped.set(url, size);
  }
  return size;
}

const IMPORT = /(?:from|import)\s*"(\/build\/[^"]+\.js)"/g;

/** The URL and everything it imports statically, transitively. */
function withImports(url: string, seen: Set<string>): void {
  if (seen.has(url)) return;
  seen.add(url);
  const text = readFileSync(path.join(PUBLIC, url), "utf8");
  for (const match of text.matchAll(IMPORT)) withImports(match[1] ?? "", seen);
}

export interface PageWeight {
  page: string;
  files: string[];
  /** Compressed bytes of every JS file a cold load fetches. */
  gzip: number;
  /** The part every page shares (entry, root, manifest). */
  shared: number;
  budget: number;
}

export function sharedFiles(manifest: Manifest): Set<string> {
  const files = new Set<string>([manifest.url]);
  for (const url of [manifest.entry.module, ...(manifest.entry.imports ?? [])]) withImports(url, files);
  const root = manifest.routes.root;
  if (!root) throw new Error("the manifest has no root route");
  for (const url of [root.module, ...(root.imports ?? [])]) withImports(url, files);
  return files;
}

export function pageWeight(manifest: Manifest, page: string, budget = pageBudget(page)): PageWeight {
  const shared = sharedFiles(manifest);
  const files = new Set(shared);
  for (const id of PAGES[page] ?? []) {
    const route = manifest.routes[id];
    if (!route) throw new Error(`${page}: route ${id} is not in the manifest`);
    for (const url of [route.module, ...(route.imports ?? [])]) withImports(url, files);
  }
  const sum = (urls: Iterable<string>) => [...urls].reduce((total, url) => total + gzipSize(url), 0);
  return { page, files: [...files].sort(), gzip: sum(files), shared: sum(shared), budget };
}

/** Source modules (package or app file) by their minified bytes in these files, largest first. */
export function modulesOf(files: Iterable<string>): { module: string; bytes: number }[] {
  const metafile = JSON.parse(readFileSync(path.join(ROOT, "build", "metafile.js.json"), "utf8")) as Metafile;
  const byModule = new Map<string, number>();
  for (const url of files) {
    const output = metafile.outputs[`public${url}`];
    if (!output) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = moduleName(input);
      byModule.set(name, (byModule.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byModule].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** "../../x/node_modules/zod/v4/core/schemas.js" → "zod/v4/core/schemas.js"; app files stay as they are. */
function moduleName(input: string): string {
  const at = input.lastIndexOf("node_modules/");
  return at === -1 ? input : input.slice(at + "node_modules/".length);
}

/**
 * One line per page over its budget, empty when all fit. It names the largest
 * modules of the page's own part (route modules and what they import alone) and,
 * when the shared part passed its own budget, the largest shared modules too.
 */
export function overBudget(weights: PageWeight[], manifest: Manifest, sharedBudget = SHARED_BUDGET): string[] {
  const shared = sharedFiles(manifest);
  const largest = (files: Iterable<string>) =>
    modulesOf(files)
      .slice(0, 5)
      .map((entry) => `${entry.module} (${(entry.bytes / KB).toFixed(1)} kB minified)`)
      .join(", ");
  return weights
    .filter((weight) => weight.gzip > weight.budget || weight.shared > sharedBudget)
    .map((weight) => {
      const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} kB`;
      let line = `${weight.page}: ${kb(weight.gzip)} gzip > budget ${kb(weight.budget)}; its own ${kb(weight.gzip - weight.shared)}: ${largest(weight.files.filter((url) => !shared.has(url))) || "nothing"}`;
      if (weight.shared > sharedBudget) line += `; shared ${kb(weight.shared)} > ${kb(sharedBudget)}: ${largest(shared)}`;
      return line;
    });
}
