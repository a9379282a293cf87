import { http, HttpResponse } from "msw";
import type { DashboardView } from "../../types/views";
import { buildRequest, call } from "../../tests/support/remix";
import { signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { leaksIn } from "../../tests/support/trimming";
import { loader } from "./dashboard";

async function dashboard(customer: "ada" | "grace" = "ada") {
  const cookie = await signInAs(customer);
  const response = await call(loader, buildRequest("/dashboard", { cookie }));
  return { response, view: (await response.json()) as DashboardView };
}

describe("GET /dashboard", () => {
  it("shows the customer's name, balance, five recent transactions and one ad, from parallel calls", async () => {
    const cookie = await signInAs("ada");
    const before = standins.requests.length;
    const response = await call(loader, buildRequest("/dashboard", { cookie }));
    const view = (await response.json()) as DashboardView;
    expect(response.status).toBe(200);
    expect(view.customer).toEqual({ status: "ok", data: { firstName: "Ada", fullName: "Ada Lovelace" } });
    expect(view.balance).toMatchObject({ status: "ok", data: { available: { minor: 1_234_567, currency: "EUR", text: "€12,345.67" } } });
    expect(view.recentTransactions.status === "ok" && view.recentTransactions.data).toHaveLength(5);
    expect(view.ad).toMatchObject({ status: "ok", data: { id: expect.any(String), sponsor: expect.any(String) } });
    const services = new Set(standins.requests.slice(before).map((request) => request.service));
    expect(services).toEqual(new Set(["users", "payments", "transactions", "ads"]));
  });

  it("formats money and dates for the customer's locale", async () => {
    const { view } = await dashboard("grace");
    expect(view.balance.status === "ok" && view.balance.data.available.text).toBe("$3,021.50");
    const first = view.recentTransactions.status === "ok" ? view.recentTransactions.data[0] : undefined;
    expect(first?.bookedAtText).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/); // en-US: "Jun 2, 2025"
  });

  it("personalises the ad on the server from the customer's segment, and never says how", async () => {
    const { view } = await dashboard();
    const adRequest = standins.requests.find((request) => request.service === "ads");
    expect(adRequest?.url).toContain("placement=inline");
    expect(adRequest?.url).toMatch(/segment=\w+/);
    expect(leaksIn(view)).toEqual([]);
  });

  it.each([
    ["payments", "*/v2/accounts/current", "balance", "Your balance is unavailable right now."],
    ["transactions", "*/transactions", "recentTransactions", "Your recent transactions are unavailable right now."],
  ] as const)("degrades only its section when %s fails", async (_service, path, key, message) => {
    standins.use(http.get(path, () => HttpResponse.json({ error: "boom" }, { status: 503 })));
    const { response, view } = await dashboard();
    expect(response.status).toBe(200);
    expect(view[key]).toEqual({ status: "unavailable", message });
    expect(view.customer.status).toBe("ok");
    expect(JSON.stringify(view)).not.toMatch(/503|boom|127\.0\.0\.1|Error/);
  });

  it("keeps the name from the session when Users fails", async () => {
    const cookie = await signInAs("ada");
    standins.use(http.get("*/v1/users/me", () => HttpResponse.json({}, { status: 500 })));
    const view = (await (await call(loader, buildRequest("/dashboard", { cookie }))).json()) as DashboardView;
    expect(view.customer).toEqual({ status: "ok", data: { firstName: "Ada", fullName: "Ada Lovelace" } });
    expect(view.balance.status).toBe("ok");
  });

  it("shows no ad, and no error, when Ads fails", async () => {
    standins.configure({ failureRate: { ads: 1 } });
    const { response, view } = await dashboard();
    expect(response.status).toBe(200);
    expect(view.ad).toEqual({ status: "ok", data: null });
  });

  it("does not let one slow service hold the page", async () => {
    const cookie = await signInAs("ada");
    standins.configure({ latencyMs: { transactions: 5_000 } });
    const started = performance.now();
    const response = await call(loader, buildRequest("/dashboard", { cookie }));
    const elapsed = performance.now() - started;
    const view = (await response.json()) as DashboardView;
    expect(view.recentTransactions.status).toBe("unavailable");
    expect(view.balance.status).toBe("ok");
    expect(elapsed).toBeLessThan(2_500);
  });

  it("redirects a signed-out visitor to sign in", async () => {
    const response = await call(loader, buildRequest("/dashboard"));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fdashboard");
  });
});
