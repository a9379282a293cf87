import { http, HttpResponse } from "msw";
import { loader as dashboardLoader } from "~/routes/dashboard";
import { loader as rootLoader } from "~/root";
import { buildRequest, call, cookieFrom, testContext } from "../../tests/support/remix";
import { readSession, rewriteSession, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { touchIntervalMs } from "./customer.server";
import { getSessionRuntime } from "./runtime.server";

const tokenCalls = () => standins.requests.filter((request) => request.path === "/oauth/token").length;
const dashboard = (cookie: string, context = testContext()) =>
  call(dashboardLoader, buildRequest("/dashboard", { cookie }), { context });

/** A signed-in cookie whose access token the app believes expires in 10 s: inside the refresh margin. */
async function nearExpiry() {
  const cookie = await signInAs("ada");
  const stale = await rewriteSession(cookie, (session) => {
    session.tokens.accessTokenExpiresAt = Date.now() + 10_000;
  });
  return { stale, before: tokenCalls(), original: await readSession(cookie) };
}

describe("requireCustomer", () => {
  it.each([
    // What a loader sees of single fetch's `/dashboard.data?tab=recent&_routes=…` (Remix takes `.data` off).
    ["/dashboard?tab=recent&_routes=root%2Croutes%2Fdashboard"],
    ["/dashboard?tab=recent&_data=routes%2Fdashboard"],
  ])("redirects a signed-out request to sign-in, coming back to the same page (%s)", async (path) => {
    const response = await call(dashboardLoader, buildRequest(path));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fdashboard%3Ftab%3Drecent");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("marks signed-in responses private and uncacheable", async () => {
    const response = await dashboard(await signInAs("ada"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("vary")).toContain("Cookie");
  });
});

describe("session lifetimes", () => {
  it("ends a session idle for longer than SESSION_IDLE_TIMEOUT_S, clearing the cookie", async () => {
    const idle = await rewriteSession(await signInAs("ada"), (session) => {
      session.lastSeenAt = Date.now() - getSessionRuntime().idleTimeoutMs - 1_000;
    });
    const response = await dashboard(idle);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login/);
    expect(response.headers.get("set-cookie")).toMatch(/^session=; Max-Age=0/);
  });

  it("ends a session older than SESSION_ABSOLUTE_TIMEOUT_S, however active", async () => {
    const old = await rewriteSession(await signInAs("ada"), (session) => {
      session.createdAt = Date.now() - getSessionRuntime().absoluteTimeoutMs - 1_000;
      session.lastSeenAt = Date.now();
    });
    expect((await dashboard(old)).status).toBe(302);
  });

  it("rolls the idle timeout: an active session's cookie is renewed (once a quarter of the idle timeout, at most a minute, has passed)", async () => {
    const cookie = await signInAs("ada");
    const fresh = await dashboard(cookie);
    expect(fresh.headers.get("set-cookie")).toBeNull();

    const twoMinutesAgo = Date.now() - 120_000;
    const quiet = await rewriteSession(cookie, (session) => {
      session.lastSeenAt = twoMinutesAgo;
    });
    const renewed = await dashboard(quiet);
    const session = await readSession(cookieFrom(renewed));
    expect(session?.lastSeenAt).toBeGreaterThan(twoMinutesAgo + 60_000);
    expect(session?.id).toBe((await readSession(cookie))?.id);
  });

  it("treats a tampered cookie as signed out and clears it, never a 500", async () => {
    const cookie = await signInAs("ada");
    const tampered = cookie.slice(0, 30) + (cookie[30] === "x" ? "y" : "x") + cookie.slice(31);
    const response = await dashboard(tampered);
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toMatch(/^session=; Max-Age=0/);
  });
});

describe("token refresh", () => {
  it("refreshes an access token near expiry and writes the new tokens back", async () => {
    const { stale, before, original } = await nearExpiry();
    const response = await dashboard(stale);
    expect(response.status).toBe(200);
    expect(tokenCalls() - before).toBe(1);
    const refreshed = await readSession(cookieFrom(response));
    expect(refreshed?.id).toBe(original?.id);
    expect(refreshed?.tokens.refreshToken).not.toBe(original?.tokens.refreshToken);
    expect(refreshed?.tokens.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 60_000);
  });

  it("shares one refresh between the parallel loaders of one navigation", async () => {
    const { stale, before } = await nearExpiry();
    const context = testContext();
    const request = buildRequest("/dashboard", { cookie: stale });
    const [root, page] = await Promise.all([
      call(rootLoader, request, { context }),
      call(dashboardLoader, request, { context }),
    ]);
    expect([root.status, page.status]).toEqual([200, 200]);
    expect(tokenCalls() - before).toBe(1);
    // The cookie change is written once for the whole response.
    expect([root, page].filter((response) => response.headers.get("set-cookie")).length).toBe(1);
  });

  it("shares one refresh between 20 concurrent requests of one browser", async () => {
    const { stale, before } = await nearExpiry();
    const responses = await Promise.all(Array.from({ length: 20 }, () => dashboard(stale)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(tokenCalls() - before).toBe(1);
    const sessions = await Promise.all(responses.map((response) => readSession(cookieFrom(response))));
    expect(new Set(sessions.map((session) => session?.tokens.refreshToken)).size).toBe(1);
  });

  it("gives a late request with the already-rotated token the new tokens instead of tripping reuse detection", async () => {
    const { stale, before } = await nearExpiry();
    const first = await dashboard(stale);
    const late = await dashboard(stale);
    expect(late.status).toBe(200);
    expect(tokenCalls() - before).toBe(1);
    expect((await readSession(cookieFrom(late)))?.tokens).toEqual((await readSession(cookieFrom(first)))?.tokens);
    // And the login is intact: the new refresh token still works upstream.
    const newest = await rewriteSession(cookieFrom(first), (session) => {
      session.tokens.accessTokenExpiresAt = Date.now();
    });
    expect((await dashboard(newest)).status).toBe(200);
  });

  it("ends the session with a message when Auth refuses the refresh token", async () => {
    const revoked = await rewriteSession(await signInAs("ada"), (session) => {
      session.tokens.accessTokenExpiresAt = Date.now() - 1_000;
      session.tokens.refreshToken = "not-a-refresh-token";
    });
    const response = await dashboard(revoked);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fdashboard&reason=expired");
    expect(response.headers.get("set-cookie")).toMatch(/^session=; Max-Age=0/);
    const session = await readSession(revoked);
    await expect(getSessionRuntime().revocations.isRevoked(session?.id ?? "")).resolves.toBe(true);
  });

  it("keeps the customer signed in when Auth is down, using the token while it lasts", async () => {
    const { stale } = await nearExpiry();
    standins.configure({ failureRate: { auth: 1 } });
    const response = await dashboard(stale);
    expect(response.status).toBe(200);
    expect((await response.json()).customer.data.fullName).toBe("Ada Lovelace");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("refreshes and retries once when an upstream says 401", async () => {
    const cookie = await signInAs("ada");
    const before = tokenCalls();
    let refused = false;
    standins.use(
      http.get("*/v1/users/me", () => {
        if (refused) return undefined;
        refused = true;
        return HttpResponse.json({ error: "invalid_token" }, { status: 401 });
      }),
    );
    const response = await dashboard(cookie);
    expect(response.status).toBe(200);
    expect(tokenCalls() - before).toBe(1);
    expect(response.headers.get("set-cookie")).toMatch(/^session=/);
  });
});

describe("touchIntervalMs", () => {
  it.each([
    [1_800_000, 60_000],
    [240_000, 60_000],
    [200_000, 50_000],
    [10_000, 2_500],
    [1_000, 250],
  ])("writes last-seen for a %i ms idle timeout once %i ms have passed: a quarter, at most a minute", (idle, interval) => {
    expect(touchIntervalMs(idle)).toBe(interval);
  });

  it("always leaves room for activity to keep a session alive: the interval is well under the idle timeout", () => {
    for (let idleS = 1; idleS <= 7_200; idleS += 7) expect(touchIntervalMs(idleS * 1000)).toBeLessThanOrEqual((idleS * 1000) / 4);
  });
});
