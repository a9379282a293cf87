import type { LoaderFunctionArgs } from "@remix-run/node";
import { loader as root } from "../../app/root";
import { loader as dashboard } from "../../app/routes/dashboard";
import { loader as login } from "../../app/routes/login";
import { loader as loginCode } from "../../app/routes/login_.code";
import { action as pay, loader as newPayment } from "../../app/routes/payments.new";
import { loader as paymentSent } from "../../app/routes/payments.sent";
import { loader as profile } from "../../app/routes/profile";
import { loader as transactions } from "../../app/routes/transactions";
import { buildRequest, call, cookieFrom } from "../support/remix";
import { signInAs } from "../support/session";
import { leaksIn } from "../support/trimming";

type Loader = (args: LoaderFunctionArgs) => unknown;

const SIGNED_IN: [string, Loader][] = [
  ["/", root],
  ["/dashboard", dashboard],
  ["/transactions", transactions],
  ["/profile", profile],
  ["/payments/new", newPayment],
];

describe("loader data holds only view-model fields", () => {
  it.each(SIGNED_IN)("%s sends no upstream-only field, token or internal address", async (path, loader) => {
    const response = await call(loader, buildRequest(path, { cookie: await signInAs("ada") }));
    expect(response.status).toBe(200);
    expect(leaksIn(await response.json())).toEqual([]);
  });

  it("the payment confirmation too", async () => {
    const cookie = await signInAs("ada");
    const form = (await (await call(newPayment, buildRequest("/payments/new", { cookie }))).json()) as { idempotencyKey: string };
    const sent = await call(
      pay,
      buildRequest("/payments/new", {
        cookie,
        form: { creditorName: "C B", creditorIban: "GB82WEST12345698765432", amount: "1.00", remittanceInfo: "x", idempotencyKey: form.idempotencyKey },
      }),
    );
    const response = await call(paymentSent, buildRequest("/payments/sent", { cookie: cookieFrom(sent) }));
    expect(response.status).toBe(200);
    expect(leaksIn(await response.json())).toEqual([]);
  });

  it.each([
    ["/login", login],
    ["/login/code", loginCode],
  ] as [string, Loader][])("%s (signed out) too", async (path, loader) => {
    const response = await call(loader, buildRequest(path));
    expect(leaksIn(await response.json())).toEqual([]);
  });

  it("the scanner itself finds what it must", () => {
    expect(leaksIn({ a: [{ raw: {} }], b: { tokens: 1 }, c: "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.x" })).toHaveLength(3);
  });
});
