import type { Ad, AdPlacement } from "../../types/domain";
import { createMemoryAdsCache, type AdsCache } from "./cache.server";
import { AdsUnavailableError, createAdsFeed } from "./feed.server";

const ad = (id: string): Ad => ({
  id,
  title: `title ${id}`,
  body: "body",
  imageUrl: "https://cdn.example/a.png",
  imageWidth: 300,
  imageHeight: 250,
  clickUrl: `https://advertiser.example/${id}`,
  sponsor: "Sponsor",
});

function setup(fetchAds: (placement: AdPlacement) => Promise<Ad[]>, cache?: AdsCache) {
  let time = 1_000_000;
  const now = () => time;
  const errors: string[] = [];
  const feed = createAdsFeed({
    cache: cache ?? createMemoryAdsCache({ retainMs: 600_000, now }),
    fetchAds,
    freshMs: 30_000,
    staleMs: 600_000,
    failureBackoffMs: 5_000,
    now,
    onError: ({ placement, stage }) => errors.push(`${placement}:${stage}`),
  });
  return { feed, errors, advance: (ms: number) => (time += ms) };
}

describe("ads feed", () => {
  it("shares one upstream call among concurrent misses, and reports a failure once", async () => {
    let calls = 0;
    let fail = false;
    const { feed, errors, advance } = setup(async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (fail) throw new Error("down");
      return [ad("a")];
    });
    const answers = await Promise.all(Array.from({ length: 100 }, () => feed.get("sidebar")));
    expect(calls).toBe(1);
    expect(answers.every((answer) => answer.ads[0]?.id === "a" && !answer.stale)).toBe(true);

    fail = true;
    advance(30_000);
    const stale = await Promise.all(Array.from({ length: 100 }, () => feed.get("sidebar")));
    expect(calls).toBe(2);
    expect(stale.every((answer) => answer.stale)).toBe(true);
    expect(errors).toEqual(["sidebar:fetch"]);
  });

  it("keeps placements apart", async () => {
    const seen: AdPlacement[] = [];
    const { feed } = setup(async (placement) => {
      seen.push(placement);
      return [ad(placement)];
    });
    expect((await feed.get("banner")).ads[0]?.id).toBe("banner");
    expect((await feed.get("inline")).ads[0]?.id).toBe("inline");
    expect(seen).toEqual(["banner", "inline"]);
  });

  it("backs off after a failure, then tries again", async () => {
    let calls = 0;
    const { feed, advance } = setup(async () => {
      calls += 1;
      throw new Error("down");
    });
    await expect(feed.get("sidebar")).rejects.toEqual(expect.objectContaining({ retryAfterS: 5 }));
    advance(2_000);
    const error = await feed.get("sidebar").catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AdsUnavailableError);
    expect(error).toMatchObject({ retryAfterS: 3 });
    expect(calls).toBe(1);
    advance(3_000);
    await expect(feed.get("sidebar")).rejects.toBeInstanceOf(AdsUnavailableError);
    expect(calls).toBe(2);
  });

  it("still answers when the cache cannot store, and says so", async () => {
    const broken: AdsCache = {
      get: async () => undefined,
      set: async () => {
        throw new Error("store down");
      },
    };
    const { feed, errors } = setup(async () => [ad("a")], broken);
    expect((await feed.get("sidebar")).ads).toHaveLength(1);
    expect(errors).toEqual(["sidebar:store"]);
  });

  it("finds ads it holds without a call, and asks (once per placement) for ones it does not", async () => {
    const calls: AdPlacement[] = [];
    const { feed } = setup(async (placement) => {
      calls.push(placement);
      return [ad(`${placement}-1`)];
    });
    await feed.get("sidebar");
    expect((await feed.find("sidebar-1"))?.id).toBe("sidebar-1");
    expect(calls).toEqual(["sidebar"]);
    expect((await feed.find("inline-1"))?.id).toBe("inline-1");
    expect(await feed.find("nope")).toBeUndefined();
    expect(calls.sort()).toEqual(["banner", "inline", "sidebar"]);
  });
});
