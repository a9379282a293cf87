import { AD_ID, createMemoryClickCounter, safeDestination } from "./clicks.server";

describe("clicks", () => {
  it("counts per ad", async () => {
    const clicks = createMemoryClickCounter();
    expect(await clicks.record("a")).toBe(1);
    expect(await clicks.record("a")).toBe(2);
    expect(await clicks.count("b")).toBe(0);
  });

  it("lets only absolute http(s) URLs without credentials through", () => {
    expect(safeDestination("https://advertiser.example/offer?x=1")).toBe("https://advertiser.example/offer?x=1");
    expect(safeDestination("http://advertiser.example/")).toBe("http://advertiser.example/");
    for (const url of [
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "//evil.example",
      "/relative",
      "ftp://files.example/",
      "https://user:pass@evil.example/",
      "https://advertiser.example@evil.example/",
      "not a url",
    ]) {
      expect(safeDestination(url)).toBeUndefined();
    }
  });

  it("accepts ad ids as Ads issues them and nothing else", () => {
    expect(AD_ID.test("ad_0a1b2c3d4e")).toBe(true);
    for (const id of ["", "a/b", "a?b", "a b", "a".repeat(65), "https://evil.example"]) expect(AD_ID.test(id)).toBe(false);
  });
});
