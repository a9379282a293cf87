import { TEST_ADS_KEY, startTestStandins, type TestStandins } from "./test-support";

let standins: TestStandins;

beforeAll(async () => {
  standins = await startTestStandins();
});
afterEach(() => standins.restore());
afterAll(() => standins.close());

interface Ad {
  id: string;
  creative: { headline: string; body: string; image: { url: string; width: number; height: number } };
  click_url: string;
  sponsor_name: string;
  campaign: { id: string; budget_cents: number; cpm_cents: number; advertiser_account: string };
  targeting: { segments: string[] };
  scoring: { base_score: number };
}

function ads(query: string, key: string | null = TEST_ADS_KEY): Promise<Response> {
  return fetch(`${standins.urls.ads}/ads${query}`, { headers: key === null ? {} : { "x-api-key": key } });
}

async function adList(query: string): Promise<Ad[]> {
  const response = await ads(query);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { ads: Ad[] };
  expect(Object.keys(body)).toEqual(["ads"]);
  return body.ads;
}

describe("GET /ads", () => {
  it("answers without the API key with 401 invalid_api_key", async () => {
    const response = await ads("?placement=sidebar", null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_api_key" });
  });

  it("answers a wrong API key with 401 invalid_api_key", async () => {
    const response = await ads("?placement=sidebar", "nope");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_api_key" });
  });

  it.each(["?placement=footer", "", "?placement=", "?placement=SIDEBAR"])("answers placement %j with 400", async (query) => {
    const response = await ads(query);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_placement");
  });

  it.each(["sidebar", "banner", "inline"])("returns several fat ads for %s", async (placement) => {
    const list = await adList(`?placement=${placement}`);
    expect(list.length).toBeGreaterThanOrEqual(3);
    for (const ad of list) {
      expect(typeof ad.id).toBe("string");
      expect(typeof ad.creative.headline).toBe("string");
      expect(typeof ad.creative.body).toBe("string");
      expect(ad.creative.image.url).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Number.isInteger(ad.creative.image.width)).toBe(true);
      expect(Number.isInteger(ad.creative.image.height)).toBe(true);
      expect(ad.click_url).toMatch(/^https:\/\//);
      expect(typeof ad.sponsor_name).toBe("string");
      expect(ad.campaign).toMatchObject({
        id: expect.any(String),
        budget_cents: expect.any(Number),
        cpm_cents: expect.any(Number),
        advertiser_account: expect.any(String),
      });
      expect(Array.isArray(ad.targeting.segments)).toBe(true);
      expect(ad.scoring).toBeTypeOf("object");
    }
    const scores = list.map((ad) => ad.scoring.base_score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores); // contextual order: best score first
  });

  it("puts ads targeting the segment first, keeping the score order otherwise", async () => {
    const plain = await adList("?placement=sidebar");
    for (const segment of ["travel", "tech", "savers"]) {
      const personal = await adList(`?placement=sidebar&segment=${segment}`);
      expect(personal.map((ad) => ad.id).sort()).toEqual(plain.map((ad) => ad.id).sort());
      const matching = plain.filter((ad) => ad.targeting.segments.includes(segment));
      expect(matching.length).toBeGreaterThan(0);
      expect(personal.slice(0, matching.length)).toEqual(matching);
      expect(personal.slice(matching.length)).toEqual(plain.filter((ad) => !matching.includes(ad)));
    }
  });

  it("the first ad differs with the segment (personalisation is visible)", async () => {
    const travel = await adList("?placement=sidebar&segment=travel");
    const tech = await adList("?placement=sidebar&segment=tech");
    expect(travel[0]?.id).not.toBe(tech[0]?.id);
  });

  it("accepts several segments, comma-separated or repeated", async () => {
    const comma = await adList("?placement=banner&segment=travel,tech");
    const repeated = await adList("?placement=banner&segment=travel&segment=tech");
    expect(comma).toEqual(repeated);
    const firstTwo = comma.slice(0, 2).flatMap((ad) => ad.targeting.segments);
    expect(firstTwo).toEqual(expect.arrayContaining(["travel", "tech"]));
  });

  it("ignores an unknown segment", async () => {
    expect(await adList("?placement=inline&segment=unknown")).toEqual(await adList("?placement=inline"));
  });
});
