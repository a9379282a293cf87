import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import serveStatic from "serve-static";
import type { Exchange, Next } from "./exchange";

/**
 * Compression (docs/decisions/013): static files are compressed once, at build
 * time (scripts/compress-build.ts writes `.br` and `.gz` beside them), and picked
 * by content negotiation here; documents and JSON are compressed on the fly, at a
 * fast level, when they are big enough to gain from it.
 */
export type Encoding = "br" | "gzip";

/** Below this a body is sent as it is: the saving is a few hundred bytes at most, less than a packet. */
export const MIN_COMPRESS_BYTES = 1024;
/** Measured (docs/performance.md): 0.1–0.3 ms per answer; quality 11 costs 40–60× that for 10–16 % fewer bytes. */
const BROTLI_QUALITY = 4;
/** For clients without brotli. */
const GZIP_LEVEL = 4;
/** Text the build compresses and the server negotiates. */
export const COMPRESSIBLE_FILE = /\.(?:js|mjs|css|svg|json|txt|xml|html|map|ico|webmanifest)$/;
const COMPRESSIBLE_TYPE = /^(?:text\/|application\/(?:[\w.+-]+\+)?(?:json|javascript|xml)\b|image\/svg\+xml)/;

const EXTENSION: Record<Encoding, string> = { br: ".br", gzip: ".gz" };

/**
 * The client's preferred encoding of those we make, from `Accept-Encoding` with
 * q-values (RFC 9110 §12.5.3): the highest q wins, brotli on a tie; q=0 refuses;
 * `*` stands for any encoding not named. `null`: send it as it is.
 */
export function negotiate(header: string | undefined): Encoding | null {
  if (!header) return null;
  const q: Partial<Record<Encoding | "*", number>> = {};
  for (const part of header.split(",")) {
    const [rawName, ...params] = part.split(";");
    const name = rawName?.trim().toLowerCase();
    if (name !== "br" && name !== "gzip" && name !== "x-gzip" && name !== "*") continue;
    let weight = 1;
    for (const param of params) {
      const [key, value] = param.split("=");
      if (key?.trim().toLowerCase() === "q") weight = Number(value?.trim());
    }
    if (!Number.isFinite(weight) || weight < 0) weight = 0;
    q[name === "x-gzip" ? "gzip" : name] = Math.min(weight, 1);
  }
  const br = q.br ?? q["*"] ?? 0;
  const gzip = q.gzip ?? q["*"] ?? 0;
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? "br" : "gzip";
}

export function compress(body: Buffer, encoding: Encoding): Buffer {
  return encoding === "br"
    ? brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipSync(body, { level: GZIP_LEVEL });
}

/** Adds Accept-Encoding to Vary, once, keeping what is there. */
export function varyOnEncoding(res: ServerResponse): void {
  const vary = res.getHeader("Vary");
  const current = Array.isArray(vary) ? vary.join(", ") : vary === undefined ? "" : String(vary);
  if (/(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i.test(current)) return;
  res.setHeader("Vary", current ? `${current}, Accept-Encoding` : "Accept-Encoding");
}

function worthCompressing(res: ServerResponse, length: number): boolean {
  if (length < MIN_COMPRESS_BYTES || res.getHeader("Content-Encoding") !== undefined) return false;
  return !/\bno-transform\b/i.test(String(res.getHeader("Cache-Control") ?? ""));
}

function isCompressibleType(res: ServerResponse): boolean {
  return COMPRESSIBLE_TYPE.test(String(res.getHeader("Content-Type") ?? ""));
}

/**
 * Ends a complete response with its body, compressed when the client takes it,
 * the type is text and the body is big enough. Sets Content-Length (and
 * Content-Encoding, Vary) either way. A HEAD gets the same headers as its GET.
 */
export function endWithBody(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  let sent = body;
  if (isCompressibleType(res)) {
    varyOnEncoding(res);
    const encoding = worthCompressing(res, body.length) ? negotiate(req.headers["accept-encoding"]) : null;
    if (encoding) {
      sent = compress(body, encoding);
      res.setHeader("Content-Encoding", encoding);
      weakenEtag(res);
    }
  }
  res.setHeader("Content-Length", sent.length);
  res.end(sent);
}

/** A strong ETag names one representation's exact bytes; the compressed one is another (RFC 9110 §8.8.3). */
function weakenEtag(res: ServerResponse): void {
  const etag = res.getHeader("ETag");
  if (typeof etag === "string" && !etag.startsWith("W/")) res.setHeader("ETag", `W/${etag}`);
}

/**
 * A body compressed once and remembered for as long as its bytes live: for
 * answers that are the same bytes object for many requests (the public ads,
 * decision 008), so a partner's thousandth request costs a lookup by identity,
 * not a compression (nor hashing a few KB of key).
 */
export function rememberingCompressor() {
  const remembered = new WeakMap<Buffer, Partial<Record<Encoding, Buffer>>>();
  return function compressed(body: Buffer, encoding: Encoding): Buffer {
    let copies = remembered.get(body);
    if (copies === undefined) {
      copies = {};
      remembered.set(body, copies);
    }
    return (copies[encoding] ??= compress(body, encoding));
  };
}

/** serve-static's handler: Node's request and response, and what to do when it has no file. */
export type StaticFiles = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Serves the build-time `.br`/`.gz` file beside a static file when the client
 * takes it, through the same static handler (so ETag, 304, HEAD, ranges and the
 * caching headers stay its job), with the original's Content-Type. A compressed
 * file older than its original (say, `remix dev` rebuilt without the compress
 * step) is ignored.
 */
export function precompressed(root: string, files: StaticFiles) {
  return ({ req, res, path: urlPath }: Exchange, next: Next): void => {
    if ((req.method !== "GET" && req.method !== "HEAD") || !COMPRESSIBLE_FILE.test(urlPath)) return files(req, res, next);
    varyOnEncoding(res);
    const encoding = negotiate(req.headers["accept-encoding"]);
    if (!encoding) return files(req, res, next);
    let file: string;
    try {
      file = path.join(root, decodeURIComponent(urlPath));
    } catch {
      return files(req, res, next);
    }
    if (!file.startsWith(root + path.sep)) return files(req, res, next);
    void pickFile(file, EXTENSION[encoding]).then((usable) => {
      if (!usable) return files(req, res, next);
      const url = req.url ?? "";
      const query = url.indexOf("?");
      req.url = query === -1 ? url + EXTENSION[encoding] : url.slice(0, query) + EXTENSION[encoding] + url.slice(query);
      res.setHeader("Content-Type", contentType(file));
      res.setHeader("Content-Encoding", encoding);
      files(req, res, (error?: unknown) => {
        // Not served after all: let whatever comes next answer without our headers.
        req.url = url;
        res.removeHeader("Content-Encoding");
        res.removeHeader("Content-Type");
        next(error);
      });
    });
  };
}

async function pickFile(original: string, extension: string): Promise<boolean> {
  try {
    const [plain, encoded] = await Promise.all([stat(original), stat(original + extension)]);
    // Whole seconds: not every file system keeps the fraction the build step copied.
    return plain.isFile() && encoded.isFile() && Math.trunc(encoded.mtimeMs / 1000) >= Math.trunc(plain.mtimeMs / 1000);
  } catch {
    return false;
  }
}

function contentType(file: string): string {
  const mime = serveStatic.mime;
  const type = mime.lookup(file);
  const charset = mime.charsets.lookup(type, "");
  return charset ? `${type}; charset=${charset}` : type;
}
