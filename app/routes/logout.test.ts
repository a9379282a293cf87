import { buildRequest, call, cookieFrom, testContext } from "../../tests/support/remix";
import { readSession, rewriteSession, signInAs } from "../../tests/support/session";
import { testServices } from "../../tests/support/services";
import { standins } from "../../tests/support/standins";
import { loader as dashboardLoader } from "./dashboard";
import { action, loader } from "./logout";

const dashboard = (cookie: string) => call(dashboardLoader, buildRequest("/dashboard", { cookie }));
const logout = (cookie: string) => call(action, buildRequest("/logout", { method: "POST", cookie }));

const authClient = () => testServices().auth;

describe("POST /logout", () => {
  it("clears the cookie, goes home, and revokes the refresh token at Auth", async () => {
    const cookie = await signInAs("ada");
    const { refreshToken } = (await readSession(cookie))?.tokens ?? { refreshToken: "" };
    const response = await logout(cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.get("set-cookie")).toMatch(/^session=; Max-Age=0/);
    expect(standins.requests.some((request) => request.path === "/oauth/revoke")).toBe(true);
    await expect(authClient().refresh(refreshToken)).rejects.toMatchObject({ code: "invalid_grant" });
  });

  it("refuses a replay of the old cookie afterwards", async () => {
    const cookie = await signInAs("ada");
    await logout(cookie);
    const replay = await dashboard(cookie);
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toBe("/login?redirectTo=%2Fdashboard&reason=ended");
  });

  it("signs out even when Auth cannot revoke, without waiting long", async () => {
    const cookie = await signInAs("ada");
    standins.configure({ latencyMs: { auth: 10_000 } });
    const started = performance.now();
    const response = await logout(cookie);
    expect(performance.now() - started).toBeLessThan(3_500);
    expect(response.status).toBe(302);
    expect((await dashboard(cookie)).status).toBe(302);
  });

  it("does not let a slow loader that finishes after sign-out bring the session back", async () => {
    // A session due for its rolling renewal, so the slow loader wants to set a cookie.
    const cookie = await rewriteSession(await signInAs("ada"), (session) => {
      session.lastSeenAt = Date.now() - 120_000;
    });
    standins.configure({ latencyMs: { users: 300 } });
    const slow = call(dashboardLoader, buildRequest("/dashboard", { cookie }), { context: testContext() });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await logout(cookie);
    const late = await slow;
    const lateCookie = cookieFrom(late);
    expect(late.headers.get("set-cookie")).toMatch(/^session=; Max-Age=0/);
    expect((await dashboard(lateCookie || cookie)).status).toBe(302);
  });

  it("is harmless without a session", async () => {
    const response = await logout("");
    expect(response.status).toBe(302);
    expect(standins.requests.some((request) => request.path === "/oauth/revoke")).toBe(false);
  });
});

describe("GET /logout", () => {
  it("does nothing but send the browser home", async () => {
    const cookie = await signInAs("ada");
    const response = await call(loader, buildRequest("/logout", { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect((await dashboard(cookie)).status).toBe(200);
  });
});
