import { http, HttpResponse } from "msw";
import type { PaymentChallengeView, PaymentConfirmationView, PaymentFormView } from "../../types/views";
import type { ConfirmActionData } from "~/payments/confirmation.server";
import type { PaymentActionData } from "~/payments/payments.server";
import { getSessionRuntime } from "~/session/runtime.server";
import { buildRequest, call, testContext } from "../../tests/support/remix";
import { DEMO, readSession, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { action as confirmAction, loader as confirmLoader } from "./payments.confirm";
import { action as formAction, loader as formLoader } from "./payments.new";
import { loader as sentLoader } from "./payments.sent";

/**
 * Strong customer authentication in the payment flow (decision 019): a payment
 * Payments wants confirmed waits in the session, the customer confirms it with
 * the code from Auth's message, and it is sent once.
 */

const PAYMENT = {
  creditorName: "Charles Babbage",
  creditorIban: "GB82 WEST 1234 5698 7654 32",
  amount: "250.00",
  remittanceInfo: "Analytical Engine",
};
const START = 1_234_567;

/** The cookie to send next: the response's new one, or the same as before. */
const next = (response: Response, cookie: string) => response.headers.get("set-cookie")?.split(";")[0] || cookie;

async function formKey(cookie: string) {
  return ((await (await call(formLoader, buildRequest("/payments/new", { cookie }))).json()) as PaymentFormView).idempotencyKey;
}

const send = (cookie: string, fields: Record<string, string>) =>
  call(formAction, buildRequest("/payments/new", { form: fields, cookie }), { context: testContext() });

const confirm = (cookie: string, fields: Record<string, string>) =>
  call(confirmAction, buildRequest("/payments/confirm", { form: fields, cookie }), { context: testContext() });

async function page(cookie: string) {
  const response = await call(confirmLoader, buildRequest("/payments/confirm", { cookie }));
  expect(response.status).toBe(200);
  return (await response.json()) as PaymentChallengeView;
}

async function balance(cookie: string) {
  const view = (await (await call(formLoader, buildRequest("/payments/new", { cookie }))).json()) as PaymentFormView;
  return view.account.status === "ok" ? view.account.data.available.minor : Number.NaN;
}

const latestCode = () => standins.outbox(DEMO.ada.email)[0] ?? "";
const wrongCode = () => (latestCode() === "000000" ? "111111" : "000000");
const calls = (path: RegExp) => standins.requests.filter((request) => request.method === "POST" && path.test(request.path));
const paymentCalls = () => calls(/^\/v2\/payments$/);
const verifyCalls = () => calls(/^\/v1\/sca\/challenges\/[^/]+\/verify$/);

/** Signs Ada in and sends 250.00 from the form: Payments asks for SCA, the app shows the confirmation. */
async function startConfirmation(fields: Partial<typeof PAYMENT> = {}) {
  let cookie = await signInAs("ada");
  const key = await formKey(cookie);
  const response = await send(cookie, { ...PAYMENT, ...fields, idempotencyKey: key });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/payments/confirm");
  cookie = next(response, cookie);
  return { cookie, key, view: await page(cookie) };
}

describe("Send payment → Payments asks for SCA", () => {
  it("books nothing, keeps the payment in the session (not the page) and shows amount and payee on /payments/confirm", async () => {
    const { cookie, key, view } = await startConfirmation();
    expect(await balance(cookie)).toBe(START);
    expect(view).toEqual({
      paymentKey: key,
      amount: { minor: 25_000, currency: "EUR", text: "€250.00" },
      creditorName: "Charles Babbage",
      creditorIban: "GB82 WEST 1234 5698 7654 32",
      remittanceInfo: "Analytical Engine",
      triesLeft: 5,
      passkey: false,
    });
    const session = await readSession(cookie);
    expect(session?.pendingPayment).toMatchObject({
      key,
      amountMinor: 25_000,
      currency: "EUR",
      creditorIban: "GB82WEST12345698765432",
      creditorName: "Charles Babbage",
      remittanceInfo: "Analytical Engine",
      wrongCodes: 0,
    });
    // Auth's message names the amount with its currency and the IBAN's last four.
    const [message] = standins.outboxMessages(DEMO.ada.email);
    expect(message?.text).toContain("250.00 EUR");
    expect(message?.text).toContain("5432");
  });

  it("confirming with the code sends that payment once, with the form's key and an SCA token, to the same 'sent' page", async () => {
    const { cookie, key } = await startConfirmation();
    const response = await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/payments/sent");
    const after = next(response, cookie);
    const sent = (await (await call(sentLoader, buildRequest("/payments/sent", { cookie: after }))).json()) as PaymentConfirmationView;
    expect(sent).toMatchObject({
      amount: { minor: 25_000, text: "€250.00" },
      creditorName: "Charles Babbage",
      balance: { status: "ok", data: { available: { minor: START - 25_000 } } },
    });
    const [refused, paid] = paymentCalls();
    expect(refused?.headers["idempotency-key"]).toBe(key);
    expect(refused?.headers["sca-token"]).toBeUndefined();
    expect(paid?.headers["idempotency-key"]).toBe(key);
    expect(paid?.headers["sca-token"]).toEqual(expect.any(String));
    expect((await readSession(after))?.pendingPayment).toBeUndefined();
    // Done: the confirmation page has nothing left to show.
    const again = await call(confirmLoader, buildRequest("/payments/confirm", { cookie: after }));
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/payments/new");
  });

  it("ignores anything else posted with the confirmation: the amount and payee come from the session only", async () => {
    const { cookie, key } = await startConfirmation();
    const response = await confirm(cookie, {
      payment: key,
      intent: "confirm",
      code: latestCode(),
      amount: "1.00",
      amountMinor: "100",
      creditorIban: "DE89370400440532013000",
      creditorName: "Mallory",
      currency: "USD",
      idempotencyKey: crypto.randomUUID(),
    });
    expect(response.status).toBe(303);
    expect(await balance(next(response, cookie))).toBe(START - 25_000);
    const sent = (await (await call(sentLoader, buildRequest("/payments/sent", { cookie: next(response, cookie) }))).json()) as PaymentConfirmationView;
    expect(sent.creditorName).toBe("Charles Babbage");
    expect(paymentCalls().map((request) => request.headers["idempotency-key"])).toEqual([key, key]);
  });

  it("a double submit of the confirmation pays once", async () => {
    const { cookie, key } = await startConfirmation();
    const code = latestCode();
    const responses = await Promise.all([
      confirm(cookie, { payment: key, intent: "confirm", code }),
      confirm(cookie, { payment: key, intent: "confirm", code }),
    ]);
    expect(responses.map((response) => response.headers.get("location"))).toContain("/payments/sent");
    for (const response of responses) expect([303, 410]).toContain(response.status);
    expect(await balance(cookie)).toBe(START - 25_000);
  });

  it("a reused confirmation (the same post again afterwards) never pays twice", async () => {
    const { cookie, key } = await startConfirmation();
    const code = latestCode();
    const first = await confirm(cookie, { payment: key, intent: "confirm", code });
    expect(first.status).toBe(303);
    // With the old cookie (back and resubmit, JavaScript off): the spent code, then Payments replays the key.
    const stale = await confirm(cookie, { payment: key, intent: "confirm", code });
    expect(stale.status).toBe(303);
    expect(stale.headers.get("location")).toBe("/payments/sent");
    // With the current cookie: nothing pending, and this payment was sent.
    const current = await confirm(next(first, cookie), { payment: key, intent: "confirm", code });
    expect(current.headers.get("location")).toBe("/payments/sent");
    expect(await balance(cookie)).toBe(START - 25_000);
  });

  it("back to the form and the same payment again afterwards asks first (decision 006)", async () => {
    const { cookie, key } = await startConfirmation();
    const paid = await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() });
    const after = next(paid, cookie);
    const again = await send(after, { ...PAYMENT, idempotencyKey: await formKey(after) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as PaymentActionData).duplicateOf).toBeDefined();
    expect(await balance(after)).toBe(START - 25_000);
  });
});

describe("the code", () => {
  it("a wrong code says so, keeps the count and shows the tries left; nothing is booked", async () => {
    const started = await startConfirmation();
    let { cookie } = started;
    const { key } = started;
    const response = await confirm(cookie, { payment: key, intent: "confirm", code: wrongCode() });
    expect(response.status).toBe(400);
    const data = (await response.json()) as ConfirmActionData;
    expect(data.errors.code).toBe("That code is not right. 4 tries left.");
    expect(data.triesLeft).toBe(4);
    cookie = next(response, cookie);
    expect((await page(cookie)).triesLeft).toBe(4);
    // The right code still works.
    const paid = await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() });
    expect(paid.status).toBe(303);
    expect(await balance(cookie)).toBe(START - 25_000);
  });

  it("a wrong code spends one try, not two: the session does not refresh-and-retry it", async () => {
    const { cookie, key } = await startConfirmation();
    await confirm(cookie, { payment: key, intent: "confirm", code: wrongCode() });
    expect(verifyCalls()).toHaveLength(1);
  });

  it("after 5 wrong codes only a new code helps; 'Send a new code' starts a new challenge for the same payment", async () => {
    const started = await startConfirmation();
    let { cookie } = started;
    const { key } = started;
    const first = latestCode();
    for (let i = 0; i < 5; i++) {
      const response = await confirm(cookie, { payment: key, intent: "confirm", code: first === "000000" ? "111111" : "000000" });
      expect(response.status).toBe(400);
      cookie = next(response, cookie);
    }
    expect((await page(cookie)).triesLeft).toBe(0);
    const gone = await confirm(cookie, { payment: key, intent: "confirm", code: first });
    expect(gone.status).toBe(410);
    const goneData = (await gone.json()) as ConfirmActionData;
    expect(goneData.challengeGone).toBe(true);
    expect(goneData.errors.form).toContain("Ask for a new code");
    expect(await balance(cookie)).toBe(START);

    const resent = await confirm(cookie, { payment: key, intent: "resend" });
    expect(resent.status).toBe(200);
    expect(((await resent.json()) as ConfirmActionData).notice).toBe("We've sent you a new code.");
    cookie = next(resent, cookie);
    expect((await page(cookie)).triesLeft).toBe(5);
    expect(standins.outbox(DEMO.ada.email)).toHaveLength(2);
    const paid = await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() });
    expect(paid.status).toBe(303);
    expect(await balance(cookie)).toBe(START - 25_000);
  });

  it("an expired challenge (410 at Auth) offers a new code and books nothing", async () => {
    const { cookie, key } = await startConfirmation();
    standins.use(http.post("*/v1/sca/challenges/:id/verify", () => HttpResponse.json({ message: "This challenge has expired." }, { status: 410 })));
    const response = await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() });
    expect(response.status).toBe(410);
    expect(((await response.json()) as ConfirmActionData).challengeGone).toBe(true);
    expect(await balance(cookie)).toBe(START);
  });

  it("refuses a code that is not 6 digits with 400, without asking Auth", async () => {
    const { cookie, key } = await startConfirmation();
    for (const code of ["", "12345", "abcdef", "1234567"]) {
      const response = await confirm(cookie, { payment: key, intent: "confirm", code });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ConfirmActionData).errors.code).toBe("Enter the 6-digit code from the message we sent you.");
    }
    expect(verifyCalls()).toHaveLength(0);
  });
});

describe("a new payment means a new challenge", () => {
  it("editing the amount replaces the pending payment: the old code does not confirm the new one", async () => {
    const started = await startConfirmation();
    let { cookie } = started;
    const { key } = started;
    const oldCode = latestCode();
    // Back to the form (the same rendered form, same key), another amount.
    const edited = await send(cookie, { ...PAYMENT, amount: "300.00", idempotencyKey: key });
    expect(edited.headers.get("location")).toBe("/payments/confirm");
    cookie = next(edited, cookie);
    expect((await page(cookie)).amount.text).toBe("€300.00");
    const newCode = latestCode();
    const withOld = await confirm(cookie, { payment: key, intent: "confirm", code: oldCode });
    // Codes are random: only if both happen to be equal is the old one the new one.
    expect(withOld.status).toBe(oldCode === newCode ? 303 : 400);
    if (oldCode !== newCode) {
      cookie = next(withOld, cookie);
      expect((await confirm(cookie, { payment: key, intent: "confirm", code: newCode })).status).toBe(303);
    }
    expect(await balance(cookie)).toBe(START - 30_000);
  });

  it("a confirmation page left open over a newer payment is refused (409), nothing booked", async () => {
    const { cookie } = await startConfirmation();
    const response = await confirm(cookie, { payment: crypto.randomUUID(), intent: "confirm", code: latestCode() });
    expect(response.status).toBe(409);
    expect(verifyCalls()).toHaveLength(0);
    expect(await balance(cookie)).toBe(START);
  });
});

describe("when a service fails", () => {
  it("Auth down while starting the challenge: the form says so (503), nothing booked, nothing pending", async () => {
    const cookie = await signInAs("ada");
    standins.use(http.post("*/v1/sca/challenges", () => HttpResponse.json({ error: "service_unavailable" }, { status: 503 })));
    const key = await formKey(cookie);
    const response = await send(cookie, { ...PAYMENT, idempotencyKey: key });
    expect(response.status).toBe(503);
    const data = (await response.json()) as PaymentActionData;
    expect(data.errors.form).toBe("We can't ask you to confirm this payment right now. Nothing was sent; please try again in a minute.");
    expect(data.values.amount).toBe("250.00");
    expect(data.idempotencyKey).toBe(key);
    expect(await balance(cookie)).toBe(START);
    expect((await readSession(next(response, cookie)))?.pendingPayment).toBeUndefined();
  });

  it("Auth down while checking the code: a clear message (503), nothing booked, the payment still pending", async () => {
    const { cookie, key } = await startConfirmation();
    standins.use(http.post("*/v1/sca/challenges/:id/verify", () => new HttpResponse("upstream connect error", { status: 502 })));
    const response = await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() });
    expect(response.status).toBe(503);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ errors: { form: "We can't check your code right now. Nothing was sent; please try again in a minute." } });
    expect(body).not.toMatch(/at .*\.ts|upstream connect/);
    expect(await balance(cookie)).toBe(START);
    standins.resetHandlers();
    expect((await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() })).status).toBe(303);
    expect(await balance(cookie)).toBe(START - 25_000);
  });

  it("Auth down when asked for a new code: a clear message (503)", async () => {
    const { cookie, key } = await startConfirmation();
    standins.configure({ failureRate: { auth: 1 } });
    const response = await confirm(cookie, { payment: key, intent: "resend" });
    expect(response.status).toBe(503);
    expect(((await response.json()) as ConfirmActionData).errors.form).toContain("We can't send a new code right now");
  });

  it("Payments answering sca_invalid: nothing booked, a new challenge and a clear message; the new code pays", async () => {
    const started = await startConfirmation();
    let { cookie } = started;
    const { key } = started;
    const firstChallenge = (await readSession(cookie))?.pendingPayment?.challengeId;
    let refused = false;
    standins.use(
      http.post("*/v2/payments", ({ request }) => {
        if (refused || !request.headers.get("sca-token")) return undefined;
        refused = true;
        return HttpResponse.json({ title: "Invalid SCA token", detail: "expired", code: "sca_invalid" }, { status: 403 });
      }),
    );
    const response = await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() });
    expect(response.status).toBe(409);
    const data = (await response.json()) as ConfirmActionData;
    expect(data.errors.form).toBe("Your bank didn't accept that confirmation, and nothing was sent. We've sent you a new code: enter it to confirm.");
    expect(await balance(cookie)).toBe(START);
    cookie = next(response, cookie);
    const pending = (await readSession(cookie))?.pendingPayment;
    expect(pending?.challengeId).not.toBe(firstChallenge);
    expect(pending?.key).toBe(key);
    expect(standins.outbox(DEMO.ada.email)).toHaveLength(2);
    expect((await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() })).status).toBe(303);
    expect(await balance(cookie)).toBe(START - 25_000);
  });

  it("Payments refusing the payment itself on confirmation (422): says so, drops the pending payment", async () => {
    const { cookie, key } = await startConfirmation();
    standins.use(
      http.post("*/v2/payments", () => HttpResponse.json({ title: "Insufficient funds", detail: "The amount exceeds the available balance." }, { status: 422 })),
    );
    const response = await confirm(cookie, { payment: key, intent: "confirm", code: latestCode() });
    expect(response.status).toBe(422);
    expect(((await response.json()) as ConfirmActionData).refused).toBe(true);
    expect((await readSession(next(response, cookie)))?.pendingPayment).toBeUndefined();
  });
});

describe("/payments/confirm without a pending payment", () => {
  it("sends the customer to the form", async () => {
    const cookie = await signInAs("ada");
    const response = await call(confirmLoader, buildRequest("/payments/confirm", { cookie }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/payments/new");
    const posted = await confirm(cookie, { payment: crypto.randomUUID(), intent: "confirm", code: "123456" });
    expect(posted.headers.get("location")).toBe("/payments/new");
    expect(paymentCalls()).toHaveLength(0);
  });

  it("asks a signed-out browser to sign in, and pays nothing", async () => {
    const response = await confirm("", { payment: crypto.randomUUID(), intent: "confirm", code: "123456" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    expect(paymentCalls()).toHaveLength(0);
  });
});

describe("the session cookie", () => {
  it("keeps the largest pending payment and five recent payments whole within 4096 bytes", async () => {
    const { cookie } = await startConfirmation();
    const session = await readSession(cookie);
    if (!session?.pendingPayment) throw new Error("no pending payment");
    // Longest name and reference, in three-byte characters, and a 34-character IBAN.
    session.pendingPayment.creditorName = "€".repeat(70);
    session.pendingPayment.remittanceInfo = "€".repeat(140);
    session.pendingPayment.creditorIban = "MT84MALT011000012345MTLCAST001S12";
    session.recentPayments = Array.from({ length: 5 }, (_, i) => ({ fingerprint: "x".repeat(43), key: crypto.randomUUID(), paymentId: `pmt_000000000${i}`, at: Date.now() }));
    session.lastPayment = { paymentId: "pmt_0000000001", amountMinor: 25_000, currency: "EUR", creditorName: "€".repeat(70), status: "pending" };
    const runtime = getSessionRuntime();
    const setCookie = await runtime.store.commit(session, true, Date.now() + 60_000);
    expect(setCookie.length).toBeLessThanOrEqual(4096);
    // The sealed value is the cookie's value (decision 015): the worst case fits without shedding.
    const stored = await runtime.store.read(buildRequest("/", { headers: { cookie: setCookie.split(";")[0] ?? "" } }), true);
    expect(stored?.pendingPayment?.remittanceInfo).toBe("€".repeat(140));
    expect(stored?.lastPayment).toEqual(session.lastPayment);
    expect(stored?.recentPayments).toHaveLength(5);
  });

  it("sheds the oldest duplicate-payment memory, never the pending payment, when a session would pass 4096 bytes", async () => {
    const { cookie } = await startConfirmation();
    const session = await readSession(cookie);
    if (!session?.pendingPayment) throw new Error("no pending payment");
    session.pendingPayment.remittanceInfo = "€".repeat(140);
    // More memory than a session ever keeps, so the guard has to act.
    session.recentPayments = Array.from({ length: 30 }, (_, i) => ({ fingerprint: "x".repeat(43), key: crypto.randomUUID(), paymentId: `pmt_${String(i).padStart(10, "0")}`, at: Date.now() }));
    const newestFirst = session.recentPayments.map((payment) => payment.paymentId);
    const runtime = getSessionRuntime();
    const setCookie = await runtime.store.commit(session, true, Date.now() + 60_000);
    expect(setCookie.length).toBeLessThanOrEqual(4096);
    const stored = await runtime.store.read(buildRequest("/", { headers: { cookie: setCookie.split(";")[0] ?? "" } }), true);
    expect(stored?.pendingPayment?.remittanceInfo).toBe("€".repeat(140));
    const kept = stored?.recentPayments ?? [];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(30);
    // The newest first: what was shed is the tail, the oldest.
    expect(kept.map((payment) => payment.paymentId)).toEqual(newestFirst.slice(0, kept.length));
  });
});
