import { Redis } from "ioredis";
import { resetEnvCache } from "../../app/env.server";
import { loader as dashboard } from "../../app/routes/dashboard";
import { action as logout } from "../../app/routes/logout";
import { action as profileAction, loader as profile } from "../../app/routes/profile";
import { createSealer } from "../../app/session/seal.server";
import { resetSessionRuntime } from "../../app/session/runtime.server";
import { getRateLimiter, resetSharedState } from "../../app/shared-state/index.server";
import { createRedisRateLimiter } from "../../app/shared-state/redis-rate-limit.server";
import { createRedisRefreshCoordinator } from "../../app/shared-state/redis-refresh.server";
import type { TokenSet } from "../../types/domain";
import { resetLogoutTokenVerifier } from "../../app/backchannel/logout.server";
import { forgeLogoutToken, logoutClaims, postLogoutToken } from "../support/backchannel";
import { startRedis, type TestRedis } from "../support/redis";
import { buildRequest, call, cookieFrom } from "../support/remix";
import { testServices } from "../support/services";
import { DEMO, readSession, signInAs } from "../support/session";

/**
 * Shared state through a real redis-server. "Another instance" is this process
 * after dropping every in-memory piece of state (runtimes and connection): all
 * that survives is what lives in Redis.
 */
let redis: TestRedis;
let admin: Redis;

function useSettings(settings: Record<string, string>) {
  Object.assign(process.env, settings);
  resetEnvCache();
  anotherInstance();
}

function anotherInstance() {
  resetSessionRuntime();
  resetSharedState();
}

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url).on("error", () => undefined);
});

beforeEach(async () => {
  await redis.start();
  await admin.flushall();
  useSettings({ REDIS_URL: redis.url, SESSION_STORE: "redis" });
});

afterAll(async () => {
  admin.disconnect();
  await redis.stop();
  delete process.env.REDIS_URL;
  delete process.env.SESSION_STORE;
  resetEnvCache();
});

/** Another instance's connection; its reconnect noise while Redis is stopped on purpose is expected. */
const client = () => new Redis(redis.url, { keyPrefix: "nw:" }).on("error", () => undefined);

const page = (cookie: string) => call(dashboard, buildRequest("/dashboard", { cookie }));

describe("server-side sessions in Redis", () => {
  it("keeps only an opaque id in the cookie, and the session works on another instance", async () => {
    const cookie = await signInAs("ada");
    const value = decodeURIComponent(cookie.split("=")[1] ?? "");
    expect(Buffer.from(value.split(".")[0] ?? "", "base64").toString()).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(await admin.keys("nw:session:*")).toHaveLength(1);
    const stored = (await admin.get((await admin.keys("nw:session:*"))[0] ?? "")) ?? "";
    expect(stored).not.toMatch(/eyJ|refresh/);
    anotherInstance();
    expect((await page(cookie)).status).toBe(200);
  });

  it("signs out on every instance", async () => {
    const cookie = await signInAs("ada");
    await call(logout, buildRequest("/logout", { method: "POST", cookie }));
    anotherInstance();
    expect((await page(cookie)).status).toBe(302);
  });

  it("expires with the idle timeout in Redis itself", async () => {
    await signInAs("ada");
    const [key = ""] = await admin.keys("nw:session:*");
    const ttl = await admin.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1800 * 1000);
  });

  it("'Sign out everywhere else' deletes the other sessions in Redis, and their refresh tokens die at Auth", async () => {
    const first = await signInAs("ada");
    const second = await signInAs("ada");
    const secondRefresh = (await readSession(second))?.tokens.refreshToken ?? "";
    anotherInstance();
    const loaded = (await (await call(profile, buildRequest("/profile", { cookie: first }))).json()) as { signIns: { data: { items: unknown[] } } };
    expect(loaded.signIns.data.items).toHaveLength(2);
    const response = await call(profileAction, buildRequest("/profile", { cookie: first, form: { intent: "sign-out-others" } }));
    expect(response.status).toBe(302);
    const values = await Promise.all((await admin.keys("nw:session:*")).map((key) => admin.get(key)));
    expect(values.filter((value) => value === "ended")).toHaveLength(1);
    anotherInstance();
    expect((await page(first)).status).toBe(200);
    expect((await page(second)).status).toBe(302);
    await expect(testServices().auth.refresh(secondRefresh)).rejects.toMatchObject({ code: "invalid_grant" });
  });

  it("fails closed while Redis is down: 503 with a message, never signed in or a stack", async () => {
    const cookie = await signInAs("ada");
    await redis.stop();
    anotherInstance();
    const response = await page(cookie);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("can't reach your session");
    const signIn = await call(
      (await import("../../app/routes/login")).action,
      buildRequest("/login", { form: { email: DEMO.ada.email, password: DEMO.ada.password } }),
    );
    expect(signIn.status).toBe(503);
    await redis.start();
  });
});

describe("cookie sessions with Redis for the shared pieces", () => {
  beforeEach(() => useSettings({ REDIS_URL: redis.url, SESSION_STORE: "cookie" }));

  it("a sign-out on one instance is a sign-out on all (shared revocation list)", async () => {
    const cookie = await signInAs("ada");
    await call(logout, buildRequest("/logout", { method: "POST", cookie }));
    anotherInstance();
    expect((await page(cookie)).status).toBe(302);
  });

  it("keeps customers signed in when Redis is down (revocation checks fail open)", async () => {
    const cookie = await signInAs("ada");
    await redis.stop();
    anotherInstance();
    expect((await page(cookie)).status).toBe(200);
    await redis.start();
  });
});

describe.each(["redis", "cookie"] as const)("back-channel logout with SESSION_STORE=%s", (store) => {
  beforeEach(() => {
    useSettings({ REDIS_URL: redis.url, SESSION_STORE: store });
    resetLogoutTokenVerifier();
  });

  const loginOf = async (cookie: string) => {
    const session = await readSession(cookie);
    return { sid: session?.loginId ?? "", sub: session?.userId ?? "" };
  };

  it("a token received by one instance signs the browser out on another at once", async () => {
    const ended = await signInAs("ada");
    const kept = await signInAs("ada");
    const { sid } = await loginOf(ended);
    anotherInstance();
    expect((await postLogoutToken(await forgeLogoutToken(logoutClaims({ sid })))).status).toBe(200);
    if (store === "redis") {
      const values = await Promise.all((await admin.keys("nw:session:*")).map((key) => admin.get(key)));
      expect(values.filter((value) => value === "ended")).toHaveLength(1);
    }
    anotherInstance();
    const after = await page(ended);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe("/login?redirectTo=%2Fdashboard&reason=ended");
    expect((await page(kept)).status).toBe(200);
    const list = (await (await call(profile, buildRequest("/profile", { cookie: kept }))).json()) as { signIns: { data: { items: unknown[] } } };
    expect(list.signIns.data.items).toHaveLength(1);
  });

  it("a token with only sub ends every earlier session of the customer on every instance", async () => {
    const cookies = [await signInAs("ada"), await signInAs("ada")];
    const grace = await signInAs("grace");
    const { sub } = await loginOf(cookies[0] ?? "");
    anotherInstance();
    expect((await postLogoutToken(await forgeLogoutToken(logoutClaims({ sub })))).status).toBe(200);
    anotherInstance();
    for (const cookie of cookies) expect((await page(cookie)).status).toBe(302);
    expect((await page(grace)).status).toBe(200);
  });

  it("refuses a jti replayed to another instance", async () => {
    const token = await forgeLogoutToken(logoutClaims({ sid: "grt_unknown" }));
    expect((await postLogoutToken(token)).status).toBe(200);
    anotherInstance();
    expect((await postLogoutToken(token)).status).toBe(400);
  });

  it("answers 503 while Redis is down (fails closed: Auth retries), and the retry works", async () => {
    const cookie = await signInAs("ada");
    const token = await forgeLogoutToken(logoutClaims(await loginOf(cookie)));
    await postLogoutToken(await forgeLogoutToken(logoutClaims({ sid: "grt_warm-up" })));
    await redis.stop();
    anotherInstance();
    expect((await postLogoutToken(token)).status).toBe(503);
    await redis.start();
    anotherInstance();
    await vi.waitFor(async () => expect((await postLogoutToken(token)).status).toBe(200), { timeout: 5_000, interval: 200 });
    expect((await page(cookie)).status).toBe(302);
  });
});

/** The client, with these commands answered by `answer` (given the key, and the real call). */
function withCommands(redis: Redis, commands: readonly ("get" | "set")[], answer: (key: string, call: () => Promise<unknown>) => Promise<unknown>): Redis {
  const answered = new Set<string>(commands);
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || !answered.has(property) || typeof value !== "function") return value;
      return (...args: unknown[]) => answer(String(args[0]), () => Reflect.apply(value, target, args) as Promise<unknown>);
    },
  });
}

/** Auth's refresh, answering `tokens` after `ms`, counting how often it was asked. */
function countedRefresh(tokens: TokenSet, ms: number) {
  let runs = 0;
  const run = async () => {
    runs += 1;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return tokens;
  };
  return { run, runs: () => runs };
}

/** Two instances refresh the same token, the second 50 ms after the first, with one Auth that answers `tokens` after `ms`. */
async function refreshFromTwo(
  first: ReturnType<typeof createRedisRefreshCoordinator>,
  second: ReturnType<typeof createRedisRefreshCoordinator>,
  refreshToken: string,
  tokens: TokenSet,
  ms: number,
) {
  const { run, runs } = countedRefresh(tokens, ms);
  const firstAnswer = first.refresh(refreshToken, run);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const answers = await Promise.all([firstAnswer, second.refresh(refreshToken, run)]);
  return { answers, runs: runs() };
}

describe("shared limits and refreshes", () => {
  it("counts a limit across instances", async () => {
    const a = createRedisRateLimiter(client());
    const b = createRedisRateLimiter(client());
    for (let hit = 0; hit < 5; hit++) expect((await a.hit("test:ip:1", 10, 60_000)).allowed).toBe(true);
    for (let hit = 0; hit < 5; hit++) expect((await b.hit("test:ip:1", 10, 60_000)).allowed).toBe(true);
    const refused = await a.hit("test:ip:1", 10, 60_000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterS).toBeGreaterThan(50);
  });

  it("allows when Redis is down (limits fail open)", async () => {
    await redis.stop();
    anotherInstance();
    expect((await getRateLimiter().hit("test:ip:2", 1, 60_000)).allowed).toBe(true);
    expect((await getRateLimiter().hit("test:ip:2", 1, 60_000)).allowed).toBe(true);
    await redis.start();
  });

  it("refreshes once for 20 concurrent requests spread over instances, and hands the result to late ones", async () => {
    const sealer = createSealer(["s".repeat(40)], "refresh-memo");
    const instances = [0, 1, 2].map(() => createRedisRefreshCoordinator(client(), sealer));
    const fresh: TokenSet = { accessToken: "new-access", refreshToken: "new-refresh", accessTokenExpiresAt: Date.now() + 300_000 };
    const { run, runs } = countedRefresh(fresh, 100);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % 3]?.refresh("old-refresh", run)));
    expect(runs()).toBe(1);
    expect(new Set(results.map((tokens) => tokens?.refreshToken))).toEqual(new Set(["new-refresh"]));
    expect(await instances[2]?.refresh("old-refresh", run)).toEqual(fresh);
    expect(runs()).toBe(1);
    const memo = (await admin.keys("nw:refresh:result:*"))[0] ?? "";
    expect(await admin.get(memo)).not.toContain("new-refresh");
  });

  it("waits out a slow Redis (a command timing out on a live connection) instead of refreshing without the lock", async () => {
    const sealer = createSealer(["s".repeat(40)], "refresh-memo");
    const holder = createRedisRefreshCoordinator(client(), sealer);
    const slowClient = client();
    await slowClient.ping();
    let timeouts = 3;
    // The same client, but its first three commands time out the way ioredis reports it.
    const slowRedis = withCommands(slowClient, ["get", "set"], (_key, call) => (timeouts-- > 0 ? Promise.reject(new Error("Command timed out")) : call()));
    const waiter = createRedisRefreshCoordinator(slowRedis, sealer);
    const fresh: TokenSet = { accessToken: "slow-access", refreshToken: "slow-refresh", accessTokenExpiresAt: Date.now() + 300_000 };
    const { answers, runs } = await refreshFromTwo(holder, waiter, "slow-old", fresh, 300);
    expect(answers).toEqual([fresh, fresh]);
    expect(timeouts).toBeLessThan(0);
    expect(runs).toBe(1);
  });

  it("keeps the lock until the new tokens are stored, when storing them times out once", async () => {
    const sealer = createSealer(["s".repeat(40)], "refresh-memo");
    let timeouts = 1;
    // The holder's first write of the result times out (and did not happen).
    const holder = createRedisRefreshCoordinator(
      withCommands(client(), ["set"], (key, call) => (key.startsWith("refresh:result:") && timeouts-- > 0 ? Promise.reject(new Error("Command timed out")) : call())),
      sealer,
    );
    const waiter = createRedisRefreshCoordinator(client(), sealer);
    const fresh: TokenSet = { accessToken: "stored-access", refreshToken: "stored-refresh", accessTokenExpiresAt: Date.now() + 300_000 };
    const { answers, runs } = await refreshFromTwo(holder, waiter, "store-old", fresh, 200);
    expect(answers).toEqual([fresh, fresh]);
    expect(timeouts).toBeLessThan(0);
    expect(runs).toBe(1);
  });

  it("looks for the new tokens once more after taking the lock: they may have landed just before", async () => {
    const sealer = createSealer(["s".repeat(40)], "refresh-memo");
    const holder = createRedisRefreshCoordinator(client(), sealer);
    const fresh: TokenSet = { accessToken: "late-access", refreshToken: "late-refresh", accessTokenExpiresAt: Date.now() + 300_000 };
    const { run, runs } = countedRefresh(fresh, 100);
    const first = holder.refresh("late-old", run);
    let stale = true;
    // The waiter's first look finds nothing, but is answered only after the holder
    // stored the tokens and let the lock go: the lock is free when it asks for it.
    const waiter = createRedisRefreshCoordinator(
      withCommands(client(), ["get"], async (key, call) => {
        if (!key.startsWith("refresh:result:") || !stale) return call();
        stale = false;
        await first;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return null;
      }),
      sealer,
    );
    expect(await waiter.refresh("late-old", run)).toEqual(fresh);
    expect(await first).toEqual(fresh);
    expect(runs()).toBe(1);
  });

  it("passes Auth's refusal through unchanged", async () => {
    const sealer = createSealer(["s".repeat(40)], "refresh-memo");
    const coordinator = createRedisRefreshCoordinator(client(), sealer);
    const refusal = Object.assign(new Error("invalid_grant"), { code: "invalid_grant" });
    await expect(coordinator.refresh("dead", () => Promise.reject(refusal))).rejects.toBe(refusal);
  });
});

it("session cookies of one instance are read by another through the same cookie header", async () => {
  useSettings({ REDIS_URL: redis.url, SESSION_STORE: "redis" });
  const cookie = await signInAs("grace");
  anotherInstance();
  const response = await page(cookie);
  expect(((await response.json()) as { customer: { data: { fullName: string } } }).customer.data.fullName).toBe("Grace Hopper");
  expect(cookieFrom(response)).toBe("");
});
