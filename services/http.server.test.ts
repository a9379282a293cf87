import { createServer } from "node:net";
import { http, HttpResponse } from "msw";
import { z } from "zod";
import { standins } from "../tests/support/standins";
import { UpstreamError } from "./errors.server";
import { ServiceHttp, type UpstreamCallEvent } from "./http.server";

const okSchema = z.object({ status: z.literal("ok") });

function client(overrides: Partial<ConstructorParameters<typeof ServiceHttp>[0]> = {}) {
  return new ServiceHttp({
    service: "users",
    baseUrl: standins.urls.users,
    connectTimeoutMs: 500,
    timeoutMs: 1_000,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("ServiceHttp", () => {
  it("returns the status and the schema-parsed body", async () => {
    await expect(client().request({ method: "GET", path: "/health", schema: okSchema })).resolves.toEqual({
      status: 200,
      data: { status: "ok" },
    });
  });

  it("keeps a path prefix of the base URL", async () => {
    standins.use(http.get("*/gateway/users/health", () => HttpResponse.json({ status: "ok" })));
    const prefixed = client({ baseUrl: `${standins.urls.users}/gateway/users/` });
    await expect(prefixed.request({ method: "GET", path: "/health", schema: okSchema })).resolves.toMatchObject({
      status: 200,
    });
  });

  it("sends the trace's headers, tells the trace how the call went, and sends nothing it was not given", async () => {
    const recorded: string[] = [];
    const trace = { headers: () => ({ "x-request-id": "req-42" }), record: (event: { outcome: string }) => void recorded.push(event.outcome) };
    await client().request({ method: "GET", path: "/health", schema: okSchema, context: { trace } });
    const seen = standins.requests.at(-1);
    expect(seen?.headers["x-request-id"]).toBe("req-42");
    expect(recorded).toEqual(["ok"]);
    expect(seen?.headers.cookie).toBeUndefined();
    expect(seen?.headers.authorization).toBeUndefined();
  });

  it("maps a refused connection to unavailable", async () => {
    const error = await failure(
      client({ baseUrl: `http://127.0.0.1:${await closedPort()}` }).request({
        method: "GET",
        path: "/health",
        schema: okSchema,
      }),
    );
    expect(error).toMatchObject({ service: "users", kind: "unavailable", status: undefined });
  });

  it("maps 5xx to unavailable with the status", async () => {
    standins.configure({ failureRate: { users: 1 } });
    const error = await failure(client().request({ method: "GET", path: "/health", schema: okSchema }));
    expect(error).toMatchObject({ service: "users", kind: "unavailable", status: 503, code: "service_unavailable" });
  });

  it("maps 401 to unauthorized", async () => {
    const error = await failure(client().request({ method: "GET", path: "/v1/users/me", schema: z.unknown() }));
    expect(error).toMatchObject({ kind: "unauthorized", status: 401, code: "invalid_token" });
  });

  it.each([
    [{ error: "invalid_grant", error_description: "Bad credentials" }, "invalid_grant", "Bad credentials"],
    [{ message: "Code expired" }, undefined, "Code expired"],
    [{ title: "Insufficient funds", detail: "Amount exceeds balance" }, "Insufficient funds", "Amount exceeds balance"],
  ])("reads the error body %j into one code and detail", async (body, code, detail) => {
    standins.use(http.get("*/v1/users/me", () => HttpResponse.json(body, { status: 422 })));
    const error = await failure(client().request({ method: "GET", path: "/v1/users/me", schema: z.unknown() }));
    expect(error).toMatchObject({ kind: "rejected", status: 422, code, detail });
  });

  it("maps a body that is not JSON to invalid_response", async () => {
    standins.use(http.get("*/health", () => new HttpResponse("<html>proxy error</html>", { status: 200 })));
    const error = await failure(client().request({ method: "GET", path: "/health", schema: okSchema }));
    expect(error).toMatchObject({ kind: "invalid_response", status: 200 });
  });

  it("maps JSON that breaks the contract to invalid_response, naming the field", async () => {
    standins.use(http.get("*/health", () => HttpResponse.json({ status: 42 })));
    const error = await failure(client().request({ method: "GET", path: "/health", schema: okSchema }));
    expect(error.kind).toBe("invalid_response");
    expect(error.detail).toContain("status");
  });

  it("gives up after its time budget with a timeout", async () => {
    standins.configure({ latencyMs: { users: 300 } });
    const started = performance.now();
    const error = await failure(
      client({ timeoutMs: 100 }).request({ method: "GET", path: "/health", schema: okSchema }),
    );
    expect(error).toMatchObject({ service: "users", kind: "timeout" });
    expect(performance.now() - started).toBeLessThan(280);
  });

  it("lets a per-call budget override the client's", async () => {
    standins.configure({ latencyMs: { users: 150 } });
    const error = await failure(
      client({ timeoutMs: 5_000 }).request({ method: "GET", path: "/health", schema: okSchema, timeoutMs: 50 }),
    );
    expect(error.kind).toBe("timeout");
  });

  it("stops at once when the caller aborts, with the caller's reason", async () => {
    standins.configure({ latencyMs: { users: 500 } });
    const controller = new AbortController();
    const reason = new Error("browser went away");
    setTimeout(() => controller.abort(reason), 30);
    const started = performance.now();
    await expect(
      client().request({ method: "GET", path: "/health", schema: okSchema, context: { signal: controller.signal } }),
    ).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(400);
  });

  it("does not call at all with an already aborted signal", async () => {
    const before = standins.requests.length;
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    await expect(
      client().request({ method: "GET", path: "/health", schema: okSchema, context: { signal: controller.signal } }),
    ).rejects.toThrow("gone");
    expect(standins.requests.length).toBe(before);
  });

  it("reports every call to its observer", async () => {
    const events: UpstreamCallEvent[] = [];
    const observed = client({ onCall: (event) => events.push(event) });
    await observed.request({ method: "GET", path: "/health", schema: okSchema });
    await observed.request({ method: "GET", path: "/v1/users/me", schema: z.unknown() }).catch(() => undefined);
    expect(events).toEqual([
      expect.objectContaining({ service: "users", path: "/health", status: 200, outcome: "ok" }),
      expect.objectContaining({ service: "users", path: "/v1/users/me", status: 401, outcome: "unauthorized" }),
    ]);
    expect(events[0]?.durationMs).toBeGreaterThan(0);
  });
});
