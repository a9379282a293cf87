import { Agent, fetch as undiciFetch } from "undici";
import { startCluster, type Cluster } from "../../scripts/cluster";
import { signInThrough } from "../support/cluster-sign-in";

/**
 * Three instances behind nginx (round robin), Redis for shared state, server-side
 * sessions: every promise of "many instances behave as one", through the proxy.
 */
let cluster: Cluster;
const selfSigned = new Agent({ connect: { rejectUnauthorized: false } });

beforeAll(async () => {
  cluster = await startCluster({
    instances: 3,
    httpPort: 18080,
    httpsPort: 18443,
    appBasePort: 13201,
    redisPort: 16390,
    sessionStore: "redis",
    // Tokens need a refresh 1 s after sign-in (refresh happens within 30 s of expiry).
    accessTokenTtlS: 31,
  });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  await selfSigned.close();
}, 60_000);

const get = (path: string, cookie = "") =>
  fetch(cluster.httpUrl + path, { headers: cookie ? { cookie } : {}, redirect: "manual" });

const signIn = (email?: string, password?: string) => signInThrough(cluster.httpUrl, email, password);

describe("a cluster of three instances behind nginx", () => {
  it("serves one session from every instance", async () => {
    const { response, cookie } = await signIn();
    expect(response.status).toBe(302);
    const served = new Set<string>();
    for (let request = 0; request < 6; request++) {
      const page = await get("/profile", cookie);
      expect(page.status).toBe(200);
      served.add(page.headers.get("x-instance") ?? "?");
      await page.text();
    }
    expect(served).toEqual(new Set(["app-1", "app-2", "app-3"]));
  });

  it("refreshes exactly once for 20 concurrent requests after expiry, spread over the instances", async () => {
    const { cookie } = await signIn("grace@example.com", "Cobol-1959-Compiler");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = cluster.standins.requests.filter((request) => request.path === "/oauth/token").length;
    const pages = await Promise.all(Array.from({ length: 20 }, () => get("/profile", cookie)));
    expect(pages.map((page) => page.status)).toEqual(Array(20).fill(200));
    expect(new Set(pages.map((page) => page.headers.get("x-instance"))).size).toBe(3);
    await Promise.all(pages.map((page) => page.text()));
    const refreshes = cluster.standins.requests.filter((request) => request.path === "/oauth/token").length - before;
    expect(refreshes).toBe(1);
    expect((await get("/profile", cookie)).status).toBe(200);
  });

  it("signs out on every instance", async () => {
    const { cookie } = await signIn();
    const out = await fetch(`${cluster.httpUrl}/logout`, { method: "POST", redirect: "manual", headers: { cookie, origin: cluster.httpUrl } });
    expect(out.status).toBe(302);
    const after = await Promise.all([0, 1, 2, 3, 4, 5].map(() => get("/profile", cookie)));
    expect(after.map((page) => page.status)).toEqual(Array(6).fill(302));
  });

  it("counts a rate limit across instances", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      statuses.push((await signIn("limit-test@example.com", "wrong")).response.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });

  it("signs a second browser out with 'Sign out everywhere else', keeping this one", async () => {
    const first = await signIn();
    const second = await signIn();
    const response = await fetch(`${cluster.httpUrl}/profile`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: first.cookie, origin: cluster.httpUrl, "content-type": "application/x-www-form-urlencoded" },
      body: "intent=sign-out-others",
    });
    expect(response.status).toBe(302);
    const after = await Promise.all([0, 1, 2].map(() => get("/profile", second.cookie)));
    expect(after.map((page) => page.status)).toEqual([302, 302, 302]);
    const kept = await Promise.all([0, 1, 2].map(() => get("/profile", first.cookie)));
    expect(kept.map((page) => page.status)).toEqual([200, 200, 200]);
  });

  it("over HTTPS through the proxy, sets a Secure __Host- cookie and HSTS", async () => {
    const response = await undiciFetch(`${cluster.httpsUrl}/login`, {
      method: "POST",
      redirect: "manual",
      dispatcher: selfSigned,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: cluster.httpsUrl },
      body: new URLSearchParams({ email: "ada@example.com", password: "Analytical-Engine-1843" }),
    });
    expect(response.status).toBe(302);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-session=/);
    expect(setCookie).toContain("Secure");
    expect(response.headers.get("strict-transport-security")).toContain("max-age=");
    const cookie = setCookie.split(";")[0] ?? "";
    const page = await undiciFetch(`${cluster.httpsUrl}/profile`, { dispatcher: selfSigned, headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(200);
  });

  it("with Redis stopped, signed-in pages answer 503 with a message (fail closed), and recover", async () => {
    const { cookie } = await signIn();
    await cluster.redis.stop();
    try {
      const down = await get("/profile", cookie);
      expect(down.status).toBe(503);
      expect(await down.text()).toContain("can't reach your session");
      expect((await get("/")).status).toBe(200);
      expect((await get("/api/ads?placement=sidebar")).status).toBe(200);
    } finally {
      await cluster.redis.start();
    }
    // The session itself was in the stopped Redis (no persistence): signed out, cleanly.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await get("/profile", cookie)).status).toBe(302);
    const { response } = await signIn();
    expect(response.status).toBe(302);
  });
});
