import { rawRequest } from "../tests/support/raw-http";
import { launchServer, type RunningServer } from "./test-server";

/**
 * Odd requests, as a scanner or a broken client sends them, through the real
 * server: each gets an answer below 500 (or, for what Node itself will not parse, a closed
 * connection), never a 5xx, a stack trace or an error-level log line, and the
 * server keeps serving (issue 14; docs/decisions/011).
 */
let server: RunningServer;

beforeAll(async () => {
  server = await launchServer({ LOG_LEVEL: "info" });
}, 90_000);

afterAll(() => {
  server?.child.kill("SIGTERM");
});

const LONG = "a".repeat(6_000);

// [what, raw request line and headers (Host and Connection are added unless given), the status, or undefined for any below 500]
const CASES: [string, string, number | undefined][] = [
  // Methods a Fetch Request cannot carry, and others no route of ours serves
  // (Remix's 405, the sign-in action's 400, a sign-in redirect, the API's 401).
  ["TRACE on a page", "TRACE / HTTP/1.1", 405],
  ["TRACE on the ads fast path", "TRACE /api/ads?placement=sidebar HTTP/1.1", 405],
  ["TRACE with a body", "TRACE /login HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 405],
  ["TRACE on the API", "TRACE /api/transactions HTTP/1.1", 405],
  ["TRACK", "TRACK / HTTP/1.1", undefined],
  ["PUT", "PUT /login HTTP/1.1\r\nContent-Length: 0", 400],
  ["DELETE on the API", "DELETE /api/transactions HTTP/1.1", 401],
  ["PATCH", "PATCH /profile HTTP/1.1\r\nContent-Length: 0", 302],
  ["PROPFIND", "PROPFIND / HTTP/1.1", 405],
  ["SEARCH", "SEARCH / HTTP/1.1", 405],
  ["PURGE on the ads fast path", "PURGE /api/ads HTTP/1.1", 405],
  ["M-SEARCH", "M-SEARCH * HTTP/1.1", 400],
  ["OPTIONS on a page", "OPTIONS /login HTTP/1.1", 405],
  ["OPTIONS *", "OPTIONS * HTTP/1.1", 400],
  ["OPTIONS on the ads fast path, no Origin", "OPTIONS /api/ads HTTP/1.1", undefined],
  ["a lower-case method", "get / HTTP/1.1", undefined],
  ["an unknown method", "FROB / HTTP/1.1", undefined],
  // Malformed paths and percent-encodings.
  ["a broken escape", "GET /%E0%A4%A HTTP/1.1", 400],
  ["bytes that are not UTF-8", "GET /%E0%A4 HTTP/1.1", 400],
  ["an overlong dot", "GET /%C0%AE%C0%AE/etc HTTP/1.1", 400],
  ["a lone percent", "GET /% HTTP/1.1", 400],
  ["a non-hex escape", "GET /%zz HTTP/1.1", 400],
  ["a broken escape under /api", "GET /api/%E0%A4%A HTTP/1.1", 400],
  ["a broken escape after the ads path", "GET /api/ads%E0 HTTP/1.1", 400],
  ["a broken escape in a data request", "GET /login%E0?_data=routes%2Flogin HTTP/1.1", 400],
  ["an encoded NUL", "GET /a%00b HTTP/1.1", 404],
  ["a valid emoji", "GET /%F0%9F%92%A9 HTTP/1.1", 404],
  ["an absolute-form target", "GET http://evil.example/dashboard HTTP/1.1", 400],
  ["a double slash", "GET //evil.example HTTP/1.1", 400],
  ["a dot segment", "GET /a/../login HTTP/1.1", 400],
  ["a long path", `GET /${LONG} HTTP/1.1`, 404],
  ["a broken escape in redirectTo", "GET /login?redirectTo=%E0%A4%A HTTP/1.1", 200],
  ["a lone percent in a query", "GET /transactions?cursor=% HTTP/1.1", 302],
  ["a broken escape in the ads query", "GET /api/ads?placement=%E0%A4%A HTTP/1.1", 400],
  ["a lone percent in the ads query", "GET /api/ads?placement=% HTTP/1.1", 400],
  ["a broken escape in _data", "GET /login?_data=%E0%A4%A HTTP/1.1", undefined],
  ["a _data for no route", "GET /login?_data=routes%2Fnope HTTP/1.1", undefined],
  // Headers: duplicated, oversized, garbled.
  ["two Hosts", "GET /login HTTP/1.1\r\nHost: evil.example", undefined],
  ["an odd Host", "GET /login HTTP/1.1\r\nHost: a@evil.example", 400],
  ["two Content-Lengths that differ", "POST /login HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc", 400],
  ["Content-Length with Transfer-Encoding", "POST /login HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400],
  ["two Origins on a post", "POST /logout HTTP/1.1\r\nOrigin: https://evil.example\r\nOrigin: http://127.0.0.1\r\nContent-Length: 0", 403],
  ["two X-CSRF on the API without a session", "GET /api/transactions HTTP/1.1\r\nX-CSRF: 1\r\nX-CSRF: 1", 401],
  ["two Cookies", "GET /dashboard HTTP/1.1\r\nCookie: session=a\r\nCookie: session=b", 302],
  ["a garbled cookie", "GET /dashboard HTTP/1.1\r\nCookie: session=%E0%A4%A; x=\u00ff", 302],
  ["a garbled cookie on the API", "GET /api/transactions HTTP/1.1\r\nCookie: session=%E0%A4%A", 401],
  ["a huge header", `GET / HTTP/1.1\r\nX-Junk: ${"j".repeat(20_000)}`, 431],
  ["a thousand headers", `GET / HTTP/1.1\r\n${Array.from({ length: 1_000 }, (_, i) => `X-H${i}: v`).join("\r\n")}`, undefined],
  ["latin-1 bytes in a header", "GET / HTTP/1.1\r\nAccept-Language: \u00e9\u00ff", 200],
  ["a garbled X-Forwarded-For", "GET /healthz HTTP/1.1\r\nX-Forwarded-For: ::::, ]]", 200],
  ["a garbled Origin on a post", "POST /login HTTP/1.1\r\nOrigin: %%%\r\nContent-Length: 0", 403],
  ["a garbled Content-Type on a sign-in", "POST /login HTTP/1.1\r\nContent-Type: multipart/form-data\r\nContent-Length: 5\r\n\r\nemail", undefined],
  ["a garbled Origin on the ads fast path", "GET /api/ads?placement=sidebar HTTP/1.1\r\nOrigin: \u00ff://\u00ff", 200],
  ["a header line without a colon", "GET / HTTP/1.1\r\nNoColonHere", 400],
  ["HTTP/0.9 style", "GET /", undefined],
  ["HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM", undefined],
];

function raw(request: string): Buffer {
  const [start = "", ...rest] = request.split("\r\n\r\n");
  const body = rest.join("\r\n\r\n");
  const hasHost = /\r\nHost:/i.test(start);
  const head = `${start}${hasHost ? "" : `\r\nHost: 127.0.0.1:${server.port}`}\r\nConnection: close\r\n\r\n`;
  return Buffer.from(head + body, "latin1");
}

describe("odd requests through the real server", () => {
  it.each(CASES)("%s: never a 5xx, a stack or an error log", async (_what, request, expected) => {
    const logBefore = server.output().length;
    const answer = await rawRequest(server.port, raw(request));
    if (expected !== undefined) expect(answer.status).toBe(expected);
    // 0: Node itself closed a connection it could not parse, without an answer.
    if (answer.status !== 0) expect(answer.status).toBeLessThan(500);
    // A stack's frames, or the server's files.
    expect(answer.body).not.toMatch(/\bat .*:\d+:\d+|node_modules|\.ts\b|\/work\//);
    const newLog = server.output().slice(logBefore);
    expect(newLog).not.toMatch(/"level":(50|60)/);
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
  });

  it("answers a bad path in the form its asker reads: a sentence for a browser, problem JSON for the API", async () => {
    const badPath = await rawRequest(server.port, raw("GET /%E0%A4%A HTTP/1.1"));
    expect(badPath.head).toMatch(/content-type: text\/plain/i);
    expect(badPath.body).toContain("That address is not valid");
    const api = await rawRequest(server.port, raw("GET /api/%E0%A4%A HTTP/1.1"));
    expect(api.head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(api.body)).toMatchObject({ status: 400, title: "Bad Request" });
    const trace = await rawRequest(server.port, raw("TRACE /api/ads HTTP/1.1"));
    expect(trace.head).toMatch(/content-type: application\/problem\+json/i);
    expect(trace.head).toMatch(/^allow: GET, HEAD, OPTIONS\r?$/im);
    const page = await rawRequest(server.port, raw("TRACE / HTTP/1.1"));
    expect(page.head).toMatch(/^allow: GET, HEAD, POST\r?$/im);
    expect(trace.head).toMatch(/x-request-id: /i);
  });

  it("keeps serving pages and the API after all of them", async () => {
    expect((await fetch(`${server.base}/login`)).status).toBe(200);
    expect((await fetch(`${server.base}/api/ads?placement=sidebar`)).status).toBe(200);
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  });
});
