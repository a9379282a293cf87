import { Agent, request } from "node:http";
import { startCluster, type Cluster } from "../../scripts/cluster";

/**
 * Issue 14 through nginx: nginx keeps its connections to the app alive, so an
 * answer the app sent before reading the body must not leave the rest of that
 * body on the connection, where the next customer's request would wait for it.
 * One instance, so every request goes over the same few upstream connections.
 */
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ instances: 1, httpPort: 18180, httpsPort: 18543, appBasePort: 13301, redisPort: 16490, sessionStore: "cookie" });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
}, 60_000);

/** One request through nginx on `agent`; fails rather than hangs when no answer comes within 5 s. */
function send(agent: Agent, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) {
  return new Promise<{ status: number; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const all = body ? { ...headers, "content-length": String(body.length) } : headers;
    const req = request({ host: "127.0.0.1", port: 18180, method, path, agent, headers: all, timeout: 5_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within 5 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

// Under nginx's own 1 MB body limit, far over the app's form limit.
const BODY = Buffer.concat([Buffer.from("email=ada%40example.com&password=x&pad="), Buffer.alloc(900 * 1024, "a")]);

describe("early answers through nginx", () => {
  it.each([
    ["the form size limit", 413, "/login", { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:18180" }],
    ["the API without a session", 401, "/api/transactions", { "content-type": "application/json" }],
  ])("after %s (%i), the next requests are answered at once", async (_what, status, path, headers) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await send(agent, "POST", path, headers, BODY)).status).toBe(status);
      for (let next = 0; next < 3; next++) {
        const answer = await send(agent, "GET", "/healthz");
        expect(answer.status).toBe(200);
        expect(answer.ms).toBeLessThan(2_000);
      }
    } finally {
      agent.destroy();
    }
  });
});
