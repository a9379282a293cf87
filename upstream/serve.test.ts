import { request as httpRequest, Agent } from "node:http";
import { createServer } from "node:net";
import { http, HttpResponse } from "msw";
import { startStandins } from "./serve";
import { ADA, TEST_ADS_KEY, TEST_CLIENT, bearer, getMe, login, postJson, startTestStandins, type TestStandins } from "./test-support";
import { SERVICE_NAMES } from "./types";

let standins: TestStandins;

beforeAll(async () => {
  standins = await startTestStandins();
});
afterEach(() => standins.restore());
afterAll(() => standins.close());

async function timed(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

describe("latency injection", () => {
  it("delays every route of the configured service by at least the configured time", async () => {
    standins.configure({ latencyMs: { users: 150 } });
    const slow = await timed(`${standins.urls.users}/health`);
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(148); // timers may fire a hair early
    const slowMe = await timed(`${standins.urls.users}/v1/users/me`);
    expect(slowMe.status).toBe(401);
    expect(slowMe.ms).toBeGreaterThanOrEqual(148);
    const fast = await timed(`${standins.urls.payments}/health`);
    expect(fast.ms).toBeLessThan(150);
  });

  it("comes from the options and reset() restores them", async () => {
    const slow = await startTestStandins({ latencyMs: { ads: 120 } });
    try {
      expect((await timed(`${slow.urls.ads}/health`)).ms).toBeGreaterThanOrEqual(118);
      slow.configure({ latencyMs: {} });
      expect((await timed(`${slow.urls.ads}/health`)).ms).toBeLessThan(120);
      slow.reset();
      expect((await timed(`${slow.urls.ads}/health`)).ms).toBeGreaterThanOrEqual(118);
    } finally {
      await slow.close();
    }
  });
});

describe("failure injection", () => {
  it("rate 1 answers every request of that service with 503 service_unavailable", async () => {
    standins.configure({ failureRate: { transactions: 1 } });
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${standins.urls.transactions}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: "service_unavailable" });
    }
    expect((await fetch(`${standins.urls.users}/health`)).status).toBe(200);
  });

  it("fails when random() is below the rate, with the injected random", async () => {
    standins.configure({ failureRate: { payments: 0.2 } });
    standins.dice.value = 0.19;
    expect((await fetch(`${standins.urls.payments}/health`)).status).toBe(503);
    standins.dice.value = 0.2;
    expect((await fetch(`${standins.urls.payments}/health`)).status).toBe(200);
  });

  it("a failed POST leaves the connection usable and changes nothing", async () => {
    const { access_token } = await login(standins);
    standins.configure({ failureRate: { payments: 1 } });
    const body = { creditorIban: "DE89370400440532013000", creditorName: "B", amount: "1.00", currency: "EUR", remittanceInfo: "" };
    const failed = await postJson(`${standins.urls.payments}/v2/payments`, body, { ...bearer(access_token), "idempotency-key": "k" });
    expect(failed.status).toBe(503);
    standins.configure({ failureRate: {} });
    const ok = await postJson(`${standins.urls.payments}/v2/payments`, body, { ...bearer(access_token), "idempotency-key": "k" });
    expect(ok.status).toBe(201);
  });

  it("rejects invalid injection values", () => {
    expect(() => standins.configure({ failureRate: { users: 1.5 } })).toThrow(/failureRate\.users/);
    expect(() => standins.configure({ latencyMs: { users: -1 } })).toThrow(/latencyMs\.users/);
  });
});

describe("use() and resetHandlers()", () => {
  it("an override answers before the base handler, until resetHandlers()", async () => {
    standins.use(http.get("*/v1/users/me", () => HttpResponse.json({ overridden: true })));
    const overridden = await fetch(`${standins.urls.users}/v1/users/me`);
    expect(overridden.status).toBe(200);
    expect(await overridden.json()).toEqual({ overridden: true });
    standins.resetHandlers();
    expect((await fetch(`${standins.urls.users}/v1/users/me`)).status).toBe(401);
  });

  it("overrides apply on every service, the newest first", async () => {
    standins.use(http.get("*/health", () => HttpResponse.json({ status: "older" }, { status: 500 })));
    standins.use(http.get("*/health", () => HttpResponse.json({ status: "newer" }, { status: 500 })));
    for (const service of SERVICE_NAMES) {
      const response = await fetch(`${standins.urls[service]}/health`);
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ status: "newer" });
    }
  });

  it("an override for one service's origin leaves the others alone", async () => {
    standins.use(http.get(`${standins.urls.payments}/health`, () => new HttpResponse(null, { status: 500 })));
    expect((await fetch(`${standins.urls.payments}/health`)).status).toBe(500);
    expect((await fetch(`${standins.urls.users}/health`)).status).toBe(200);
  });

  it("an override that passes (returns nothing) falls through to the base handlers", async () => {
    let seen = 0;
    standins.use(
      http.get("*/health", () => {
        seen += 1;
      }),
    );
    expect((await fetch(`${standins.urls.ads}/health`)).status).toBe(200);
    expect(seen).toBe(1);
  });

  it("carries headers, several Set-Cookie included, and status text back", async () => {
    standins.use(
      http.get("*/custom", () => {
        const headers = new Headers({ "x-custom": "yes" });
        headers.append("set-cookie", "a=1");
        headers.append("set-cookie", "b=2");
        return HttpResponse.text("hello", { status: 418, headers });
      }),
    );
    const response = await fetch(`${standins.urls.ads}/custom`);
    expect(response.status).toBe(418);
    expect(response.headers.get("x-custom")).toBe("yes");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.text()).toBe("hello");
  });

  it("hands the request body, method, query and headers to the handlers intact", async () => {
    standins.use(
      http.put("*/echo", async ({ request }) =>
        HttpResponse.json({
          method: request.method,
          url: request.url,
          header: request.headers.get("x-thing"),
          body: await request.text(),
        }),
      ),
    );
    const payload = "é".repeat(100_000); // multi-chunk, multi-byte
    const response = await fetch(`${standins.urls.users}/echo?a=1&b=%20`, {
      method: "PUT",
      headers: { "x-thing": "42" },
      body: payload,
    });
    expect(await response.json()).toEqual({
      method: "PUT",
      url: `${standins.urls.users}/echo?a=1&b=%20`,
      header: "42",
      body: payload,
    });
  });
});

describe("errors", () => {
  it("answers an unknown route or method with 404 {error: not_found}", async () => {
    for (const [url, method] of [
      [`${standins.urls.users}/nope`, "GET"],
      [`${standins.urls.auth}/oauth/token`, "GET"],
      [`${standins.urls.ads}/v1/users/me`, "GET"],
    ] as const) {
      const response = await fetch(url, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "not_found" });
    }
  });

  it("answers a throwing handler with 500 JSON, without the error's text or stack", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    standins.use(
      http.get("*/boom", () => {
        throw new Error("internal detail at /secret/path.ts:1");
      }),
    );
    const response = await fetch(`${standins.urls.payments}/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "internal_error" });
    expect(text).not.toContain("secret");
    expect(log).toHaveBeenCalledOnce();
  });
});

describe("reset()", () => {
  it("puts balances, transactions, logins and handlers back", async () => {
    const { access_token } = await login(standins);
    const paid = await postJson(
      `${standins.urls.payments}/v2/payments`,
      { creditorIban: "DE89370400440532013000", creditorName: "B", amount: "10.00", currency: "EUR", remittanceInfo: "" },
      { ...bearer(access_token), "idempotency-key": "k" },
    );
    expect(paid.status).toBe(201);
    standins.use(http.get("*/health", () => new HttpResponse(null, { status: 500 })));
    standins.configure({ failureRate: { ads: 1 } });

    standins.reset();

    expect(standins.requests).toEqual([]);
    expect((await fetch(`${standins.urls.users}/health`)).status).toBe(200);
    expect((await fetch(`${standins.urls.ads}/health`)).status).toBe(200);
    expect((await getMe(standins, access_token)).status).toBe(401); // logins are forgotten
    const fresh = await login(standins);
    const account = (await (
      await fetch(`${standins.urls.payments}/v2/accounts/current`, { headers: bearer(fresh.access_token) })
    ).json()) as { availableBalance: string };
    expect(account.availableBalance).toBe("12345.67");
    const list = (await (
      await fetch(`${standins.urls.transactions}/transactions?limit=100`, { headers: bearer(fresh.access_token) })
    ).json()) as { data: { items: unknown[] } };
    expect(list.data.items).toHaveLength(60);
    // The idempotency key is free again.
    const again = await postJson(
      `${standins.urls.payments}/v2/payments`,
      { creditorIban: "DE89370400440532013000", creditorName: "B", amount: "10.00", currency: "EUR", remittanceInfo: "" },
      { ...bearer(fresh.access_token), "idempotency-key": "k" },
    );
    expect(again.status).toBe(201);
  });

  it("clears the outbox", async () => {
    await postJson(`${standins.urls.auth}/passwordless/start`, { email: ADA.email });
    expect(standins.outbox(ADA.email)).toHaveLength(1);
    standins.reset();
    expect(standins.outbox(ADA.email)).toEqual([]);
  });
});

describe("the request log", () => {
  it("records service, method, path, url and headers of what reached each service", async () => {
    const { access_token } = await login(standins);
    await fetch(`${standins.urls.transactions}/transactions?limit=5`, { headers: bearer(access_token) });
    await fetch(`${standins.urls.ads}/ads?placement=banner`, { headers: { "x-api-key": TEST_ADS_KEY } });
    expect(standins.requests.map(({ service, method, path, url }) => ({ service, method, path, url }))).toEqual([
      { service: "auth", method: "POST", path: "/oauth/token", url: "/oauth/token" },
      { service: "transactions", method: "GET", path: "/transactions", url: "/transactions?limit=5" },
      { service: "ads", method: "GET", path: "/ads", url: "/ads?placement=banner" },
    ]);
    expect(standins.requests[1]?.headers.authorization).toBe(`Bearer ${access_token}`);
    expect(standins.requests[2]?.headers["x-api-key"]).toBe(TEST_ADS_KEY);
  });

  it("records requests that injection then fails", async () => {
    standins.configure({ failureRate: { users: 1 } });
    await fetch(`${standins.urls.users}/health`);
    expect(standins.requests).toHaveLength(1);
    expect(standins.requests[0]?.service).toBe("users");
  });

  it("stays bounded", async () => {
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(Array.from({ length: 200 }, () => fetch(`${standins.urls.ads}/health`).then((r) => r.arrayBuffer())));
    }
    expect(standins.requests.length).toBeGreaterThanOrEqual(1000);
    expect(standins.requests.length).toBeLessThan(2000);
  }, 30_000);
});

describe("servers", () => {
  it("keep connections alive between requests", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<boolean>((resolve, reject) => {
        const req = httpRequest(`${standins.urls.users}/health`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(req.reusedSocket));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      expect(await get()).toBe(false);
      expect(await get()).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it("listen on the given ports and say so in urls", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const fixed = await startTestStandins({ ports: { users: port } });
    try {
      expect(fixed.urls.users).toBe(`http://127.0.0.1:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      // The port is taken now: a second set fails with a message naming the service, and leaks nothing.
      await expect(startTestStandins({ ports: { users: port } })).rejects.toThrow(/users.*127\.0\.0\.1:\d+/);
    } finally {
      await fixed.close();
    }
  });

  it("close() closes every server, idle keep-alive sockets included, and can be called twice", async () => {
    const closing = await startTestStandins();
    const { access_token } = await login(closing); // leaves an idle keep-alive socket
    expect((await getMe(closing, access_token)).status).toBe(200);
    await closing.close();
    await closing.close();
    for (const service of SERVICE_NAMES) await expect(fetch(`${closing.urls[service]}/health`)).rejects.toThrow();
  });

  it("refuse to start without credentials", async () => {
    await expect(startStandins({ ...TEST_CLIENT, adsApiKey: "" })).rejects.toThrow(/adsApiKey/);
    await expect(startStandins({ ...TEST_CLIENT, adsApiKey: "k", failureRate: { users: 3 } })).rejects.toThrow(/failureRate/);
  });
});
