import { matchesIfNoneMatch, strongEtag } from "./etag.server";

describe("ETag", () => {
  it("is strong, stable and differs with the body", () => {
    expect(strongEtag("{}")).toBe(strongEtag("{}"));
    expect(strongEtag("{}")).not.toBe(strongEtag("{ }"));
    expect(strongEtag("{}")).toMatch(/^"[^"]+"$/);
  });

  it("matches If-None-Match lists, weak forms and *", () => {
    const etag = strongEtag("x");
    expect(matchesIfNoneMatch(null, etag)).toBe(false);
    expect(matchesIfNoneMatch(etag, etag)).toBe(true);
    expect(matchesIfNoneMatch(`W/${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch(`"a" , ${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch("*", etag)).toBe(true);
    expect(matchesIfNoneMatch('"a", "b"', etag)).toBe(false);
  });
});
