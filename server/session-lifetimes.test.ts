import { startRedis, type TestRedis } from "../tests/support/redis";
import { DEMO } from "../tests/support/session";
import { launchServer, type RunningServer } from "./test-server";

/**
 * Session lifetimes in real time, through the real server (issue 14): with a
 * 10 s idle timeout, a customer active every 2 s stays signed in until the 25 s
 * absolute timeout, and one idle for over 10 s is signed out; in both session
 * stores.
 */
const IDLE_S = 10;
const ABSOLUTE_S = 25;
const TIMEOUTS = { SESSION_IDLE_TIMEOUT_S: String(IDLE_S), SESSION_ABSOLUTE_TIMEOUT_S: String(ABSOLUTE_S) };

let redis: TestRedis;
const servers: Record<"cookie" | "redis", RunningServer | undefined> = { cookie: undefined, redis: undefined };

beforeAll(async () => {
  redis = await startRedis();
  [servers.cookie, servers.redis] = await Promise.all([
    launchServer(TIMEOUTS),
    launchServer({ ...TIMEOUTS, SESSION_STORE: "redis", REDIS_URL: redis.url }),
  ]);
}, 90_000);

afterAll(async () => {
  servers.cookie?.child.kill("SIGTERM");
  servers.redis?.child.kill("SIGTERM");
  await redis?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A browser's cookie for one customer: signs in, then keeps whatever the server sets. */
async function customer(base: string) {
  const signedInAt = Date.now();
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ email: DEMO.ada.email, password: DEMO.ada.password }),
  });
  expect(response.status).toBe(302);
  let cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
  return {
    signedInAt,
    /** Loads /profile: true while signed in, false once sent to sign in. */
    async load(): Promise<boolean> {
      const page = await fetch(`${base}/profile`, { redirect: "manual", headers: { cookie } });
      await page.arrayBuffer();
      const set = page.headers.get("set-cookie");
      if (set) cookie = set.split(";")[0] ?? "";
      if (page.status === 200) return true;
      expect(page.status).toBe(302);
      expect(page.headers.get("location")).toMatch(/^\/login/);
      return false;
    },
  };
}

/** Loads a page every 2 s until signed out; the seconds since sign-in of the last page served and of the sign-out. */
async function activeUntilSignedOut(base: string) {
  const browser = await customer(base);
  let lastServedS = 0;
  while (Date.now() - browser.signedInAt < (ABSOLUTE_S + 10) * 1000) {
    const at = (Date.now() - browser.signedInAt) / 1000;
    if (!(await browser.load())) return { lastServedS, signedOutS: at };
    lastServedS = at;
    await pause(2_000);
  }
  return { lastServedS, signedOutS: Infinity };
}

async function idleOnce(base: string) {
  const browser = await customer(base);
  expect(await browser.load()).toBe(true);
  await pause((IDLE_S + 1.5) * 1000);
  return browser.load();
}

describe("a 10 s idle timeout and a 25 s absolute one", () => {
  // Both stores at once: each takes the absolute timeout's half minute.
  it.concurrent.each(["cookie", "redis"] as const)("keep an active customer signed in until the absolute timeout, and sign out an idle one, with %s sessions", async (store) => {
    const base = servers[store]?.base ?? "";
    const [active, idleStillSignedIn] = await Promise.all([activeUntilSignedOut(base), idleOnce(base)]);
    expect(idleStillSignedIn).toBe(false);
    // Well past the idle timeout (the bug signed out at about 12 s)…
    expect(active.lastServedS).toBeGreaterThan(ABSOLUTE_S - 3);
    // …and out once the absolute timeout has passed.
    expect(active.signedOutS).toBeGreaterThanOrEqual(ABSOLUTE_S);
    expect(active.signedOutS).toBeLessThan(ABSOLUTE_S + 6);
  }, 60_000);
});
