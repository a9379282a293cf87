import { startCluster, type Cluster } from "../../scripts/cluster";
import { signInThrough } from "../support/cluster-sign-in";

/**
 * Back-channel logout across instances (nginx, Redis), in both session modes:
 * Auth's logout token reaches instance 1, and the browser's next request, on
 * instance 2, is signed out. Ports of its own, so it can run beside cluster.test.ts.
 */
describe.each([
  { sessionStore: "redis" as const, instances: 3, ports: { httpPort: 18280, httpsPort: 18643, appBasePort: 13401, redisPort: 16590 } },
  { sessionStore: "cookie" as const, instances: 2, ports: { httpPort: 18281, httpsPort: 18644, appBasePort: 13411, redisPort: 16591 } },
])("back-channel logout with SESSION_STORE=$sessionStore", ({ sessionStore, instances, ports }) => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster(Object.assign({ instances, sessionStore }, ports));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  const instance = (index: number) => `http://127.0.0.1:${cluster.instancePorts[index]}`;

  async function signIn(email?: string, password?: string) {
    const { response, cookie } = await signInThrough(cluster.httpUrl, email, password);
    expect(response.status).toBe(302);
    return cookie;
  }

  const profileOn = (index: number, cookie: string) => fetch(`${instance(index)}/profile`, { headers: { cookie }, redirect: "manual" });

  it("a logout token delivered by Auth to instance 1 signs the browser out on instance 2 at once", async () => {
    const ada = [await signIn(), await signIn()];
    const grace = await signIn("grace@example.com", "Cobol-1959-Compiler");
    expect((await profileOn(1, ada[0] ?? "")).status).toBe(200);
    cluster.standins.setBackchannelLogoutUrl(`${instance(0)}/auth/backchannel-logout`);
    const ended = await fetch(`${cluster.standins.urls.auth}/dev/users/ada%40example.com/logout`, { method: "POST" });
    expect(ended.status).toBe(202);
    // Auth answered after its deliveries were answered: instance 1 took them.
    const { deliveries } = (await (await fetch(`${cluster.standins.urls.auth}/dev/backchannel`)).json()) as { deliveries: { url: string; status: number }[] };
    expect(deliveries.slice(0, 2)).toEqual([
      expect.objectContaining({ url: `${instance(0)}/auth/backchannel-logout`, status: 200 }),
      expect.objectContaining({ url: `${instance(0)}/auth/backchannel-logout`, status: 200 }),
    ]);
    for (const cookie of ada) {
      const after = await profileOn(1, cookie);
      expect(after.status).toBe(302);
      expect(after.headers.get("location")).toBe("/login?redirectTo=%2Fprofile&reason=ended");
      await after.text();
    }
    expect((await profileOn(1, grace)).status).toBe(200);
  }, 30_000);

  it("a token replayed to another instance is refused", async () => {
    const cookie = await signIn("grace@example.com", "Cobol-1959-Compiler");
    cluster.standins.setBackchannelLogoutUrl(`${instance(0)}/auth/backchannel-logout`);
    await fetch(`${cluster.standins.urls.auth}/dev/users/grace%40example.com/logout`, { method: "POST" });
    const { deliveries } = (await (await fetch(`${cluster.standins.urls.auth}/dev/backchannel`)).json()) as { deliveries: { logoutToken: string }[] };
    const replay = await fetch(`${instance(1)}/auth/backchannel-logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ logout_token: deliveries[0]?.logoutToken ?? "" }),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: "invalid_request" });
    expect((await profileOn(1, cookie)).status).toBe(302);
  }, 30_000);
});
