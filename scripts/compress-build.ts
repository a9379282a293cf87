import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { COMPRESSIBLE_FILE, MIN_COMPRESS_BYTES } from "../server/compression";

/**
 * After `remix build`: a `.br` (quality 11) and a `.gz` (level 9) beside every
 * text file in public/ worth compressing, once, so the server never compresses a
 * static file per request (docs/decisions/013). Stale ones (no original any
 * more, or an original that changed) are rewritten or removed.
 */
const PUBLIC = path.resolve(import.meta.dirname, "..", "public");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

let written = 0;
let before = 0;
let after = 0;
for (const file of files(PUBLIC)) {
  if (/\.(?:br|gz)$/.test(file)) {
    try {
      statSync(file.replace(/\.(?:br|gz)$/, ""));
    } catch {
      rmSync(file);
    }
    continue;
  }
  if (!COMPRESSIBLE_FILE.test(file)) continue;
  const original = readFileSync(file);
  const source = statSync(file);
  const variants: [string, Buffer][] = [
    [".br", brotliCompressSync(original, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: original.length } })],
    [".gz", gzipSync(original, { level: 9 })],
  ];
  for (const [extension, compressed] of variants) {
    const target = file + extension;
    // Tiny files, or ones that do not shrink, are served as they are.
    if (original.length < MIN_COMPRESS_BYTES || compressed.length >= original.length * 0.9) {
      rmSync(target, { force: true });
      continue;
    }
    writeFileSync(target, compressed);
    // The same mtime as the original: the server serves a compressed file only if it is not older.
    utimesSync(target, source.atime, source.mtime);
    written++;
  }
  before += original.length;
  after += Math.min(original.length, ...variants.map(([, compressed]) => compressed.length));
}
console.log(`compress-build: ${written} files in public/ (${(before / 1024).toFixed(0)} kB → ${(after / 1024).toFixed(0)} kB with brotli)`);
