import { http, HttpResponse } from "msw";
import { STANDIN_DEFAULTS } from "../upstream";
import { standins } from "../tests/support/standins";
import { testServices } from "../tests/support/services";
import { scaRefusal } from "./payments.server";

const ADA = { email: "ada@example.com", password: "Analytical-Engine-1843" };

const services = testServices;

async function adaToken() {
  return (await services().auth.passwordLogin(ADA.email, ADA.password)).accessToken;
}

describe("auth client", () => {
  it("signs in with a password as a confidential client and harmonises the token set", async () => {
    const before = Date.now();
    const tokens = await services().auth.passwordLogin(ADA.email, ADA.password);
    expect(tokens.accessToken).toMatch(/^ey/);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.accessTokenExpiresAt).toBeGreaterThanOrEqual(before + 299_000);
    const seen = standins.requests.find((request) => request.path === "/oauth/token");
    expect(seen?.headers.authorization).toMatch(/^Basic /);
  });

  it("surfaces wrong credentials as a rejected invalid_grant", async () => {
    await expect(services().auth.passwordLogin(ADA.email, "wrong")).rejects.toMatchObject({
      service: "auth",
      kind: "rejected",
      status: 400,
      code: "invalid_grant",
    });
  });

  it("surfaces a wrong client secret as unauthorized", async () => {
    await expect(
      services({ clientSecret: "not-the-secret" }).auth.passwordLogin(ADA.email, ADA.password),
    ).rejects.toMatchObject({ kind: "unauthorized", code: "invalid_client" });
  });

  it("refreshes with rotation, and revokes", async () => {
    const auth = services().auth;
    const first = await auth.passwordLogin(ADA.email, ADA.password);
    const second = await auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await auth.revoke(second.refreshToken);
    await expect(auth.refresh(second.refreshToken)).rejects.toMatchObject({ code: "invalid_grant" });
  });

  it("signs in without a password through the passwordless endpoints' own names", async () => {
    const auth = services().auth;
    await auth.startPasswordless(ADA.email);
    const [code] = standins.outbox(ADA.email);
    expect(code).toMatch(/^\d{6}$/);
    const tokens = await auth.verifyPasswordless(ADA.email, code ?? "");
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^ey/),
      refreshToken: expect.any(String),
      accessTokenExpiresAt: expect.any(Number),
    });
    await expect(auth.verifyPasswordless(ADA.email, "000000")).rejects.toMatchObject({ kind: "unauthorized" });
  });
});

describe("auth client: payment challenges", () => {
  const payment = { amount: { minor: 25_000, currency: "EUR" }, creditorIban: "GB82WEST12345698765432", creditorName: "Charles Babbage" };

  it("creates a challenge (decimal amount upstream) and turns Auth's answers into outcomes", async () => {
    const token = await adaToken();
    const auth = services().auth;
    const before = Date.now();
    const challenge = await auth.createScaChallenge(token, payment);
    expect(challenge.methods).toEqual(["otp", "passkey"]);
    expect(challenge.expiresAt).toBeGreaterThanOrEqual(before + 299_000);
    expect(standins.outboxMessages(ADA.email)[0]?.text).toContain("250.00 EUR");
    const [code = ""] = standins.outbox(ADA.email);
    expect(await auth.verifyScaChallenge(token, challenge.id, { code: code === "000000" ? "111111" : "000000" })).toEqual({ outcome: "wrong" });
    expect(await auth.verifyScaChallenge(token, challenge.id, { code })).toEqual({ outcome: "confirmed", scaToken: expect.stringMatching(/^ey/) });
    expect(await auth.verifyScaChallenge(token, challenge.id, { code })).toEqual({ outcome: "gone" });
    expect(await auth.verifyScaChallenge(token, "chl_unknown", { code })).toEqual({ outcome: "gone" });
  });

  it("still throws for a refused access token (so the session can refresh) and for bad upstream data", async () => {
    const auth = services().auth;
    await expect(auth.verifyScaChallenge("not-a-token", "chl_x", { code: "123456" })).rejects.toMatchObject({
      kind: "unauthorized",
      code: "invalid_token",
    });
    standins.use(http.post("*/v1/sca/challenges", () => HttpResponse.json({ challengeId: "", methods: [], expiresIn: 300 }, { status: 201 })));
    await expect(auth.createScaChallenge(await adaToken(), payment)).rejects.toMatchObject({ kind: "invalid_response" });
  });
});

describe("users client", () => {
  it("returns the harmonised profile and nothing else of the fat record", async () => {
    const profile = await services().users.me(await adaToken());
    expect(profile).toEqual({
      id: expect.any(String),
      firstName: "Ada",
      lastName: "Lovelace",
      email: ADA.email,
      avatarUrl: expect.toBeOneOf([null, expect.any(String)]),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      locale: expect.any(String),
      marketingSegments: expect.any(Array),
    });
  });

  it("turns a contract break into invalid_response", async () => {
    standins.use(http.get("*/v1/users/me", () => HttpResponse.json({ user_id: 7, first_name: "Ada" })));
    await expect(services().users.me(await adaToken())).rejects.toMatchObject({
      service: "users",
      kind: "invalid_response",
    });
  });

  it("is unauthorized without a valid token", async () => {
    await expect(services().users.me("not-a-token")).rejects.toMatchObject({ kind: "unauthorized" });
  });
});

describe("payments client", () => {
  it("reads balances as integer minor units", async () => {
    const account = await services().payments.currentAccount(await adaToken());
    expect(account.available).toEqual({ minor: 1_234_567, currency: "EUR" });
    expect(Number.isInteger(account.ledger.minor)).toBe(true);
  });

  it("rejects an account whose balance is not a decimal", async () => {
    standins.use(
      http.get("*/v2/accounts/current", () =>
        HttpResponse.json({ accountId: "a", iban: "x", currency: "EUR", availableBalance: "12,00", ledgerBalance: "1" }),
      ),
    );
    await expect(services().payments.currentAccount(await adaToken())).rejects.toMatchObject({
      kind: "invalid_response",
    });
  });

  it("pays once per idempotency key and reports the replay", async () => {
    const token = await adaToken();
    const payments = services().payments;
    const payment = {
      creditorName: "Charles Babbage",
      creditorIban: "GB82WEST12345698765432",
      amount: { minor: 1250, currency: "EUR" },
      remittanceInfo: "Difference engine parts",
    };
    const first = await payments.createPayment(token, "key-1", payment);
    const again = await payments.createPayment(token, "key-1", payment);
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ ...first, replayed: true });
    const sent = standins.requests.filter((request) => request.path === "/v2/payments");
    expect(sent[0]?.headers["idempotency-key"]).toBe("key-1");
    const account = await payments.currentAccount(token);
    expect(account.available.minor).toBe(1_234_567 - 1250);
  });

  it("names Payments' SCA answers by their code, and sends the SCA token as a header", async () => {
    const token = await adaToken();
    const payments = services().payments;
    const payment = {
      creditorName: "Charles Babbage",
      creditorIban: "GB82WEST12345698765432",
      amount: { minor: 25_000, currency: "EUR" },
      remittanceInfo: "",
    };
    const required = await payments.createPayment(token, "key-sca", payment).catch((error: unknown) => error);
    expect(scaRefusal(required)).toBe("sca_required");
    const invalid = await payments.createPayment(token, "key-sca", payment, undefined, "not-a-token").catch((error: unknown) => error);
    expect(scaRefusal(invalid)).toBe("sca_invalid");
    expect(standins.requests.filter((request) => request.path === "/v2/payments")[1]?.headers["sca-token"]).toBe("not-a-token");
    expect(scaRefusal(new Error("other"))).toBeUndefined();
  });

  it("surfaces an amount over the balance as rejected (422)", async () => {
    await expect(
      services().payments.createPayment(await adaToken(), "key-2", {
        creditorName: "Charles Babbage",
        creditorIban: "GB82WEST12345698765432",
        amount: { minor: 99_999_999, currency: "EUR" },
        remittanceInfo: "Too much",
      }),
    ).rejects.toMatchObject({ service: "payments", kind: "rejected", status: 422 });
  });
});

describe("transactions client", () => {
  it("unwraps the envelope and pages with the cursor", async () => {
    const token = await adaToken();
    const transactions = services().transactions;
    const first = await transactions.list(token, { limit: 50 });
    expect(first.items).toHaveLength(50);
    expect(first.items[0]).toEqual({
      id: expect.any(String),
      amount: { minor: expect.any(Number), currency: "EUR" },
      bookedAt: expect.stringMatching(/Z$/),
      counterpartyName: expect.any(String),
      counterpartyIban: expect.toBeOneOf([null, expect.any(String)]),
      category: expect.any(String),
    });
    const rest = await transactions.list(token, { limit: 50, cursor: first.nextCursor });
    expect(rest.items).toHaveLength(10);
    expect(rest.nextCursor).toBeNull();
  });

  it("surfaces a bad cursor as rejected", async () => {
    await expect(services().transactions.list(await adaToken(), { cursor: "garbage!" })).rejects.toMatchObject({
      kind: "rejected",
      status: 400,
    });
  });
});

describe("ads client", () => {
  it("attaches the API key and trims the fat payload", async () => {
    const ads = await services().ads.list({ placement: "sidebar" });
    expect(ads.length).toBeGreaterThan(0);
    for (const ad of ads) {
      expect(Object.keys(ad).sort()).toEqual(
        ["body", "clickUrl", "id", "imageHeight", "imageUrl", "imageWidth", "sponsor", "title"].sort(),
      );
    }
    const seen = standins.requests.find((request) => request.path.startsWith("/ads"));
    expect(seen?.headers["x-api-key"]).toBe(STANDIN_DEFAULTS.adsApiKey);
  });

  it("is unauthorized with a wrong key", async () => {
    await expect(services({ adsApiKey: "nope" }).ads.list({ placement: "banner" })).rejects.toMatchObject({
      service: "ads",
      kind: "unauthorized",
    });
  });
});

describe("ads client image safety", () => {
  const ad = (id: string, url: string, click = "https://ok.example") => ({
    id,
    creative: { headline: "h", body: "b", image: { url, width: 1, height: 1 } },
    click_url: click,
    sponsor_name: "S",
  });

  it.each(["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd"])(
    "drops an ad whose creative image URL is like %s, keeping the good ones",
    async (url) => {
      standins.use(http.get("*/ads", () => HttpResponse.json({ ads: [ad("bad", url), ad("good", "https://img.example/a.png")] })));
      const ads = await services().ads.list({ placement: "inline" });
      expect(ads.map((each) => each.id)).toEqual(["good"]);
    },
  );

  it("drops an ad whose click URL is not http(s)", async () => {
    standins.use(http.get("*/ads", () => HttpResponse.json({ ads: [ad("bad", "https://img.example/a.png", "javascript:alert(1)")] })));
    await expect(services().ads.list({ placement: "inline" })).resolves.toEqual([]);
  });

  it("still refuses a body that breaks the envelope", async () => {
    standins.use(http.get("*/ads", () => HttpResponse.json({ advertisements: [] })));
    await expect(services().ads.list({ placement: "inline" })).rejects.toMatchObject({ kind: "invalid_response" });
  });
});
