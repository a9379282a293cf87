import { http, HttpResponse } from "msw";
import type { PaymentConfirmationView, PaymentFormView } from "../../types/views";
import type { PaymentActionData } from "~/payments/payments.server";
import { buildRequest, call, testContext } from "../../tests/support/remix";
import { signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { action, loader } from "./payments.new";
import { loader as sentLoader } from "./payments.sent";

const PAYMENT = {
  creditorName: "Charles Babbage",
  creditorIban: "GB82 WEST 1234 5698 7654 32",
  amount: "12.50",
  remittanceInfo: "Difference engine parts",
};

async function form(cookie: string) {
  const response = await call(loader, buildRequest("/payments/new", { cookie }));
  return (await response.json()) as PaymentFormView;
}

const send = (cookie: string, fields: Record<string, string>) =>
  call(action, buildRequest("/payments/new", { form: fields, cookie }), { context: testContext() });

const paymentCalls = () => standins.requests.filter((request) => request.method === "POST" && request.path === "/v2/payments");

async function balance(cookie: string) {
  const view = await form(cookie);
  return view.account.status === "ok" ? view.account.data.available.minor : Number.NaN;
}

describe("GET /payments/new", () => {
  it("mints a fresh idempotency key per rendered form and shows what is available", async () => {
    const cookie = await signInAs("ada");
    const [first, second] = [await form(cookie), await form(cookie)];
    expect(first.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.idempotencyKey).not.toBe(second.idempotencyKey);
    expect(first.account).toEqual({
      status: "ok",
      data: { available: { minor: 1_234_567, currency: "EUR", text: "€12,345.67" }, currency: "EUR" },
    });
  });

  it("says payments are unavailable when Payments is down", async () => {
    const cookie = await signInAs("ada");
    standins.configure({ failureRate: { payments: 1 } });
    expect((await form(cookie)).account.status).toBe("unavailable");
  });
});

describe("POST /payments/new", () => {
  it("pays, redirects (303) to a confirmation with the new balance", async () => {
    const cookie = await signInAs("ada");
    const { idempotencyKey } = await form(cookie);
    const response = await send(cookie, { ...PAYMENT, idempotencyKey });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/payments/sent");
    const next = response.headers.get("set-cookie")?.split(";")[0] ?? cookie;
    const sent = (await (await call(sentLoader, buildRequest("/payments/sent", { cookie: next }))).json()) as PaymentConfirmationView;
    expect(sent).toMatchObject({
      amount: { minor: 1250, currency: "EUR", text: "€12.50" },
      creditorName: "Charles Babbage",
      status: "pending",
      balance: { status: "ok", data: { available: { minor: 1_234_567 - 1250 } } },
    });
    const sentPayment = paymentCalls()[0];
    expect(sentPayment?.headers["idempotency-key"]).toBe(idempotencyKey);
  });

  it("pays once for a double submit of the same form", async () => {
    const cookie = await signInAs("ada");
    const { idempotencyKey } = await form(cookie);
    const [a, b] = await Promise.all([send(cookie, { ...PAYMENT, idempotencyKey }), send(cookie, { ...PAYMENT, idempotencyKey })]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(await balance(cookie)).toBe(1_234_567 - 1250);
  });

  it("asks before sending the same payment again from a re-rendered form (back and submit)", async () => {
    let cookie = await signInAs("ada");
    const first = await send(cookie, { ...PAYMENT, idempotencyKey: (await form(cookie)).idempotencyKey });
    cookie = first.headers.get("set-cookie")?.split(";")[0] ?? cookie;
    const again = await send(cookie, { ...PAYMENT, idempotencyKey: (await form(cookie)).idempotencyKey });
    expect(again.status).toBe(409);
    const data = (await again.json()) as PaymentActionData;
    expect(data.errors.form).toContain("already sent this exact payment");
    expect(data.duplicateOf).toBeDefined();
    expect(data.values.amount).toBe("12.50");
    expect(await balance(cookie)).toBe(1_234_567 - 1250);

    const confirmed = await send(cookie, { ...PAYMENT, idempotencyKey: data.idempotencyKey, confirmDuplicate: "yes" });
    expect(confirmed.status).toBe(303);
    expect(await balance(cookie)).toBe(1_234_567 - 2500);
  });

  it.each([
    [{ creditorName: "" }, "creditorName"],
    [{ creditorIban: "GB82WEST12345698765431" }, "creditorIban"],
    [{ amount: "0" }, "amount"],
    [{ amount: "12.345" }, "amount"],
    [{ amount: "-3" }, "amount"],
    [{ remittanceInfo: "x".repeat(141) }, "remittanceInfo"],
  ])("re-renders %j with 400, the message next to %s and the typed values kept, paying nothing", async (change, field) => {
    const cookie = await signInAs("ada");
    const { idempotencyKey } = await form(cookie);
    const response = await send(cookie, { ...PAYMENT, ...change, idempotencyKey });
    expect(response.status).toBe(400);
    const data = (await response.json()) as PaymentActionData;
    expect(data.errors[field as keyof PaymentActionData["errors"]]).toEqual(expect.any(String));
    expect(data.values).toMatchObject({ ...PAYMENT, ...change });
    expect(data.idempotencyKey).toBe(idempotencyKey);
    expect(paymentCalls()).toHaveLength(0);
  });

  it("shows an amount over the balance as a 422 on the amount field", async () => {
    const cookie = await signInAs("grace");
    const { idempotencyKey } = await form(cookie);
    const response = await send(cookie, { ...PAYMENT, amount: "3021.51", idempotencyKey });
    expect(response.status).toBe(422);
    expect(((await response.json()) as PaymentActionData).errors.amount).toBe("The amount is more than your available balance.");
  });

  it("keeps the same key when the outcome is unknown, so sending again cannot pay twice", async () => {
    const cookie = await signInAs("ada");
    const { idempotencyKey } = await form(cookie);
    // The payment goes through upstream, but its answer is lost on the way back.
    let lost = false;
    standins.use(
      http.post("*/v2/payments", () => {
        if (lost) return undefined;
        lost = true;
        return HttpResponse.json({}, { status: 502 });
      }),
    );
    const uncertain = await send(cookie, { ...PAYMENT, idempotencyKey });
    expect(uncertain.status).toBe(503);
    const data = (await uncertain.json()) as PaymentActionData;
    expect(data.idempotencyKey).toBe(idempotencyKey);
    expect(data.errors.form).toContain("will not pay twice");
    expect((await send(cookie, { ...PAYMENT, idempotencyKey })).status).toBe(303);
    expect(await balance(cookie)).toBe(1_234_567 - 1250);
  });

  it("refuses a form without a valid key with 400", async () => {
    const cookie = await signInAs("ada");
    const response = await send(cookie, { ...PAYMENT, idempotencyKey: "nope" });
    expect(response.status).toBe(400);
    expect(paymentCalls()).toHaveLength(0);
  });

  it("redirects a signed-out submit to sign in and pays nothing", async () => {
    const response = await send("", { ...PAYMENT, idempotencyKey: crypto.randomUUID() });
    expect(response.status).toBe(302);
    expect(paymentCalls()).toHaveLength(0);
  });
});
