import type { LoaderFunctionArgs } from "@remix-run/node";
import { loader as root } from "../../app/root";
import { loader as dashboard } from "../../app/routes/dashboard";
import { loader as login } from "../../app/routes/login";
import { loader as loginCode } from "../../app/routes/login_.code";
import { action as pay, loader as newPayment } from "../../app/routes/payments.new";
import { loader as paymentSent } from "../../app/routes/payments.sent";
import { loader as profile } from "../../app/routes/profile";
import { loader as transactions } from "../../app/routes/transactions";
import { DEMO_LOGINS, signIn } from "../../bench/sign-in";
import { serverForFile } from "../../server/test-server";
import { buildRequest, call, cookieFrom } from "../support/remix";
import { signInAs } from "../support/session";
import { readSingleFetch } from "../support/single-fetch";
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

/**
 * The same scan on what the browser is sent: single fetch's turbo-stream, decoded
 * as Remix's client decodes it, through the real server (docs/decisions/012).
 * Object keys live in a string table on the wire, so only the decoded value can
 * be scanned for them.
 */
describe("data requests over the wire hold only view-model fields", () => {
  const server = serverForFile();

  it.each([
    ["/_root.data", ["root"]],
    ["/dashboard.data", ["root", "routes/dashboard"]],
    ["/transactions.data", ["root", "routes/transactions"]],
    ["/profile.data", ["root", "routes/profile"]],
    ["/payments/new.data", ["root", "routes/payments.new"]],
  ])("%s, signed in, for each demo customer", async (path, routes) => {
    for (const login of DEMO_LOGINS) {
      const response = await fetch(server.url() + path, { headers: { cookie: await signIn(server.url(), login) }, redirect: "manual" });
      expect(response.status).toBe(200);
      const value = await readSingleFetch(response);
      // Each route's data is there (an empty answer would pass the scan for nothing).
      for (const route of routes) expect(value, route).toHaveProperty([route, "data"]);
      expect(leaksIn(value), login.email).toEqual([]);
    }
  });

  it.each(["/login.data", "/login/code.data"])("%s, signed out", async (path) => {
    const response = await fetch(server.url() + path, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(leaksIn(await readSingleFetch(response))).toEqual([]);
  });
});
