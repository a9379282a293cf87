import { http, HttpResponse } from "msw";
import { buildRequest, call } from "../../tests/support/remix";
import { standins } from "../../tests/support/standins";
import { loader } from "./readyz";

describe("GET /readyz", () => {
  it("is 200 when every upstream answers its health check", async () => {
    const response = await call(loader, buildRequest("/readyz"));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      status: "ready",
      services: { auth: "ok", users: "ok", payments: "ok", transactions: "ok", ads: "ok" },
    });
  });

  it("is 503 naming the upstream that fails", async () => {
    standins.use(http.get(`${standins.urls.payments}/health`, () => HttpResponse.json({}, { status: 500 })));
    const response = await call(loader, buildRequest("/readyz"));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: "unavailable",
      services: { payments: "unavailable", users: "ok" },
      unavailable: ["payments"],
    });
  });

  it("does not wait for a hung upstream longer than its short timeout", async () => {
    standins.configure({ latencyMs: { ads: 5_000 } });
    const started = performance.now();
    const response = await call(loader, buildRequest("/readyz"));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ unavailable: ["ads"] });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("GET /readyz while draining", () => {
  it("is 503 and says so, even with every upstream answering", async () => {
    const { markDraining } = await import("~/readiness.server");
    markDraining();
    const response = await call(loader, buildRequest("/readyz"));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable", draining: true });
  });
});
