import { ADA, GRACE, getMe, login, startTestStandins, type TestStandins } from "./test-support";

let standins: TestStandins;

beforeAll(async () => {
  standins = await startTestStandins();
});
afterEach(() => standins.restore());
afterAll(() => standins.close());

describe("GET /v1/users/me", () => {
  it("returns Ada's fat snake_case record", async () => {
    const { access_token } = await login(standins, ADA);
    const response = await getMe(standins, access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const user = (await response.json()) as Record<string, unknown>;
    expect(user).toMatchObject({
      first_name: "Ada",
      last_name: "Lovelace",
      email_address: ADA.email,
      locale: "en-GB",
      marketing: { segments: ["savers", "travel"] },
    });
    expect(user.user_id).toMatch(/^usr_[0-9a-f]+$/);
    expect(user.avatar_url).toMatch(/^https:\/\//);
    expect(new Date(user.created_at as string).toISOString()).toBe(user.created_at);
    expect(user.kyc).toMatchObject({ status: "verified" });
    expect(Array.isArray(user.internal_flags)).toBe(true);
    // Fat: much more than the browser needs.
    expect(Object.keys(user).length).toBeGreaterThanOrEqual(15);
  });

  it("returns Grace's record for Grace's token", async () => {
    const { access_token } = await login(standins, GRACE);
    const user = (await (await getMe(standins, access_token)).json()) as Record<string, unknown>;
    expect(user).toMatchObject({ first_name: "Grace", last_name: "Hopper", email_address: GRACE.email, locale: "en-US" });
    expect(user.marketing).toMatchObject({ segments: ["tech"] });
  });

  it("is the same record on every run (deterministic ids)", async () => {
    const first = await (await getMe(standins, (await login(standins)).access_token)).json();
    const other = await startTestStandins();
    try {
      const second = await (await getMe(other, (await login(other)).access_token)).json();
      expect(second).toEqual(first);
    } finally {
      await other.close();
    }
  });

  it("the token's sub is the record's user_id", async () => {
    const { access_token } = await login(standins, GRACE);
    const user = (await (await getMe(standins, access_token)).json()) as { user_id: string };
    const payload = JSON.parse(Buffer.from(access_token.split(".")[1] ?? "", "base64url").toString()) as { sub: string };
    expect(payload.sub).toBe(user.user_id);
  });
});
