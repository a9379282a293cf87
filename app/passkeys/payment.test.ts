import { http, HttpResponse } from "msw";
import type { PaymentFormView } from "../../types/views";
import { SoftAuthenticator } from "../../upstream/soft-authenticator";
import { buildRequest, call, testContext } from "../../tests/support/remix";
import { readSession, signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { action as apiAction } from "../routes/api.$";
import { loader as confirmLoader } from "../routes/payments.confirm";
import { action as formAction, loader as formLoader } from "../routes/payments.new";
import { loader as sentLoader } from "../routes/payments.sent";

/**
 * "Confirm with passkey": the pending payment's challenge answered with a passkey
 * assertion that Auth verifies; the payment then goes exactly as with a code.
 */

const CSRF = { "x-csrf": "1" };
const PAYMENT = { creditorName: "Charles Babbage", creditorIban: "GB82 WEST 1234 5698 7654 32", amount: "250.00", remittanceInfo: "Engine" };
const GRACE_START = 302_150;

const next = (response: Response, cookie: string) => response.headers.get("set-cookie")?.split(";")[0] || cookie;
const api = (path: string, json: unknown, cookie: string, headers: Record<string, string> = CSRF) =>
  call(apiAction, buildRequest(path, { json, cookie, headers }), { context: testContext() });
const paymentCalls = () => standins.requests.filter((request) => request.method === "POST" && request.path === "/v2/payments");

async function balance(cookie: string) {
  const view = (await (await call(formLoader, buildRequest("/payments/new", { cookie }))).json()) as PaymentFormView;
  return view.account.status === "ok" ? view.account.data.available.minor : Number.NaN;
}

/** Grace with a passkey (registered through the app) and 250.00 waiting for confirmation. */
async function pendingWithPasskey(register = true) {
  let cookie = await signInAs("grace");
  const authenticator = new SoftAuthenticator();
  if (register) {
    const options = await api("/api/passkeys/registration/options", {}, cookie);
    const { options: json } = (await options.json()) as { options: Parameters<SoftAuthenticator["register"]>[0] };
    expect((await api("/api/passkeys/registration/verify", { response: authenticator.register(json) }, cookie)).status).toBe(201);
  }
  const form = (await (await call(formLoader, buildRequest("/payments/new", { cookie }))).json()) as PaymentFormView;
  const sent = await call(formAction, buildRequest("/payments/new", { form: { ...PAYMENT, idempotencyKey: form.idempotencyKey }, cookie }));
  expect(sent.headers.get("location")).toBe("/payments/confirm");
  cookie = next(sent, cookie);
  return { cookie, authenticator, key: form.idempotencyKey };
}

async function paymentOptions(cookie: string, key: string) {
  const response = await api("/api/passkeys/payment/options", { payment: key }, cookie);
  expect(response.status).toBe(200);
  return ((await response.json()) as { options: { challenge: string } }).options;
}

describe("Confirm with passkey", () => {
  it("is offered on the confirmation page only to a customer with a passkey", async () => {
    const withPasskey = await pendingWithPasskey();
    const page = await call(confirmLoader, buildRequest("/payments/confirm", { cookie: withPasskey.cookie }));
    expect(await page.json()).toMatchObject({ passkey: true, paymentKey: withPasskey.key });
    standins.reset();
    const without = await pendingWithPasskey(false);
    const plain = await call(confirmLoader, buildRequest("/payments/confirm", { cookie: without.cookie }));
    expect(await plain.json()).toMatchObject({ passkey: false });
  });

  it("pays 250.00 once: options, the assertion relayed to Auth, the payment with its own key; the balance drops exactly once", async () => {
    const { cookie, authenticator, key } = await pendingWithPasskey();
    expect(await balance(cookie)).toBe(GRACE_START);
    const options = await paymentOptions(cookie, key);
    const assertion = authenticator.assert(options);
    const verified = await api("/api/passkeys/payment/verify", { payment: key, response: assertion }, cookie);
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ redirectTo: "/payments/sent" });
    const after = next(verified, cookie);
    expect(await balance(after)).toBe(GRACE_START - 25_000);
    expect((await readSession(after))?.pendingPayment).toBeUndefined();
    const sentPage = await call(sentLoader, buildRequest("/payments/sent", { cookie: after }));
    expect(sentPage.status).toBe(200);
    // The payment went with the form's Idempotency-Key and an SCA token.
    const payments = paymentCalls();
    expect(payments.at(-1)?.headers["idempotency-key"]).toBe(key);
    expect(payments.at(-1)?.headers["sca-token"]).toEqual(expect.any(String));

    // The same confirmation again (a double click, a replay): no second booking.
    const again = await api("/api/passkeys/payment/verify", { payment: key, response: assertion }, after);
    expect(await again.json()).toEqual({ redirectTo: "/payments/sent" });
    expect(await balance(after)).toBe(GRACE_START - 25_000);
  });

  it("two confirmations at once book once", async () => {
    const { cookie, authenticator, key } = await pendingWithPasskey();
    const options = await paymentOptions(cookie, key);
    const assertion = authenticator.assert(options);
    await Promise.all([
      api("/api/passkeys/payment/verify", { payment: key, response: assertion }, cookie),
      api("/api/passkeys/payment/verify", { payment: key, response: assertion }, cookie),
    ]);
    expect(await balance(cookie)).toBe(GRACE_START - 25_000);
  });

  it("refuses an assertion Auth does not accept (no user verification): a message, nothing booked, the code still works", async () => {
    const { cookie, authenticator, key } = await pendingWithPasskey();
    const options = await paymentOptions(cookie, key);
    const response = await api("/api/passkeys/payment/verify", { payment: key, response: authenticator.assert(options, { userVerified: false }) }, cookie);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/passkey wasn't accepted/);
    expect(await balance(cookie)).toBe(GRACE_START);
    expect(paymentCalls().filter((request) => request.headers["sca-token"])).toEqual([]);
  });

  it("never pays another payment: a key that is not the pending one is refused with 409", async () => {
    const { cookie, authenticator, key } = await pendingWithPasskey();
    const options = await paymentOptions(cookie, key);
    const response = await api("/api/passkeys/payment/verify", { payment: "another-key", response: authenticator.assert(options) }, cookie);
    expect(response.status).toBe(409);
    expect((await api("/api/passkeys/payment/options", { payment: "another-key" }, cookie)).status).toBe(409);
    expect(await balance(cookie)).toBe(GRACE_START);
  });

  it("needs the session, X-CSRF and the same origin", async () => {
    const { cookie, key } = await pendingWithPasskey();
    expect((await api("/api/passkeys/payment/options", { payment: key }, "")).status).toBe(401);
    expect((await api("/api/passkeys/payment/options", { payment: key }, cookie, {})).status).toBe(403);
    expect((await api("/api/passkeys/payment/options", { payment: key }, cookie, { ...CSRF, origin: "https://evil.example" })).status).toBe(403);
  });

  it("says so when Auth is down while checking the passkey: 503, nothing booked", async () => {
    const { cookie, authenticator, key } = await pendingWithPasskey();
    const options = await paymentOptions(cookie, key);
    standins.use(http.post("*/v1/sca/challenges/:id/verify", () => HttpResponse.json({ error: "down" }, { status: 503 })));
    const response = await api("/api/passkeys/payment/verify", { payment: key, response: authenticator.assert(options) }, cookie);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/Nothing was sent/);
    expect(await balance(cookie)).toBe(GRACE_START);
  });
});
