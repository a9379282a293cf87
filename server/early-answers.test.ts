import { Agent, request } from "node:http";
import { launchServer, type RunningServer } from "./test-server";
import { DRAIN_LIMITS } from "./unread-body";

/**
 * Answers sent before the request body was read leave the keep-alive connection
 * usable (issue 14): a client that reuses connections, as browsers, nginx and
 * partner servers do, gets its next answer at once, not after a timeout.
 */
let server: RunningServer;

beforeAll(async () => {
  server = await launchServer({ ADS_RATE_LIMIT_PER_MIN: "1" });
}, 90_000);

afterAll(() => {
  server?.child.kill("SIGTERM");
});

interface Sent {
  status: number;
  /** Whether the request went on a connection an earlier request had used. */
  reused: boolean;
  ms: number;
}

/** One request on `agent`; fails rather than hangs when no answer comes within 5 s. */
function send(agent: Agent, method: string, path: string, options: { headers?: Record<string, string>; body?: Buffer; chunked?: boolean } = {}) {
  return new Promise<Sent>((resolve, reject) => {
    const started = performance.now();
    const headers: Record<string, string> = { ...options.headers };
    if (options.body && !options.chunked) headers["content-length"] = String(options.body.length);
    const req = request({ host: "127.0.0.1", port: server.port, method, path, agent, headers, timeout: 5_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, ms: performance.now() - started }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
    req.on("error", reject);
    if (options.body) {
      // In pieces, as a network delivers it, so the answer can come before the end.
      for (let offset = 0; offset < options.body.length; offset += 64 * 1024) req.write(options.body.subarray(offset, offset + 64 * 1024));
    }
    req.end();
  });
}

const MEGABYTE_FORM = Buffer.concat([Buffer.from("email=ada%40example.com&password=x&pad="), Buffer.alloc(1024 * 1024, "a")]);
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const own = () => ({ ...FORM, origin: server.base });

const EARLY_ANSWERS: [string, number, string, string, () => Record<string, string>, boolean?][] = [
  ["the sign-in form's size limit (Content-Length)", 413, "POST", "/login", own],
  ["the sign-in form's size limit (chunked)", 413, "POST", "/login", own, true],
  ["a cross-site post", 403, "POST", "/login", () => ({ ...FORM, origin: "https://evil.example" })],
  ["a path trick", 400, "POST", "/%2e%2e/login", own],
  ["an undecodable path", 400, "POST", "/%E0%A4%A", own],
  ["an odd Host", 400, "POST", "/login", () => ({ ...FORM, host: "a@evil.example" })],
  ["the API without a session", 401, "POST", "/api/transactions", () => ({ "content-type": "application/json" })],
  ["a method a Fetch Request cannot carry", 405, "TRACE", "/", () => ({})],
  ["Remix's 405 (a resource route without an action)", 405, "POST", "/healthz", own],
];

describe("an early answer leaves the keep-alive connection usable", () => {
  it.each(EARLY_ANSWERS)("after %s (%i) with 1 MB unread", async (_what, status, method, path, headers, chunked) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(agent, method, path, { headers: headers(), body: MEGABYTE_FORM, chunked });
      expect(refused.status).toBe(status);
      const next = await send(agent, "GET", "/healthz");
      expect(next.status).toBe(200);
      // The same connection, drained: not a new one after a timeout.
      expect(next.reused).toBe(true);
      expect(next.ms).toBeLessThan(2_000);
    } finally {
      agent.destroy();
    }
  });

  it("after the ads fast path's rate limit (429) with 1 MB unread", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await send(agent, "GET", "/api/ads?placement=sidebar")).status).toBe(200);
      const limited = await send(agent, "GET", "/api/ads?placement=sidebar", { body: MEGABYTE_FORM });
      expect(limited.status).toBe(429);
      const next = await send(agent, "GET", "/healthz");
      expect([next.status, next.reused]).toEqual([200, true]);
    } finally {
      agent.destroy();
    }
  });

  it("closes the connection instead when more is left than it will throw away, and the next request gets a new one", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const huge = Buffer.alloc(DRAIN_LIMITS.bytes * 2, "a");
      const refused = await send(agent, "POST", "/login", { headers: own(), body: huge }).then(
        (sent) => sent.status,
        () => "reset while still sending",
      );
      // The answer arrives; the client may also see the reset while it is still sending.
      expect([413, "reset while still sending"]).toContain(refused);
      const next = await send(agent, "GET", "/healthz");
      expect([next.status, next.reused]).toEqual([200, false]);
    } finally {
      agent.destroy();
    }
  });

  it("leaves an ordinary sign-in's connection as it was", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const body = Buffer.from("email=ada%40example.com&password=Analytical-Engine-1843");
      expect((await send(agent, "POST", "/login", { headers: own(), body })).status).toBe(302);
      const next = await send(agent, "GET", "/healthz");
      expect([next.status, next.reused]).toEqual([200, true]);
    } finally {
      agent.destroy();
    }
  });
});
