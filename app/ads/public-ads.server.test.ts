import type { Ad } from "../../types/domain";
import { clickPath, publicOrigin, toPublicAds } from "./public-ads.server";

describe("public ads", () => {
  it("keeps the six public fields, whatever else an Ad carries", () => {
    const fat = {
      id: "ad_1",
      title: "t",
      body: "b",
      imageUrl: "https://cdn.example/a.png",
      imageWidth: 300,
      imageHeight: 250,
      clickUrl: "https://advertiser.example/offer",
      sponsor: "s",
      campaign: { budget_cents: 1 },
    } satisfies Ad & { campaign: unknown };
    expect(toPublicAds([fat], "https://bank.example")).toEqual({
      ads: [{ id: "ad_1", title: "t", body: "b", imageUrl: "https://cdn.example/a.png", clickUrl: "https://bank.example/api/ads/ad_1/click", sponsor: "s" }],
    });
  });

  it("encodes the id in the click path", () => {
    expect(clickPath("a/b?c")).toBe("/api/ads/a%2Fb%3Fc/click");
  });

  it("builds click URLs from the Host header unless a proxy is trusted", () => {
    // @remix-run/express takes the port from X-Forwarded-Host into request.url even without trust.
    const request = new Request("http://bank.example:6666/api/ads", { headers: { host: "bank.example" } });
    expect(publicOrigin(request, false)).toBe("http://bank.example");
    expect(publicOrigin(request, true)).toBe("http://bank.example:6666");
    expect(publicOrigin(new Request("https://bank.example/api/ads"), false)).toBe("https://bank.example");
    const odd = new Request("http://bank.example/api/ads", { headers: { host: "evil.example/path" } });
    expect(publicOrigin(odd, false)).toBe("http://bank.example");
  });
});
