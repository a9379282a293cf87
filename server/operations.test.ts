import type { ChildProcess } from "node:child_process";
import { launchServer } from "./test-server";

/** Access logs and metrics of the real server, after real traffic. */
let base = "";
let child: ChildProcess;
let output: () => string;
const METRICS_TOKEN = "metrics-token-for-tests";

beforeAll(async () => {
  ({ child, output, base } = await launchServer({ LOG_LEVEL: "info", METRICS_TOKEN }));
}, 60_000);

afterAll(() => {
  child.kill("SIGTERM");
});

async function signIn(password: string) {
  return fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, "x-request-id": `login-${password.length}` },
    body: new URLSearchParams({ email: "ada@example.com", password }),
  });
}

describe("operations", () => {
  it("writes one JSON access line per request, with the request id and its upstream calls, and no secrets", async () => {
    const response = await signIn("Analytical-Engine-1843");
    expect(response.status).toBe(302);
    const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
    const page = await fetch(`${base}/dashboard`, { headers: { cookie, "x-request-id": "dash-123" } });
    expect(page.headers.get("x-request-id")).toBe("dash-123");
    await page.text();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = lines.find((line) => line.msg === "request" && line.requestId === "dash-123");
    expect(access).toMatchObject({ method: "GET", route: "/dashboard", status: 200, durationMs: expect.any(Number) });
    const services = (access?.upstream as { service: string }[]).map((call) => call.service).sort();
    expect(services).toEqual(["ads", "payments", "transactions", "users"]);
    // The logs, not the start-up banner (which lists the demo logins on purpose).
    const logs = lines.map((line) => JSON.stringify(line)).join("\n");
    expect(logs).not.toContain("Analytical-Engine-1843");
    expect(logs).not.toContain(cookie.split("=")[1]);
    expect(logs).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
  });

  it("exposes Prometheus metrics after traffic, behind METRICS_TOKEN", async () => {
    await signIn("wrong-password");
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/login",status="302"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/dashboard",status="200"\} \d+/);
    expect(text).toMatch(/upstream_call_duration_seconds_count\{service="users",outcome="ok"\} \d+/);
    expect(text).toMatch(/logins_total\{method="password",outcome="refused"\} 1/);
    expect(text).toMatch(/logins_total\{method="password",outcome="success"\} \d+/);
    expect(text).toContain("rate_limit_rejections_total");
    expect(text).toContain("token_refreshes_total");
  });
});
