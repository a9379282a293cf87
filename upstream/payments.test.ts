import { isValidIban } from "./iban";
import { ADA, GRACE, bearer, login, postJson, scaTokenFor, startTestStandins, type TestStandins } from "./test-support";

let standins: TestStandins;

beforeAll(async () => {
  standins = await startTestStandins();
});
afterEach(() => standins.restore());
afterAll(() => standins.close());

const CREDITOR_IBAN = "DE89370400440532013000";
const payment = (overrides: Record<string, unknown> = {}) => ({
  creditorIban: CREDITOR_IBAN,
  creditorName: "Charles Babbage",
  amount: "12.50",
  currency: "EUR",
  remittanceInfo: "Gears",
  ...overrides,
});

async function account(accessToken: string) {
  const response = await fetch(`${standins.urls.payments}/v2/accounts/current`, { headers: bearer(accessToken) });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown> & { availableBalance: string; ledgerBalance: string };
}

function pay(accessToken: string, body: unknown, key: string | null = "key-1", scaToken?: string) {
  return postJson(`${standins.urls.payments}/v2/payments`, body, {
    ...bearer(accessToken),
    ...(key === null ? {} : { "idempotency-key": key }),
    ...(scaToken === undefined ? {} : { "sca-token": scaToken }),
  });
}

/** Pays above the low-value exemption, confirmed with SCA as the BFF would. */
async function payConfirmed(accessToken: string, body: ReturnType<typeof payment>, key: string, email: string = ADA.email) {
  const token = await scaTokenFor(standins, accessToken, email, {
    amount: String(body.amount),
    currency: String(body.currency),
    creditorIban: String(body.creditorIban),
    creditorName: String(body.creditorName),
  });
  return pay(accessToken, body, key, token);
}

async function newestTransaction(accessToken: string) {
  const response = await fetch(`${standins.urls.transactions}/transactions?limit=1`, { headers: bearer(accessToken) });
  const body = (await response.json()) as { data: { items: Record<string, unknown>[] } };
  return body.data.items[0];
}

describe("GET /v2/accounts/current", () => {
  it("returns Ada's fat camelCase account with decimal-string balances", async () => {
    const { access_token } = await login(standins, ADA);
    const body = await account(access_token);
    expect(body).toMatchObject({ currency: "EUR", availableBalance: "12345.67", ledgerBalance: "12400.00" });
    expect(body.accountId).toMatch(/^acc_/);
    expect(isValidIban(body.iban as string)).toBe(true);
    expect(body.limits).toBeTypeOf("object");
    expect(Object.keys(body).length).toBeGreaterThanOrEqual(10);
  });

  it("returns Grace's USD account with 3021.50 available", async () => {
    const { access_token } = await login(standins, GRACE);
    const body = await account(access_token);
    expect(body).toMatchObject({ currency: "USD", availableBalance: "3021.50" });
    expect(isValidIban(body.iban as string)).toBe(true);
  });
});

describe("POST /v2/payments", () => {
  it("creates a pending payment: 201 {paymentId, status, createdAt}", async () => {
    const { access_token } = await login(standins);
    const response = await pay(access_token, payment());
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["createdAt", "paymentId", "status"]);
    expect(body.status).toBe("pending");
    expect(body.paymentId).toMatch(/^pmt_/);
    expect(body.createdAt).toBe(new Date(standins.clock.now).toISOString());
  });

  it("lowers availableBalance at once, in exact cents", async () => {
    const { access_token } = await login(standins);
    await pay(access_token, payment({ amount: "0.1" }), "a");
    await pay(access_token, payment({ amount: "0.20" }), "b");
    await payConfirmed(access_token, payment({ amount: "45" }), "c");
    const body = await account(access_token);
    expect(body.availableBalance).toBe("12300.37"); // 12345.67 - 0.10 - 0.20 - 45.00
    expect(body.ledgerBalance).toBe("12400.00"); // pending: the ledger moves on settlement
  });

  it("shows the payment as the newest transaction", async () => {
    const { access_token } = await login(standins);
    const { paymentId, createdAt } = (await (await pay(access_token, payment({ creditorIban: "de89 3704 0044 0532 0130 00" }))).json()) as {
      paymentId: string;
      createdAt: string;
    };
    const newest = await newestTransaction(access_token);
    expect(newest).toMatchObject({
      amount_minor: -1250,
      currency: "EUR",
      booked_at: createdAt,
      counterparty: { name: "Charles Babbage", iban: CREDITOR_IBAN },
      category: "transfer",
    });
    expect(newest?.raw).toMatchObject({ payment_id: paymentId, status: "pending" });
  });

  it("replays the first response with 200 for the same key and body, paying once", async () => {
    const { access_token } = await login(standins);
    const first = await pay(access_token, payment());
    const firstBody = await first.json();
    // Same body with keys in another order is the same body.
    const reversed = Object.fromEntries(Object.entries(payment()).reverse());
    const second = await pay(access_token, reversed);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(firstBody);
    expect((await account(access_token)).availableBalance).toBe("12333.17");
  });

  it("pays once for two concurrent requests with one key", async () => {
    const { access_token } = await login(standins);
    const responses = await Promise.all([pay(access_token, payment()), pay(access_token, payment())]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 201]);
    expect((await account(access_token)).availableBalance).toBe("12333.17");
  });

  it("answers the same key with another body with 422 {title, detail}", async () => {
    const { access_token } = await login(standins);
    await pay(access_token, payment());
    const response = await pay(access_token, payment({ amount: "13.00" }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["detail", "title"]);
    expect((await account(access_token)).availableBalance).toBe("12333.17");
  });

  it("scopes idempotency keys per user", async () => {
    const ada = await login(standins, ADA);
    const grace = await login(standins, GRACE);
    expect((await pay(ada.access_token, payment(), "shared")).status).toBe(201);
    expect((await pay(grace.access_token, payment({ currency: "USD" }), "shared")).status).toBe(201);
  });

  it("answers a missing Idempotency-Key with 400 {title, detail} and pays nothing", async () => {
    const { access_token } = await login(standins);
    for (const key of [null, "", "   "]) {
      const response = await pay(access_token, payment(), key);
      expect(response.status).toBe(400);
      const body = (await response.json()) as Record<string, unknown>;
      expect(typeof body.title).toBe("string");
      expect(typeof body.detail).toBe("string");
    }
    expect((await account(access_token)).availableBalance).toBe("12345.67");
  });

  it("answers an amount above the available balance with 422", async () => {
    const { access_token } = await login(standins);
    const response = await pay(access_token, payment({ amount: "12345.68" }));
    expect(response.status).toBe(422);
    expect(((await response.json()) as { title: string }).title).toBe("Insufficient funds");
    expect((await account(access_token)).availableBalance).toBe("12345.67");
    // Exactly the balance is fine.
    expect((await payConfirmed(access_token, payment({ amount: "12345.67" }), "all")).status).toBe(201);
    expect((await account(access_token)).availableBalance).toBe("0.00");
  });

  it.each([
    ["a negative amount", { amount: "-1.00" }],
    ["a zero amount", { amount: "0.00" }],
    ["three decimals", { amount: "1.005" }],
    ["a number instead of a string", { amount: 12.5 }],
    ["a comma decimal", { amount: "12,50" }],
    ["another currency", { currency: "USD" }],
    ["a lower-case currency", { currency: "eur" }],
    ["an IBAN with a wrong check digit", { creditorIban: "DE88370400440532013000" }],
    ["no creditor name", { creditorName: "" }],
    ["a missing IBAN", { creditorIban: undefined }],
  ])("answers %s with 422 {title, detail}", async (_label, overrides) => {
    const { access_token } = await login(standins);
    const response = await pay(access_token, payment(overrides));
    expect(response.status).toBe(422);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["detail", "title"]);
    expect((await account(access_token)).availableBalance).toBe("12345.67");
  });

  it("answers a body that is not JSON with 400 {title, detail}", async () => {
    const { access_token } = await login(standins);
    const response = await pay(access_token, "{not json");
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()) as object).sort()).toEqual(["detail", "title"]);
  });

  it("does not remember a refused request's key: a corrected retry with it pays", async () => {
    const { access_token } = await login(standins);
    expect((await pay(access_token, payment({ amount: "99999.00" }))).status).toBe(422);
    expect((await pay(access_token, payment())).status).toBe(201);
  });

  it("checks the token before anything else", async () => {
    const response = await pay("bad-token", payment(), null);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_token" });
  });

  it("Grace pays in USD from 3021.50", async () => {
    const { access_token } = await login(standins, GRACE);
    expect((await pay(access_token, payment({ currency: "USD", amount: "3021.51" }))).status).toBe(422);
    expect((await pay(access_token, payment({ currency: "USD", amount: "21.50" }), "g")).status).toBe(201);
    expect((await account(access_token)).availableBalance).toBe("3000.00");
  });
});
