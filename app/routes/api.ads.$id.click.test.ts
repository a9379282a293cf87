import { http, HttpResponse } from "msw";
import { getAdsRuntime, resetAdsRuntime } from "~/ads/runtime.server";
import { resetEnvCache } from "~/env.server";
import { buildRequest, call, testContext } from "../../tests/support/remix";
import { signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { loader as adsLoader } from "./api.ads";
import { loader } from "./api.ads.$id.click";

interface PublicAd {
  id: string;
  clickUrl: string;
}

/** Ads as a partner page sees them, which also fills the cache the click route reads. */
async function servedAds(placement = "sidebar"): Promise<PublicAd[]> {
  const response = await call(adsLoader, buildRequest(`/api/ads?placement=${placement}`));
  return ((await response.json()) as { ads: PublicAd[] }).ads;
}

/** The ad's own click URL, as Ads has it (the stand-in's fat record). */
async function upstreamClickUrl(id: string): Promise<string> {
  const response = await fetch(`${standins.urls.ads}/ads?placement=sidebar`, { headers: { "x-api-key": "dev-ads-key" } });
  const { ads } = (await response.json()) as { ads: Array<{ id: string; click_url: string }> };
  const ad = ads.find((candidate) => candidate.id === id);
  if (!ad) throw new Error(`no ad ${id}`);
  return ad.click_url;
}

function click(path: string, init: { cookie?: string; ip?: string } = {}) {
  const url = new URL(path, "http://localhost:3000");
  const id = decodeURIComponent(url.pathname.split("/")[3] ?? "");
  return call(loader, buildRequest(path, { cookie: init.cookie }), {
    params: { id },
    context: testContext(init.ip ? { clientIp: init.ip } : {}),
  });
}

const adsCalls = () => standins.requests.filter((request) => request.service === "ads" && request.path === "/ads");

afterEach(() => {
  resetAdsRuntime();
  resetEnvCache();
});

describe("GET /api/ads/:id/click", () => {
  it("counts the click and redirects (302, not cached) to that ad's own click URL", async () => {
    const [ad] = await servedAds();
    if (!ad) throw new Error("no ad served");
    const response = await click(new URL(ad.clickUrl).pathname);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(await upstreamClickUrl(ad.id));
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await getAdsRuntime().clicks.count(ad.id)).toBe(1);
    await click(new URL(ad.clickUrl).pathname);
    expect(await getAdsRuntime().clicks.count(ad.id)).toBe(2);
  });

  it("cannot be pointed anywhere else by parameters", async () => {
    const [ad] = await servedAds();
    if (!ad) throw new Error("no ad served");
    const own = await upstreamClickUrl(ad.id);
    const path = new URL(ad.clickUrl).pathname;
    for (const query of [
      "?url=https://evil.example",
      "?redirect=https://evil.example&to=//evil.example",
      "?next=javascript:alert(1)",
      "?clickUrl=https%3A%2F%2Fevil.example&location=https://evil.example",
    ]) {
      const response = await click(path + query);
      expect(response.headers.get("location")).toBe(own);
    }
  });

  it.each([
    "/api/ads/ad_unknown0000/click",
    "/api/ads/https%3A%2F%2Fevil.example/click",
    "/api/ads/%2F%2Fevil.example/click",
    "/api/ads/ad_x%3Fto%3Dhttps%3A%2F%2Fevil.example/click",
    `/api/ads/${"a".repeat(65)}/click`,
    "/api/ads/%00/click",
  ])("answers an id it does not know (%s) with 404 and no redirect", async (path) => {
    await servedAds();
    const response = await click(path);
    expect(response.status).toBe(404);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toBe("This ad is no longer available.");
  });

  it("does not ask Ads again for each unknown id while its answers are fresh", async () => {
    await Promise.all(["sidebar", "banner", "inline"].map((placement) => servedAds(placement)));
    const before = adsCalls().length;
    for (let i = 0; i < 20; i += 1) expect((await click(`/api/ads/ad_nope${i}/click`)).status).toBe(404);
    expect(adsCalls().length).toBe(before);
  });

  it("finds an ad it has not served in this process (expired cache, another instance) by asking Ads", async () => {
    const [ad] = await servedAds("banner");
    if (!ad) throw new Error("no ad served");
    resetAdsRuntime();
    const response = await click(new URL(ad.clickUrl).pathname);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^https:\/\/[a-z-]+\.example\/offer\?/);
  });

  it("never redirects to a destination that is not http(s), even if one reached the cache", async () => {
    const runtime = getAdsRuntime();
    vi.spyOn(runtime.feed, "find").mockResolvedValue({
      id: "ad_poisoned",
      title: "t",
      body: "b",
      imageUrl: "https://cdn.example/a.png",
      imageWidth: 1,
      imageHeight: 1,
      clickUrl: "javascript:alert(document.cookie)",
      sponsor: "s",
    });
    const response = await click("/api/ads/ad_poisoned/click");
    expect(response.status).toBe(404);
    expect(response.headers.get("location")).toBeNull();
    expect(await runtime.clicks.count("ad_poisoned")).toBe(0);
  });

  it("is 404 when Ads is down and the ad is unknown", async () => {
    standins.use(http.get("*/ads", () => HttpResponse.json({}, { status: 503 })));
    expect((await click("/api/ads/ad_0123456789/click")).status).toBe(404);
  });

  it("neither reads nor sets a cookie", async () => {
    const [ad] = await servedAds();
    if (!ad) throw new Error("no ad served");
    const cookie = await signInAs("ada");
    const request = buildRequest(new URL(ad.clickUrl).pathname, { cookie });
    const read = vi.spyOn(request.headers, "get");
    const response = await call(loader, request, { params: { id: ad.id } });
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(read.mock.calls.map(([name]) => name.toLowerCase())).not.toContain("cookie");
  });

  it("still sends the visitor on over the rate limit, but stops counting", async () => {
    vi.stubEnv("ADS_RATE_LIMIT_PER_MIN", "2");
    resetEnvCache();
    const [ad] = await servedAds();
    if (!ad) throw new Error("no ad served");
    const path = new URL(ad.clickUrl).pathname;
    for (let i = 0; i < 4; i += 1) expect((await click(path, { ip: "198.51.100.9" })).status).toBe(302);
    expect(await getAdsRuntime().clicks.count(ad.id)).toBe(2);
  });
});
