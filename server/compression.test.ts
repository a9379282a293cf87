import { readFileSync } from "node:fs";
import { request, type IncomingHttpHeaders } from "node:http";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { DEMO_LOGINS, signIn } from "../bench/sign-in";
import { readManifest } from "../tests/support/js-budget";
import { negotiate, rememberingCompressor } from "./compression";
import { launchServer, type RunningServer } from "./test-server";

/**
 * Compression through the real server (docs/decisions/013): build-time .br/.gz
 * for static files, on-the-fly for documents and JSON, /api/ads once per body.
 * node:http, not fetch: fetch would decompress and hide what was sent.
 */
interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The body as the client reads it, after Content-Encoding. */
  body: Buffer;
}

function call(server: RunningServer, urlPath: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path: urlPath, method: init.method ?? "GET", headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers["content-encoding"];
        const body = raw.length === 0 ? raw : encoding === "br" ? brotliDecompressSync(raw) : encoding === "gzip" ? gunzipSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const PUBLIC = path.resolve(import.meta.dirname, "..", "public");
const BROWSER = "gzip, deflate, br, zstd";

let server: RunningServer;
beforeAll(async () => {
  server = await launchServer();
}, 30_000);
afterAll(() => {
  server?.child.kill("SIGTERM");
});

/** The biggest JavaScript file every page loads (React and Remix). */
function sharedChunk(): string {
  const manifest = readManifest();
  const urls = [manifest.entry.module, ...(manifest.entry.imports ?? [])];
  return urls.sort((a, b) => readFileSync(path.join(PUBLIC, b)).length - readFileSync(path.join(PUBLIC, a)).length)[0] ?? "";
}

describe("negotiate (Accept-Encoding with q-values)", () => {
  it.each([
    [undefined, null],
    ["", null],
    ["identity", null],
    ["deflate", null],
    [BROWSER, "br"],
    ["gzip, deflate", "gzip"],
    ["GZIP", "gzip"],
    ["x-gzip", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0.8, br;q=0.5", "gzip"],
    ["gzip;q=0.5, br;q=0.5", "br"],
    ["br;q=0, gzip;q=0", null],
    ["*", "br"],
    ["*;q=0", null],
    ["*, br;q=0", "gzip"],
    ["gzip;q=nonsense", null],
  ])("%j → %s", (header, expected) => expect(negotiate(header)).toBe(expected));
});

describe("static files: compressed once at build time, picked per request", () => {
  it.each([
    ["br", BROWSER, brotliDecompressSync],
    ["gzip", "gzip, deflate", gunzipSync],
  ] as const)("sends the build's .%s file with the original's type, its own length and the immutable caching", async (encoding, accept, decode) => {
    const url = sharedChunk();
    const original = readFileSync(path.join(PUBLIC, url));
    const reply = await call(server, url, { headers: { "accept-encoding": accept } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBe(encoding);
    expect(reply.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(reply.headers["content-length"]).toBe(String(reply.raw.length));
    expect(reply.headers.vary).toBe("Accept-Encoding");
    expect(reply.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(reply.raw.length).toBeLessThan(original.length / 2.5);
    expect(decode(reply.raw).equals(original)).toBe(true);
  });

  it.each([
    ["no Accept-Encoding", undefined],
    ["identity", "identity"],
    ["only what we do not make", "deflate, zstd"],
    ["both refused", "br;q=0, gzip;q=0"],
  ])("sends the file as it is for %s, still varying on Accept-Encoding", async (_what, accept) => {
    const url = sharedChunk();
    const reply = await call(server, url, { headers: accept === undefined ? {} : { "accept-encoding": accept } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBeUndefined();
    expect(reply.headers.vary).toBe("Accept-Encoding");
    expect(reply.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(reply.raw.equals(readFileSync(path.join(PUBLIC, url)))).toBe(true);
  });

  it("answers a repeat with 304 by the compressed file's own ETag, which differs from the plain file's", async () => {
    const url = sharedChunk();
    const compressed = await call(server, url, { headers: { "accept-encoding": "br" } });
    const plain = await call(server, url);
    expect(compressed.headers.etag).toBeTruthy();
    expect(compressed.headers.etag).not.toBe(plain.headers.etag);
    const again = await call(server, url, { headers: { "accept-encoding": "br", "if-none-match": String(compressed.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect(again.headers.vary).toBe("Accept-Encoding");
  });

  it("answers HEAD with GET's headers and no body", async () => {
    const url = sharedChunk();
    const get = await call(server, url, { headers: { "accept-encoding": "br" } });
    const head = await call(server, url, { method: "HEAD", headers: { "accept-encoding": "br" } });
    expect(head.status).toBe(200);
    expect(head.raw.length).toBe(0);
    for (const name of ["content-encoding", "content-length", "content-type", "etag", "vary", "cache-control"]) {
      expect(head.headers[name], name).toBe(get.headers[name]);
    }
  });

  it("compresses the partners' embed script too, with its own caching", async () => {
    const reply = await call(server, "/ads/embed.js", { headers: { "accept-encoding": BROWSER } });
    expect(reply.headers["content-encoding"]).toBe("br");
    expect(reply.headers["cache-control"]).toBe("public, max-age=3600");
    expect(reply.body.equals(readFileSync(path.join(PUBLIC, "ads", "embed.js")))).toBe(true);
  });

  it("leaves tiny files alone (the favicon)", async () => {
    const reply = await call(server, "/favicon.ico", { headers: { "accept-encoding": BROWSER } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBeUndefined();
    expect(reply.raw.equals(readFileSync(path.join(PUBLIC, "favicon.ico")))).toBe(true);
  });

  it("still answers 404 for a file that is not there: the app's page, not a stray compressed file", async () => {
    const reply = await call(server, "/build/nothing-here.js", { headers: { "accept-encoding": BROWSER } });
    expect(reply.status).toBe(404);
    expect(reply.headers["content-type"]).toMatch(/^text\/html/);
    expect(reply.body.toString("utf8")).toContain("find that page");
  });
});

describe("documents and JSON: compressed on the fly when worth it", () => {
  it.each([
    ["br", BROWSER],
    ["gzip", "gzip"],
  ])("compresses a page with %s, with the length of what was sent", async (encoding, accept) => {
    const plain = await call(server, "/login");
    const reply = await call(server, "/login", { headers: { "accept-encoding": accept } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBe(encoding);
    expect(reply.headers["content-length"]).toBe(String(reply.raw.length));
    expect(reply.headers["transfer-encoding"]).toBeUndefined();
    expect(reply.headers.vary).toMatch(/Accept-Encoding/);
    expect(reply.raw.length).toBeLessThan(plain.raw.length / 2);
    // The same page apart from the per-response nonce.
    const withoutNonce = (html: Buffer) => html.toString("utf8").replace(/nonce="[^"]*"/g, "");
    expect(withoutNonce(reply.body)).toBe(withoutNonce(plain.raw));
  });

  it("sends a page as it is to a client that takes no compression", async () => {
    const reply = await call(server, "/login", { headers: { "accept-encoding": "identity" } });
    expect(reply.headers["content-encoding"]).toBeUndefined();
    expect(reply.headers.vary).toMatch(/Accept-Encoding/);
    expect(reply.headers["content-length"]).toBe(String(reply.raw.length));
    expect(reply.body.toString("utf8")).toContain("<title>");
  });

  it("answers HEAD of a page with no body and no encoding it did not apply", async () => {
    // Remix gives HEAD no body, so there is nothing to measure or compress.
    const head = await call(server, "/login", { method: "HEAD", headers: { "accept-encoding": "gzip" } });
    expect(head.status).toBe(200);
    expect(head.raw.length).toBe(0);
    expect(head.headers["content-encoding"]).toBeUndefined();
  });

  it("leaves small bodies alone", async () => {
    const reply = await call(server, "/healthz", { headers: { "accept-encoding": BROWSER } });
    expect(reply.status).toBe(200);
    expect(reply.raw.length).toBeLessThan(1024);
    expect(reply.headers["content-encoding"]).toBeUndefined();
  });

  it("compresses signed-in JSON for the app's own scripts", async () => {
    const cookie = await signIn(server.base, DEMO_LOGINS[0]);
    const reply = await call(server, "/api/transactions", { headers: { cookie, "x-csrf": "1", "accept-encoding": BROWSER } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBe("br");
    expect(JSON.parse(reply.body.toString("utf8"))).toHaveProperty("items");
  });

  it("BREACH: a compressed page that reflects the request holds no stable secret", async () => {
    // BREACH needs a secret that stays the same across responses in a compressed body
    // that also echoes attacker-chosen text. Tokens never reach the browser; the CSP
    // nonce is new for every response; there are no CSRF tokens in bodies.
    const cookie = await signIn(server.base, DEMO_LOGINS[0]);
    const probe = "/transactions?cursor=nonce%3D%22abc";
    const [one, two] = await Promise.all([1, 2].map(() => call(server, probe, { headers: { cookie, "accept-encoding": BROWSER } })));
    for (const reply of [one, two]) {
      expect(reply?.headers["content-encoding"]).toBe("br");
      const html = reply?.body.toString("utf8") ?? "";
      expect(html).not.toContain(cookie.split("=").slice(1).join("="));
      expect(html).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
      expect(html).not.toMatch(/csrf/i);
    }
    const nonce = (reply: Reply | undefined) => /nonce="([^"]+)"/.exec(reply?.body.toString("utf8") ?? "")?.[1];
    expect(nonce(one)).toBeTruthy();
    expect(nonce(one)).not.toBe(nonce(two));
  });
});

describe("/api/ads: each cached body compressed once", () => {
  it("sends the same JSON compressed, with a weak ETag, its own length and Vary", async () => {
    const plain = await call(server, "/api/ads?placement=sidebar");
    const reply = await call(server, "/api/ads?placement=sidebar", { headers: { "accept-encoding": BROWSER } });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-encoding"]).toBe("br");
    expect(reply.headers["content-length"]).toBe(String(reply.raw.length));
    expect(reply.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    expect(reply.headers.etag).toBe(`W/${String(plain.headers.etag)}`);
    expect(reply.body.equals(plain.raw)).toBe(true);
  });

  it("answers the weak ETag's revalidation with 304", async () => {
    const first = await call(server, "/api/ads?placement=banner", { headers: { "accept-encoding": "gzip" } });
    expect(first.headers["content-encoding"]).toBe("gzip");
    const again = await call(server, "/api/ads?placement=banner", { headers: { "accept-encoding": "gzip", "if-none-match": String(first.headers.etag) } });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect(again.headers.vary).toMatch(/Accept-Encoding/);
  });

  it("leaves small error bodies alone", async () => {
    const reply = await call(server, "/api/ads?placement=nowhere", { headers: { "accept-encoding": BROWSER } });
    expect(reply.status).toBe(400);
    expect(reply.headers["content-encoding"]).toBeUndefined();
  });

  it("compresses the same bytes once per encoding, and other bytes anew", () => {
    const compressed = rememberingCompressor();
    const body = Buffer.from(JSON.stringify({ ads: Array.from({ length: 20 }, (_, id) => ({ id, title: `Ad ${id}` })) }));
    const br = compressed(body, "br");
    expect(compressed(body, "br")).toBe(br);
    expect(brotliDecompressSync(br).equals(body)).toBe(true);
    const gzip = compressed(body, "gzip");
    expect(gzip).not.toBe(br);
    expect(gunzipSync(gzip).equals(body)).toBe(true);
    const newer = Buffer.from(JSON.stringify({ ads: [] }));
    expect(brotliDecompressSync(compressed(newer, "br")).equals(newer)).toBe(true);
  });
});
