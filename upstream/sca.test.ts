import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from "jose";
import { ACCESS_TOKEN_ISSUER } from "./jwt";
import { SCA_TOKEN_AUDIENCE } from "./sca-token";
import {
  ADA,
  GRACE,
  bearer,
  createChallenge,
  login,
  postJson,
  scaTokenFor,
  startTestStandins,
  verifyChallenge,
  type TestStandins,
} from "./test-support";

/**
 * Strong customer authentication, as Payments and Auth speak it (shared/contract.md):
 * the low-value exemption counted per customer, Auth's challenges and codes, and
 * the SCA token bound to one payment of one customer, used once, short-lived.
 */

let standins: TestStandins;

beforeAll(async () => {
  standins = await startTestStandins();
});
afterEach(() => standins.restore());
afterAll(() => standins.close());

const IBAN = "DE89370400440532013000";
const payment = (amount: string, overrides: Record<string, string> = {}) => ({
  creditorIban: IBAN,
  creditorName: "Charles Babbage",
  amount,
  currency: "EUR",
  remittanceInfo: "Gears",
  ...overrides,
});
const challengeOf = (body: ReturnType<typeof payment>) => ({
  amount: body.amount,
  currency: body.currency,
  creditorIban: body.creditorIban,
  creditorName: body.creditorName,
});

let keys = 0;
function pay(accessToken: string, body: unknown, options: { key?: string; scaToken?: string } = {}) {
  return postJson(`${standins.urls.payments}/v2/payments`, body, {
    ...bearer(accessToken),
    "idempotency-key": options.key ?? `key-${++keys}`,
    ...(options.scaToken === undefined ? {} : { "sca-token": options.scaToken }),
  });
}

async function available(accessToken: string): Promise<string> {
  const response = await fetch(`${standins.urls.payments}/v2/accounts/current`, { headers: bearer(accessToken) });
  return ((await response.json()) as { availableBalance: string }).availableBalance;
}

async function expectScaRefusal(response: Response, code: "sca_required" | "sca_invalid") {
  expect(response.status).toBe(403);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ code });
  expect(body.title).toEqual(expect.any(String));
  expect(body.detail).toEqual(expect.any(String));
}

describe("Payments: when SCA is needed (low-value exemption, per customer)", () => {
  it("5 × 10.00 pass; the 6th asks for SCA and books nothing", async () => {
    const { access_token } = await login(standins);
    for (let i = 0; i < 5; i++) expect((await pay(access_token, payment("10.00"))).status).toBe(201);
    expect(await available(access_token)).toBe("12295.67");
    await expectScaRefusal(await pay(access_token, payment("10.00")), "sca_required");
    expect(await available(access_token)).toBe("12295.67");
  });

  it("30.00 passes; 30.01 asks", async () => {
    const { access_token } = await login(standins);
    expect((await pay(access_token, payment("30.00"))).status).toBe(201);
    await expectScaRefusal(await pay(access_token, payment("30.01")), "sca_required");
    expect(await available(access_token)).toBe("12315.67");
  });

  it("25 + 25 + 25 + 25 pass (100.00 exactly); the 10.00 past 100 asks", async () => {
    const { access_token } = await login(standins);
    for (let i = 0; i < 4; i++) expect((await pay(access_token, payment("25.00"))).status).toBe(201);
    await expectScaRefusal(await pay(access_token, payment("10.00")), "sca_required");
    expect(await available(access_token)).toBe("12245.67");
  });

  it("an SCA-confirmed payment resets the counters: five small ones pass again", async () => {
    const { access_token } = await login(standins);
    for (let i = 0; i < 5; i++) expect((await pay(access_token, payment("10.00"))).status).toBe(201);
    const sixth = payment("10.00");
    await expectScaRefusal(await pay(access_token, sixth, { key: "sixth" }), "sca_required");
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(sixth));
    expect((await pay(access_token, sixth, { key: "sixth", scaToken })).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await pay(access_token, payment("10.00"))).status).toBe(201);
    await expectScaRefusal(await pay(access_token, payment("10.00")), "sca_required");
    expect(await available(access_token)).toBe("12235.67");
  });

  it("counts per customer: Ada's small payments do not use up Grace's", async () => {
    const ada = await login(standins, ADA);
    const grace = await login(standins, GRACE);
    for (let i = 0; i < 5; i++) expect((await pay(ada.access_token, payment("10.00"))).status).toBe(201);
    expect((await pay(grace.access_token, payment("10.00", { currency: "USD" }))).status).toBe(201);
  });

  it("refuses invalid payments as before, without asking for SCA (validation first)", async () => {
    const { access_token } = await login(standins);
    const badIban = await pay(access_token, payment("250.00", { creditorIban: "DE88370400440532013000" }));
    expect(badIban.status).toBe(422);
    const tooMuch = await pay(access_token, payment("20000.00"));
    expect(tooMuch.status).toBe(422);
    expect(((await tooMuch.json()) as { title: string }).title).toBe("Insufficient funds");
    const otherCurrency = await pay(access_token, payment("250.00", { currency: "USD" }));
    expect(otherCurrency.status).toBe(422);
  });

  it("reset() forgets the counters", async () => {
    let { access_token } = await login(standins);
    for (let i = 0; i < 5; i++) await pay(access_token, payment("10.00"));
    standins.reset();
    ({ access_token } = await login(standins));
    expect((await pay(access_token, payment("10.00"))).status).toBe(201);
  });
});

describe("Payments: idempotency with SCA", () => {
  it("a 403 sca_required leaves the key free: the same key with the token books once, and a replay returns the first answer", async () => {
    const { access_token } = await login(standins);
    const body = payment("250.00");
    await expectScaRefusal(await pay(access_token, body, { key: "k-250" }), "sca_required");
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(body));
    const booked = await pay(access_token, body, { key: "k-250", scaToken });
    expect(booked.status).toBe(201);
    const first = await booked.json();
    // The same key and body again, with the (now spent) token or without: the first answer, nothing more.
    for (const again of [await pay(access_token, body, { key: "k-250", scaToken }), await pay(access_token, body, { key: "k-250" })]) {
      expect(again.status).toBe(200);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await again.json()).toEqual(first);
    }
    expect(await available(access_token)).toBe("12095.67");
  });

  it("two concurrent requests with one key and one token book once", async () => {
    const { access_token } = await login(standins);
    const body = payment("250.00");
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(body));
    const answers = await Promise.all([pay(access_token, body, { key: "same", scaToken }), pay(access_token, body, { key: "same", scaToken })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
    expect(await available(access_token)).toBe("12095.67");
  });

  it("the same key with another body is still 422, token or not", async () => {
    const { access_token } = await login(standins);
    expect((await pay(access_token, payment("10.00"), { key: "k" })).status).toBe(201);
    const other = payment("250.00");
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(other));
    expect((await pay(access_token, other, { key: "k", scaToken })).status).toBe(422);
    expect(await available(access_token)).toBe("12335.67");
  });
});

describe("Payments: the SCA token", () => {
  it("is bound to the amount: a token for 250.00 does not pay 251.00", async () => {
    const { access_token } = await login(standins);
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(payment("250.00")));
    await expectScaRefusal(await pay(access_token, payment("251.00"), { scaToken }), "sca_invalid");
    expect(await available(access_token)).toBe("12345.67");
  });

  it("is bound to the payee: a token for one IBAN does not pay another", async () => {
    const { access_token } = await login(standins);
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(payment("250.00")));
    await expectScaRefusal(await pay(access_token, payment("250.00", { creditorIban: "GB82WEST12345698765432" }), { scaToken }), "sca_invalid");
    expect(await available(access_token)).toBe("12345.67");
  });

  it("is bound to the customer: Grace's token does not confirm Ada's payment", async () => {
    const ada = await login(standins, ADA);
    const grace = await login(standins, GRACE);
    // Grace confirms a EUR payment so that only the customer differs.
    const scaToken = await scaTokenFor(standins, grace.access_token, GRACE.email, challengeOf(payment("250.00")));
    await expectScaRefusal(await pay(ada.access_token, payment("250.00"), { scaToken }), "sca_invalid");
    expect(await available(ada.access_token)).toBe("12345.67");
  });

  it("is good for one payment: the same token with a new key is refused", async () => {
    const { access_token } = await login(standins);
    const body = payment("250.00");
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(body));
    expect((await pay(access_token, body, { key: "one", scaToken })).status).toBe(201);
    await expectScaRefusal(await pay(access_token, body, { key: "two", scaToken }), "sca_invalid");
    expect(await available(access_token)).toBe("12095.67");
  });

  it("expires after 120 s", async () => {
    const { access_token } = await login(standins);
    const body = payment("250.00");
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(body));
    standins.clock.now += 121_000;
    await expectScaRefusal(await pay(access_token, body, { scaToken }), "sca_invalid");
    expect(await available(access_token)).toBe("12345.67");
  });

  it("also refuses a token with an exempt payment: a bad token is never ignored", async () => {
    const { access_token } = await login(standins);
    await expectScaRefusal(await pay(access_token, payment("10.00"), { scaToken: "not-a-token" }), "sca_invalid");
  });

  it("is not an access token, nor is an access token an SCA token, nor does a forged one pass", async () => {
    const { access_token } = await login(standins);
    const body = payment("250.00");
    await expectScaRefusal(await pay(access_token, body, { scaToken: access_token }), "sca_invalid");
    const scaToken = await scaTokenFor(standins, access_token, ADA.email, challengeOf(body));
    const asBearer = await fetch(`${standins.urls.payments}/v2/accounts/current`, { headers: bearer(scaToken) });
    expect(asBearer.status).toBe(401);
    // The same claims and header, signed with another key.
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(decodeJwt(scaToken)).setProtectedHeader(decodeProtectedHeader(scaToken) as { alg: string }).sign(privateKey);
    await expectScaRefusal(await pay(access_token, payment("9999.00"), { scaToken: forged }), "sca_invalid");
    expect(await available(access_token)).toBe("12345.67");
  });
});

describe("Payments: STANDIN_SCA=off", () => {
  it("never asks: 250.00 and a 6th small payment book without a token", async () => {
    const off = await startTestStandins({ sca: false });
    try {
      const { access_token } = await login(off);
      const send = (amount: string, key: string) =>
        postJson(`${off.urls.payments}/v2/payments`, payment(amount), { ...bearer(access_token), "idempotency-key": key });
      expect((await send("250.00", "big")).status).toBe(201);
      for (let i = 0; i < 6; i++) expect((await send("10.00", `small-${i}`)).status).toBe(201);
    } finally {
      await off.close();
    }
  });
});

describe("Auth: POST /v1/sca/challenges", () => {
  it("answers 201 {challengeId, methods, expiresIn} and delivers a code naming the amount, currency and the IBAN's last four", async () => {
    const { access_token } = await login(standins);
    const response = await createChallenge(standins, access_token, challengeOf(payment("250.00", { creditorIban: "de89 3704 0044 0532 0130 00" })));
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["challengeId", "expiresIn", "methods"]);
    expect(body).toMatchObject({ methods: ["otp", "passkey"], expiresIn: 300 });
    expect(body.challengeId).toEqual(expect.any(String));

    const outbox = (await (await fetch(`${standins.urls.auth}/dev/outbox?email=${encodeURIComponent(ADA.email)}`)).json()) as {
      codes: string[];
      messages: { code: string; text: string; sentAt: string }[];
    };
    const [message] = outbox.messages;
    expect(message?.code).toMatch(/^\d{6}$/);
    expect(outbox.codes).toEqual([message?.code]);
    expect(message?.text).toContain("250.00 EUR");
    expect(message?.text).toContain("3000");
    expect(message?.text).not.toContain(IBAN);
    expect(message?.sentAt).toBe(new Date(standins.clock.now).toISOString());
  });

  it("keeps passwordless sign-in codes working beside payment codes, newest first", async () => {
    const { access_token } = await login(standins);
    await createChallenge(standins, access_token, challengeOf(payment("250.00")));
    await postJson(`${standins.urls.auth}/passwordless/start`, { email: ADA.email });
    const [signInCode = "", paymentCode] = standins.outbox(ADA.email);
    expect(paymentCode).toMatch(/^\d{6}$/);
    const verified = await postJson(`${standins.urls.auth}/passwordless/verify`, { email: ADA.email, code: signInCode });
    expect(verified.status).toBe(200);
  });

  it("needs a valid access token (401 invalid_token) and a valid payment (400 {message})", async () => {
    expect((await createChallenge(standins, "bad", challengeOf(payment("250.00")))).status).toBe(401);
    const { access_token } = await login(standins);
    for (const bad of [
      challengeOf(payment("0.00")),
      challengeOf(payment("12,50")),
      challengeOf(payment("250.00", { creditorIban: "DE88370400440532013000" })),
      challengeOf(payment("250.00", { currency: "eur" })),
      challengeOf(payment("250.00", { creditorName: "" })),
    ]) {
      const response = await createChallenge(standins, access_token, bad);
      expect(response.status).toBe(400);
      expect(Object.keys((await response.json()) as object)).toEqual(["message"]);
    }
    expect(standins.outbox(ADA.email)).toEqual([]);
  });
});

describe("Auth: POST /v1/sca/challenges/{id}/verify", () => {
  async function challenge(accessToken: string, body = payment("250.00")) {
    const response = await createChallenge(standins, accessToken, challengeOf(body));
    const { challengeId } = (await response.json()) as { challengeId: string };
    const [code = ""] = standins.outbox(ADA.email);
    return { challengeId, code, wrong: code === "000000" ? "111111" : "000000" };
  }

  it("answers the right code with 200 {scaToken, expiresIn: 120}: a JWT bound to the customer and the payment", async () => {
    const { access_token } = await login(standins);
    const { challengeId, code } = await challenge(access_token, payment("250.5", { creditorIban: "de89 3704 0044 0532 0130 00" }));
    const response = await verifyChallenge(standins, access_token, challengeId, { code });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { scaToken: string; expiresIn: number };
    expect(Object.keys(body).sort()).toEqual(["expiresIn", "scaToken"]);
    expect(body.expiresIn).toBe(120);
    expect(decodeProtectedHeader(body.scaToken)).toMatchObject({ alg: "ES256", typ: "sca+jwt" });
    const claims = decodeJwt(body.scaToken);
    expect(claims).toMatchObject({
      iss: ACCESS_TOKEN_ISSUER,
      aud: SCA_TOKEN_AUDIENCE,
      sub: decodeJwt(access_token).sub,
      amount: "250.50",
      currency: "EUR",
      creditorIban: IBAN,
    });
    expect(claims.jti).toEqual(expect.any(String));
    expect((claims.exp ?? 0) - Math.floor(standins.clock.now / 1000)).toBe(120);
  });

  it("answers a wrong code with 401 {message}; after 5 wrong codes even the right one gets 410", async () => {
    const { access_token } = await login(standins);
    const { challengeId, code, wrong } = await challenge(access_token);
    for (let i = 0; i < 5; i++) {
      const response = await verifyChallenge(standins, access_token, challengeId, { code: wrong });
      expect(response.status).toBe(401);
      expect(Object.keys((await response.json()) as object)).toEqual(["message"]);
    }
    expect((await verifyChallenge(standins, access_token, challengeId, { code })).status).toBe(410);
  });

  it("accepts the right code after 4 wrong ones", async () => {
    const { access_token } = await login(standins);
    const { challengeId, code, wrong } = await challenge(access_token);
    for (let i = 0; i < 4; i++) expect((await verifyChallenge(standins, access_token, challengeId, { code: wrong })).status).toBe(401);
    expect((await verifyChallenge(standins, access_token, challengeId, { code })).status).toBe(200);
  });

  it("is one use: the right code again gets 410", async () => {
    const { access_token } = await login(standins);
    const { challengeId, code } = await challenge(access_token);
    expect((await verifyChallenge(standins, access_token, challengeId, { code })).status).toBe(200);
    const again = await verifyChallenge(standins, access_token, challengeId, { code });
    expect(again.status).toBe(410);
    expect(Object.keys((await again.json()) as object)).toEqual(["message"]);
  });

  it("expires after 5 minutes: 410", async () => {
    const { access_token } = await login(standins);
    const { challengeId, code } = await challenge(access_token);
    standins.clock.now += 5 * 60_000;
    // The access token lived 5 minutes too: a fresh one, so that only the challenge is old.
    const fresh = await login(standins);
    expect((await verifyChallenge(standins, fresh.access_token, challengeId, { code })).status).toBe(410);
  });

  it("is the customer's own: another customer, or an unknown id, gets 404", async () => {
    const ada = await login(standins, ADA);
    const grace = await login(standins, GRACE);
    const { challengeId, code } = await challenge(ada.access_token);
    expect((await verifyChallenge(standins, grace.access_token, challengeId, { code })).status).toBe(404);
    expect((await verifyChallenge(standins, ada.access_token, "chl_unknown", { code })).status).toBe(404);
    // Grace's attempt used none of Ada's tries, nor the challenge.
    expect((await verifyChallenge(standins, ada.access_token, challengeId, { code })).status).toBe(200);
  });

  it("needs a valid access token and an answer it understands", async () => {
    const { access_token } = await login(standins);
    const { challengeId, code } = await challenge(access_token);
    expect((await verifyChallenge(standins, "bad", challengeId, { code })).status).toBe(401);
    expect((await verifyChallenge(standins, access_token, challengeId, { answer: code })).status).toBe(400);
    expect((await verifyChallenge(standins, access_token, challengeId, { code: 123456 })).status).toBe(400);
    expect((await verifyChallenge(standins, access_token, challengeId, { code })).status).toBe(200);
  });

  it("an old code never confirms another payment: each challenge has its own", async () => {
    const { access_token } = await login(standins);
    const first = await challenge(access_token, payment("250.00"));
    const second = await challenge(access_token, payment("900.00"));
    const response = await verifyChallenge(standins, access_token, second.challengeId, { code: first.code });
    // Codes are random: if they happen to be equal the old code *is* the new one.
    expect(response.status).toBe(first.code === second.code ? 200 : 401);
  });
});
