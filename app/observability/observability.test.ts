import { Writable } from "node:stream";
import { loader as dashboard } from "~/routes/dashboard";
import { createLogger } from "../logger.server";
import { buildRequest, call, testContext } from "../../tests/support/remix";
import { signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { newRequestTrace } from "./request-trace.server";

function captured() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { logger: createLogger("info", stream), text: () => text };
}

describe("log redaction", () => {
  it("never writes passwords, tokens, cookies, Authorization or secrets", () => {
    const { logger, text } = captured();
    logger.info(
      {
        password: "Analytical-Engine-1843",
        code: "123456",
        token: "opaque-token",
        secret: "client-secret",
        tokens: { accessToken: "eyJhbGciOi.eyJzdWIi.sig", refreshToken: "refresh-abc" },
        headers: { cookie: "session=abc", authorization: "Bearer eyJx", "set-cookie": "session=new" },
        request: { headers: { cookie: "session=abc", authorization: "Basic Zm9vOmJhcg==" } },
        form: { password: "hunter2" },
      },
      "something happened",
    );
    const line = text();
    for (const secret of ["Analytical-Engine-1843", "123456", "opaque-token", "client-secret", "eyJ", "refresh-abc", "session=", "Bearer", "Basic", "hunter2"]) {
      expect(line, secret).not.toContain(secret);
    }
    expect(line).toContain("something happened");
    expect(line).toContain("[redacted]");
  });
});

describe("tracing", () => {
  it("carries the request id and a child span of the request's trace to every upstream call", async () => {
    const cookie = await signInAs("ada");
    const parentTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const record = newRequestTrace("req-trace-1", `00-${parentTrace}-00f067aa0ba902b7-01`);
    const before = standins.requests.length;
    await call(dashboard, buildRequest("/dashboard", { cookie }), { context: testContext({ requestId: "req-trace-1", trace: record }) });
    const calls = standins.requests.slice(before);
    expect(calls.length).toBe(4);
    const spans = new Set<string>();
    for (const upstream of calls) {
      const [version, traceId, spanId, flags] = (upstream.headers.traceparent ?? "").split("-");
      expect([version, traceId, flags]).toEqual(["00", parentTrace, "01"]);
      spans.add(spanId ?? "");
    }
    expect(spans.size).toBe(4);
    expect(calls.map((upstream) => upstream.headers["x-request-id"])).toEqual(["req-trace-1", "req-trace-1", "req-trace-1", "req-trace-1"]);
    expect(record.upstream.map((entry) => entry.service).sort()).toEqual(["ads", "payments", "transactions", "users"]);
  });

  it("starts a new trace when the caller sent none, or a broken one", () => {
    expect(newRequestTrace("r", undefined).traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(newRequestTrace("r", "00-00000000000000000000000000000000-00f067aa0ba902b7-01").traceId).not.toMatch(/^0+$/);
    expect(newRequestTrace("r", "garbage").traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("makes a new trace id once: every upstream call and the log line share it", () => {
    const trace = newRequestTrace("r", undefined);
    const first = trace.headers().traceparent?.split("-")[1];
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.headers().traceparent?.split("-")[1]).toBe(first);
    expect(trace.traceId).toBe(first);
    expect(newRequestTrace("r", undefined).traceId).not.toBe(first);
  });
});
