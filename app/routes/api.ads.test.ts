import { http, HttpResponse } from "msw";
import { resetAdsRuntime } from "~/ads/runtime.server";
import { resetEnvCache } from "~/env.server";
import { buildRequest, call, testContext } from "../../tests/support/remix";
import { signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { action, loader } from "./api.ads";

// tests/support/setup.ts allows https://partner.example.
const PARTNER = "https://partner.example";
const PUBLIC_FIELDS = ["body", "clickUrl", "id", "imageUrl", "sponsor", "title"];

interface PublicAds {
  ads: Array<Record<string, unknown>>;
}

function getAds(query = "?placement=sidebar", init: { headers?: Record<string, string>; cookie?: string; ip?: string } = {}) {
  const request = buildRequest(`/api/ads${query}`, { headers: init.headers, cookie: init.cookie });
  return call(loader, request, { context: testContext(init.ip ? { clientIp: init.ip } : {}) });
}

function preflight(origin: string, headers: Record<string, string> = {}) {
  const request = buildRequest("/api/ads?placement=sidebar", {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "GET", ...headers },
  });
  return call(loader, request);
}

const adsCalls = () => standins.requests.filter((request) => request.service === "ads" && request.path === "/ads");

function useSettings(settings: Record<string, string>) {
  for (const [name, value] of Object.entries(settings)) vi.stubEnv(name, value);
  resetEnvCache();
}

afterEach(() => {
  resetAdsRuntime();
  resetEnvCache();
  vi.useRealTimers();
});

describe("GET /api/ads: the public shape", () => {
  it("returns only the six public fields per ad, with clicks through our click route", async () => {
    const response = await getAds("?placement=banner");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await response.json()) as PublicAds;
    expect(Object.keys(body)).toEqual(["ads"]);
    expect(body.ads.length).toBeGreaterThan(0);
    for (const ad of body.ads) {
      expect(Object.keys(ad).sort()).toEqual(PUBLIC_FIELDS);
      expect(ad.clickUrl).toBe(`http://localhost:3000/api/ads/${String(ad.id)}/click`);
      expect(ad.imageUrl).toMatch(/^(https:|data:image\/)/);
    }
  });

  it("leaks no campaign, targeting, scoring, tracking or advertiser data", async () => {
    const text = await (await getAds("?placement=sidebar")).text();
    for (const secret of [
      "campaign", "cmp_", "budget", "cpm", "advertiser", "adv_", "targeting", "segments", "geo", "age_range",
      "scoring", "score", "bid", "ctr", "model_version", "tracking", "impression", "internal", "margin",
      "utm_", "harbor-savings.example", "placement", "cta_label",
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it("asks Ads contextually: the API key, the placement, and no segment", async () => {
    await getAds("?placement=inline");
    const [upstream] = adsCalls();
    expect(upstream?.url).toBe("/ads?placement=inline");
    expect(upstream?.headers["x-api-key"]).toBe("dev-ads-key");
  });

  it("neither reads nor sets a cookie, even when a signed-in customer's cookie comes along", async () => {
    const cookie = await signInAs("ada");
    const request = buildRequest("/api/ads?placement=sidebar", { cookie, headers: { origin: PARTNER } });
    const read = vi.spyOn(request.headers, "get");
    const has = vi.spyOn(request.headers, "has");
    const response = await call(loader, request);
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("cache-control")).toMatch(/^public/);
    expect(response.headers.get("vary") ?? "").not.toMatch(/cookie/i);
    expect([...read.mock.calls, ...has.mock.calls].map(([name]) => name.toLowerCase())).not.toContain("cookie");
    const anonymous = await getAds("?placement=sidebar", { headers: { origin: PARTNER } });
    expect(await response.text()).toBe(await anonymous.text());
  });
});

describe("GET /api/ads: bad queries", () => {
  it.each([
    ["", "invalid_placement", /placement is required/],
    ["?placement=", "invalid_placement", /must be one of sidebar, banner, inline/],
    ["?placement=footer", "invalid_placement", /must be one of sidebar, banner, inline/],
    ["?placement=SIDEBAR", "invalid_placement", /must be one of/],
    ["?placement=sidebar&placement=banner", "invalid_placement", /once/],
    ["?placement=sidebar&placement=sidebar", "invalid_placement", /once/],
    ["?placement=sidebar&segment=savers", "invalid_query", /"segment".*never personalised/],
    ["?placement=sidebar&userId=u1", "invalid_query", /Unknown query parameter "userId"/],
    ["?Placement=sidebar", "invalid_query", /"Placement"/],
    ["?placement=sidebar&__proto__=x", "invalid_query", /"__proto__"/],
  ])("answers %j with 400 %s and a clear message, without calling Ads", async (query, error, message) => {
    const response = await getAds(query, { headers: { origin: PARTNER } });
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER);
    const body = (await response.json()) as { error: string; message: string };
    expect(Object.keys(body).sort()).toEqual(["error", "message"]);
    expect(body.error).toBe(error);
    expect(body.message).toMatch(message);
    expect(adsCalls()).toHaveLength(0);
  });

  it("answers other methods with 405 naming the ones it takes", async () => {
    const response = await call(action, buildRequest("/api/ads?placement=sidebar", { method: "POST" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await response.json()).toMatchObject({ error: "method_not_allowed" });
  });
});

describe("GET /api/ads: CORS", () => {
  it("echoes an allowed origin, varies on Origin, and never allows credentials", async () => {
    const response = await getAds("?placement=sidebar", { headers: { origin: PARTNER } });
    expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(response.headers.get("vary")).toBe("Origin");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("gives a disallowed origin the data but no CORS headers (the browser blocks it), still varying on Origin", async () => {
    const response = await getAds("?placement=sidebar", { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("serves callers without an Origin (servers, curl) with no CORS headers", async () => {
    const response = await getAds();
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("matches origins exactly: scheme, host and port", async () => {
    for (const origin of ["http://partner.example", "https://partner.example:8443", "https://sub.partner.example", "null"]) {
      const response = await getAds("?placement=sidebar", { headers: { origin } });
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("normalises configured origins", async () => {
    useSettings({ ADS_ALLOWED_ORIGINS: "HTTPS://Partner.Example/, https://other.example" });
    for (const origin of [PARTNER, "https://other.example"]) {
      const response = await getAds("?placement=sidebar", { headers: { origin } });
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    }
    const sandboxed = await getAds("?placement=sidebar", { headers: { origin: "null" } });
    expect(sandboxed.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers everyone with * when ADS_ALLOWED_ORIGINS is *, without Vary and without credentials", async () => {
    useSettings({ ADS_ALLOWED_ORIGINS: "*" });
    for (const headers of [{ origin: "https://anyone.example" }, {}] as Array<Record<string, string>>) {
      const response = await getAds("?placement=sidebar", { headers });
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("vary")).toBeNull();
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("answers an allowed preflight with 204, GET/HEAD and a max age, without calling Ads or counting", async () => {
    const response = await preflight(PARTNER);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, HEAD");
    expect(response.headers.get("access-control-max-age")).toBe("600");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toBe("Origin");
    expect(adsCalls()).toHaveLength(0);
  });

  it("answers a preflight from a disallowed origin, or for another method or extra headers, without CORS headers", async () => {
    const refused = [
      await preflight("https://evil.example"),
      await preflight(PARTNER, { "access-control-request-method": "POST" }),
      await preflight(PARTNER, { "access-control-request-headers": "x-custom" }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(403);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-methods")).toBeNull();
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      expect(await response.json()).toMatchObject({ error: "origin_not_allowed" });
    }
  });

  it("allows any origin's preflight with *", async () => {
    useSettings({ ADS_ALLOWED_ORIGINS: "*" });
    const response = await preflight("https://anyone.example");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("answers a plain OPTIONS (not a preflight) with 204 and Allow", async () => {
    const response = await call(loader, buildRequest("/api/ads", { method: "OPTIONS", headers: { origin: PARTNER } }));
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("puts CORS headers on errors too, so partner scripts can read them", async () => {
    const response = await getAds("?placement=nope", { headers: { origin: PARTNER } });
    expect(response.status).toBe(400);
    expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER);
  });
});

describe("GET /api/ads: caching", () => {
  it("is publicly cacheable with a strong ETag, and answers a matching If-None-Match with 304", async () => {
    const first = await getAds("?placement=sidebar", { headers: { origin: PARTNER } });
    expect(first.headers.get("cache-control")).toBe("public, max-age=30, stale-while-revalidate=30, stale-if-error=600");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const again = await getAds("?placement=sidebar", { headers: { origin: PARTNER, "if-none-match": ifNoneMatch } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("cache-control")).toMatch(/^public/);
      expect(again.headers.get("access-control-allow-origin")).toBe(PARTNER);
    }
    const changed = await getAds("?placement=sidebar", { headers: { "if-none-match": '"not-it"' } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).toBe(etag);
  });

  it("gives each placement its own body and ETag", async () => {
    const sidebar = await getAds("?placement=sidebar");
    const banner = await getAds("?placement=banner");
    expect(sidebar.headers.get("etag")).not.toBe(banner.headers.get("etag"));
  });

  it("calls Ads once per placement while the answer is fresh", async () => {
    for (let i = 0; i < 5; i += 1) await getAds("?placement=sidebar");
    await getAds("?placement=banner");
    expect(adsCalls().map((request) => request.url)).toEqual(["/ads?placement=sidebar", "/ads?placement=banner"]);
  });

  it("asks Ads again once the answer is 30 s old", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await getAds();
    vi.setSystemTime(Date.now() + 29_000);
    await getAds();
    expect(adsCalls()).toHaveLength(1);
    vi.setSystemTime(Date.now() + 2_000);
    await getAds();
    expect(adsCalls()).toHaveLength(2);
  });

  it("coalesces 1,000 concurrent requests into one upstream call", async () => {
    standins.configure({ latencyMs: { ads: 100 } });
    const responses = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => getAds("?placement=sidebar", { ip: `10.0.${i >> 8}.${i & 255}` })),
    );
    expect(responses.every((response) => response.status === 200)).toBe(true);
    expect(new Set(responses.map((response) => response.headers.get("etag"))).size).toBe(1);
    expect(adsCalls()).toHaveLength(1);
  });
});

describe("GET /api/ads: when Ads fails", () => {
  it("serves the last good answer, marked stale, for up to 10 minutes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const good = await (await getAds()).text();
    standins.configure({ failureRate: { ads: 1 } });
    vi.setSystemTime(Date.now() + 60_000);

    const stale = await getAds();
    expect(stale.status).toBe(200);
    expect(stale.headers.get("x-ads-stale")).toBe("1");
    expect(stale.headers.get("cache-control")).toBe("public, max-age=5");
    expect(await stale.text()).toBe(good);
    expect(adsCalls()).toHaveLength(2);

    // Ads is left alone for a few seconds after a failure: no call per request.
    expect((await getAds()).status).toBe(200);
    expect(adsCalls()).toHaveLength(2);

    vi.setSystemTime(Date.now() + 8 * 60_000); // 9 minutes after the good answer
    const late = await getAds();
    expect(late.status).toBe(200);
    expect(late.headers.get("x-ads-stale")).toBe("1");
  });

  it("answers 503 with Retry-After once the last good answer is older than 10 minutes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await getAds();
    standins.configure({ failureRate: { ads: 1 } });
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1_000);
    const response = await getAds("?placement=sidebar", { headers: { origin: PARTNER } });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(await response.json()).toEqual({ error: "ads_unavailable", message: expect.stringMatching(/try again/i) });
  });

  it("answers 503 with Retry-After when there was never a good answer", async () => {
    standins.use(http.get("*/ads", () => HttpResponse.json({ error: "boom" }, { status: 500 })));
    const response = await getAds();
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("drops an ad that breaks the contract (e.g. a javascript: click URL), never serving it", async () => {
    standins.use(
      http.get("*/ads", () =>
        HttpResponse.json({
          ads: [{ id: "ad_evil", creative: { headline: "h", body: "b", image: { url: "https://cdn.example/a.png", width: 1, height: 1 } }, click_url: "javascript:alert(1)", sponsor_name: "s" }],
        }),
      ),
    );
    const response = await getAds();
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ ads: [] });
    expect(body).not.toContain("javascript");
  });

  it("is back to fresh answers once Ads recovers", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    await getAds();
    standins.configure({ failureRate: { ads: 1 } });
    vi.setSystemTime(Date.now() + 31_000);
    expect((await getAds()).headers.get("x-ads-stale")).toBe("1");
    standins.configure({ failureRate: { ads: 0 } });
    vi.setSystemTime(Date.now() + 6_000);
    const fresh = await getAds();
    expect(fresh.headers.get("x-ads-stale")).toBeNull();
    expect(fresh.headers.get("cache-control")).toMatch(/max-age=30/);
  });
});

describe("GET /api/ads: rate limit", () => {
  it("answers 429 with Retry-After over ADS_RATE_LIMIT_PER_MIN per client IP, and other IPs go on", async () => {
    useSettings({ ADS_RATE_LIMIT_PER_MIN: "3" });
    for (let i = 0; i < 3; i += 1) expect((await getAds("?placement=sidebar", { ip: "198.51.100.1" })).status).toBe(200);
    const limited = await getAds("?placement=sidebar", { ip: "198.51.100.1", headers: { origin: PARTNER } });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("access-control-allow-origin")).toBe(PARTNER);
    expect(await limited.json()).toMatchObject({ error: "rate_limited" });
    expect((await getAds("?placement=sidebar", { ip: "198.51.100.2" })).status).toBe(200);
  });

  it("counts bad queries too, and starts again after a minute", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    useSettings({ ADS_RATE_LIMIT_PER_MIN: "2" });
    await getAds("?placement=nope");
    await getAds("?placement=nope");
    expect((await getAds()).status).toBe(429);
    vi.setSystemTime(Date.now() + 60_000);
    expect((await getAds()).status).toBe(200);
  });
});
