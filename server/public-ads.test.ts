import { createHash } from "node:crypto";
import { request, type IncomingHttpHeaders } from "node:http";
import { launchServer, type RunningServer } from "./test-server";

/**
 * `GET|HEAD|OPTIONS /api/ads`, answered by the server entry's fast path before
 * Express and Remix (server/public-ads.ts), through the real server: the same
 * answers, headers, request ids, logs and metrics as every other request, and
 * everything else on the path still reaching the Remix route.
 *
 * Two servers: `direct` (no TRUST_PROXY: every request here comes from 127.0.0.1
 * and shares one rate-limit budget, so the limit is generous and the test that
 * uses it up runs last) and `proxied` (TRUST_PROXY=1, a small limit, and each
 * test its own X-Forwarded-For client).
 */
const PARTNER = "https://partner.example";
const PUBLIC_FIELDS = ["body", "clickUrl", "id", "imageUrl", "sponsor", "title"];
const METRICS_TOKEN = "metrics-token-for-ads-tests";
const DIRECT_LIMIT = 150;
const PROXIED_LIMIT = 3;
const PARTNER_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
const CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=30, stale-if-error=600";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let direct: RunningServer;
let proxied: RunningServer;

beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    launchServer({
      ADS_ALLOWED_ORIGINS: PARTNER,
      ADS_RATE_LIMIT_PER_MIN: String(DIRECT_LIMIT),
      LOG_LEVEL: "info",
      INSTANCE_NAME: "ads-test",
      METRICS_TOKEN,
    }),
    launchServer({ ADS_ALLOWED_ORIGINS: PARTNER, ADS_RATE_LIMIT_PER_MIN: String(PROXIED_LIMIT), TRUST_PROXY: "1" }),
  ]);
}, 90_000);

afterAll(() => {
  direct?.child.kill("SIGTERM");
  proxied?.child.kill("SIGTERM");
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names as sent, in order (each name once per line). */
  rawNames: string[];
  body: string;
}

/** node:http rather than fetch: it sends any Host, and shows headers exactly as they came. */
function call(server: RunningServer, path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.port, path, method: init.method ?? "GET", headers: init.headers },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawNames: res.rawHeaders.filter((_, index) => index % 2 === 0),
            body,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

interface PublicAds {
  ads: Array<Record<string, unknown>>;
}

const adsOf = (reply: Reply) => JSON.parse(reply.body) as PublicAds;
const hostOf = (server: RunningServer) => `127.0.0.1:${server.port}`;
const sha256Etag = (body: string) => `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;

// Every proxied test speaks for clients of its own, so their rate-limit budgets never meet.
let nextClient = 1;
const newClient = () => {
  const n = nextClient++;
  return `198.51.${100 + Math.floor(n / 250)}.${(n % 250) + 1}`;
};

function accessLines(server: RunningServer): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of server.output().split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line still being written
    }
  }
  return lines.filter((line) => line.msg === "request");
}

async function accessLine(server: RunningServer, requestId: string): Promise<Record<string, unknown> | undefined> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const line = accessLines(server).find((each) => each.requestId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

function expectPartnerSecurityHeaders(reply: Reply, what: string) {
  expect(reply.headers["content-security-policy"], what).toBe(PARTNER_CSP);
  expect(reply.headers["cross-origin-resource-policy"], what).toBe("cross-origin");
  expect(reply.headers["x-content-type-options"], what).toBe("nosniff");
  expect(reply.headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(reply.headers["cross-origin-opener-policy"], what).toBe("same-origin");
  expect(reply.headers["permissions-policy"], what).toContain("camera=()");
  expect(reply.headers["x-frame-options"], what).toBeUndefined();
  expect(reply.headers["x-powered-by"], what).toBeUndefined();
  expect(reply.headers["set-cookie"], what).toBeUndefined();
  expect(reply.headers["x-request-id"], what).toMatch(/^[\w.:-]{1,128}$/);
}

describe("GET /api/ads on the fast path: the answer", () => {
  it("is 200 JSON with exactly the six public fields, and click URLs on the Host the client addressed", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar");
    expect(reply.status).toBe(200);
    const body = adsOf(reply);
    expect(Object.keys(body)).toEqual(["ads"]);
    expect(body.ads.length).toBeGreaterThan(0);
    for (const ad of body.ads) {
      expect(Object.keys(ad).sort()).toEqual(PUBLIC_FIELDS);
      expect(ad.clickUrl).toBe(`http://${hostOf(direct)}/api/ads/${encodeURIComponent(String(ad.id))}/click`);
      expect(ad.imageUrl).toMatch(/^(https:|data:image\/)/);
    }
    expect(reply.body).not.toMatch(/campaign|budget|targeting|scoring|advertiser/);
  });

  it("builds click URLs from the Host header, not from X-Forwarded-Host, with or without a trusted proxy", async () => {
    for (const server of [direct, proxied]) {
      const reply = await call(server, "/api/ads?placement=banner", {
        headers: { host: "ads.northwind.example:8443", "x-forwarded-host": "evil.example", "x-forwarded-for": newClient() },
      });
      expect(reply.status).toBe(200);
      for (const ad of adsOf(reply).ads) {
        expect(ad.clickUrl).toBe(`http://ads.northwind.example:8443/api/ads/${encodeURIComponent(String(ad.id))}/click`);
      }
      expect(reply.body).not.toContain("evil.example");
    }
  });

  it.each(["a.example@evil.example", "evil.example/x", "evil.example?x", "evil.example#x"])(
    "refuses a Host that is not a plain host (%s) with 400, as every route does, and never reflects it",
    async (host) => {
      for (const path of ["/api/ads?placement=banner", "/api/ads/?placement=banner", "/login"]) {
        const reply = await call(direct, path, { headers: { host } });
        expect(reply.status).toBe(400);
        expect(reply.headers["content-type"]).toContain("application/problem+json");
        expect(reply.body).toContain("The Host header is not valid.");
        expect(reply.body).not.toContain("evil.example");
      }
    },
  );

  it("gives each Host its own body and ETag, so one origin's cached copy never validates another's", async () => {
    const one = await call(direct, "/api/ads?placement=inline", { headers: { host: "one.example" } });
    const two = await call(direct, "/api/ads?placement=inline", { headers: { host: "two.example" } });
    expect(one.body).toContain("http://one.example/api/ads/");
    expect(two.body).toContain("http://two.example/api/ads/");
    expect(one.headers.etag).not.toBe(two.headers.etag);
    const crossed = await call(direct, "/api/ads?placement=inline", {
      headers: { host: "two.example", "if-none-match": String(one.headers.etag) },
    });
    expect(crossed.status).toBe(200);
    expect(crossed.body).toBe(two.body);
  });

  it("carries the partner-facing security headers: embeddable cross-origin, nothing for pages, no HSTS over plain HTTP", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar");
    expectPartnerSecurityHeaders(reply, "GET 200");
    expect(reply.headers["strict-transport-security"]).toBeUndefined();
  });

  it("describes its body exactly: JSON type, Content-Length in bytes, a strong ETag of those bytes, public caching", async () => {
    const reply = await call(direct, "/api/ads?placement=banner");
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.headers["content-length"]).toBe(String(Buffer.byteLength(reply.body)));
    expect(reply.headers["transfer-encoding"]).toBeUndefined();
    expect(reply.headers.etag).toBe(sha256Etag(reply.body));
    expect(reply.headers["cache-control"]).toBe(CACHE_CONTROL);
    expect(reply.headers.vary).toBe("Origin");
  });

  it("sends every header once", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar", { headers: { origin: PARTNER } });
    const names = reply.rawNames.map((name) => name.toLowerCase());
    expect(names.length).toBeGreaterThan(12);
    expect(new Set(names).size).toBe(names.length);
  });

  it("neither reads nor sets a cookie: a signed-in browser's cookie changes nothing", async () => {
    const anonymous = await call(direct, "/api/ads?placement=sidebar");
    const withCookie = await call(direct, "/api/ads?placement=sidebar", { headers: { cookie: "__Host-session=abc; session=xyz" } });
    expect(withCookie.status).toBe(200);
    expect(withCookie.headers["set-cookie"]).toBeUndefined();
    expect(withCookie.body).toBe(anonymous.body);
    expect(withCookie.headers.etag).toBe(anonymous.headers.etag);
    expect(String(withCookie.headers.vary)).not.toMatch(/cookie/i);
  });
});

describe("GET /api/ads on the fast path: request id and instance", () => {
  it.each(["partner-req-42", "a.b:c_d-E", "x".repeat(128)])("echoes a sane X-Request-Id (%s)", async (requestId) => {
    const reply = await call(direct, "/api/ads?placement=sidebar", { headers: { "x-request-id": requestId } });
    expect(reply.headers["x-request-id"]).toBe(requestId);
  });

  it.each([
    ["spaces", "has spaces in it"],
    ["markup", "<script>alert(1)</script>"],
    ["too long", "x".repeat(129)],
    ["a comma list", "a,b"],
  ])("replaces an X-Request-Id with %s by a new UUID", async (_what, requestId) => {
    const reply = await call(direct, "/api/ads?placement=sidebar", { headers: { "x-request-id": requestId } });
    expect(reply.status).toBe(200);
    expect(reply.headers["x-request-id"]).toMatch(UUID);
  });

  it("makes a new id for every request without one", async () => {
    const one = await call(direct, "/api/ads?placement=sidebar");
    const two = await call(direct, "/api/ads?placement=sidebar");
    expect(one.headers["x-request-id"]).toMatch(UUID);
    expect(two.headers["x-request-id"]).toMatch(UUID);
    expect(one.headers["x-request-id"]).not.toBe(two.headers["x-request-id"]);
  });

  it("names the instance when INSTANCE_NAME is set, and only then", async () => {
    expect((await call(direct, "/api/ads?placement=sidebar")).headers["x-instance"]).toBe("ads-test");
    const unnamed = await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": newClient() } });
    expect(unnamed.status).toBe(200);
    expect(unnamed.headers["x-instance"]).toBeUndefined();
  });
});

describe("GET /api/ads on the fast path: CORS and conditional requests", () => {
  it("echoes an allowed origin, varies on Origin, and never allows credentials", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar", { headers: { origin: PARTNER } });
    expect(reply.status).toBe(200);
    expect(reply.headers["access-control-allow-origin"]).toBe(PARTNER);
    expect(reply.headers.vary).toBe("Origin");
    expect(reply.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it.each([["another origin", "https://evil.example"], ["another port", "https://partner.example:8443"], ["null", "null"]])(
    "gives %s the data without CORS headers, still varying on Origin",
    async (_what, origin) => {
      const reply = await call(direct, "/api/ads?placement=sidebar", { headers: { origin } });
      expect(reply.status).toBe(200);
      expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
      expect(reply.headers.vary).toBe("Origin");
    },
  );

  it("answers a matching If-None-Match with 304, no body, and the same validators and headers", async () => {
    const first = await call(direct, "/api/ads?placement=sidebar", { headers: { origin: PARTNER } });
    const etag = String(first.headers.etag);
    const reply = await call(direct, "/api/ads?placement=sidebar", { headers: { origin: PARTNER, "if-none-match": etag } });
    expect(reply.status).toBe(304);
    expect(reply.body).toBe("");
    expect(reply.headers.etag).toBe(etag);
    expect(reply.headers["cache-control"]).toBe(CACHE_CONTROL);
    expect(reply.headers["access-control-allow-origin"]).toBe(PARTNER);
    expect(reply.headers.vary).toBe("Origin");
    expect(reply.headers["x-instance"]).toBe("ads-test");
    expectPartnerSecurityHeaders(reply, "304");
  });

  it("compares If-None-Match weakly, in lists and with *, and answers a stale tag with the body", async () => {
    const etag = String((await call(direct, "/api/ads?placement=banner")).headers.etag);
    for (const header of [`W/${etag}`, `"nope", ${etag}`, "*"]) {
      expect((await call(direct, "/api/ads?placement=banner", { headers: { "if-none-match": header } })).status, header).toBe(304);
    }
    const stale = await call(direct, "/api/ads?placement=banner", { headers: { "if-none-match": '"not-this-one"' } });
    expect(stale.status).toBe(200);
    expect(stale.headers.etag).toBe(etag);
    expect(adsOf(stale).ads.length).toBeGreaterThan(0);
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const get = await call(direct, "/api/ads?placement=inline", { headers: { origin: PARTNER } });
    const head = await call(direct, "/api/ads?placement=inline", { method: "HEAD", headers: { origin: PARTNER } });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    for (const name of ["content-type", "content-length", "etag", "cache-control", "vary", "access-control-allow-origin", "content-security-policy", "cross-origin-resource-policy"]) {
      expect(head.headers[name], name).toBe(get.headers[name]);
    }
    expectPartnerSecurityHeaders(head, "HEAD");
  });
});

describe("OPTIONS /api/ads on the fast path", () => {
  it("answers a plain OPTIONS (not a preflight) with 204 and Allow", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar", { method: "OPTIONS" });
    expect(reply.status).toBe(204);
    expect(reply.body).toBe("");
    expect(reply.headers.allow).toBe("GET, HEAD, OPTIONS");
    expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
    expectPartnerSecurityHeaders(reply, "OPTIONS");
  });

  it("answers an allowed preflight with 204, GET and HEAD, and a max age", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar", {
      method: "OPTIONS",
      headers: { origin: PARTNER, "access-control-request-method": "GET" },
    });
    expect(reply.status).toBe(204);
    expect(reply.body).toBe("");
    expect(reply.headers["access-control-allow-origin"]).toBe(PARTNER);
    expect(reply.headers["access-control-allow-methods"]).toBe("GET, HEAD");
    expect(reply.headers["access-control-max-age"]).toBe("600");
    expect(reply.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(reply.headers.vary).toBe("Origin");
    expectPartnerSecurityHeaders(reply, "preflight");
  });

  it.each([
    ["another origin", { origin: "https://evil.example", "access-control-request-method": "GET" }],
    ["another method", { origin: PARTNER, "access-control-request-method": "POST" }],
    ["extra request headers", { origin: PARTNER, "access-control-request-method": "GET", "access-control-request-headers": "x-token" }],
  ])("refuses a preflight for %s with 403 JSON and no CORS headers", async (_what, headers) => {
    const reply = await call(direct, "/api/ads?placement=sidebar", { method: "OPTIONS", headers });
    expect(reply.status).toBe(403);
    expect(reply.headers["access-control-allow-origin"]).toBeUndefined();
    expect(reply.headers["access-control-allow-methods"]).toBeUndefined();
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(reply.body)).toMatchObject({ error: "origin_not_allowed" });
    expectPartnerSecurityHeaders(reply, "refused preflight");
  });

  it("does not count preflights against the rate limit", async () => {
    const client = newClient();
    for (let i = 0; i < PROXIED_LIMIT + 3; i++) {
      const preflight = await call(proxied, "/api/ads?placement=sidebar", {
        method: "OPTIONS",
        headers: { origin: PARTNER, "access-control-request-method": "GET", "x-forwarded-for": client },
      });
      expect(preflight.status).toBe(204);
    }
    const get = await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": client } });
    expect(get.status).toBe(200);
  });
});

describe("bad queries on the fast path", () => {
  it.each([
    ["", "invalid_placement", /placement is required/],
    ["?", "invalid_placement", /placement is required/],
    ["?placement=footer", "invalid_placement", /must be one of sidebar, banner, inline/],
    ["?placement=sidebar&placement=banner", "invalid_placement", /once/],
    ["?placement=sidebar&segment=savers", "invalid_query", /"segment"/],
    ["?placement=sidebar&userId=u1", "invalid_query", /"userId"/],
  ])("answer %j with 400 %s, as JSON partners can read", async (query, error, message) => {
    const reply = await call(direct, `/api/ads${query}`, { headers: { origin: PARTNER } });
    expect(reply.status).toBe(400);
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(reply.headers["content-length"]).toBe(String(Buffer.byteLength(reply.body)));
    expect(reply.headers["cache-control"]).toBe("no-store");
    expect(reply.headers.etag).toBeUndefined();
    expect(reply.headers["access-control-allow-origin"]).toBe(PARTNER);
    const body = JSON.parse(reply.body) as { error: string; message: string };
    expect(Object.keys(body).sort()).toEqual(["error", "message"]);
    expect(body.error).toBe(error);
    expect(body.message).toMatch(message);
    expectPartnerSecurityHeaders(reply, query);
  });
});

describe("what the fast path leaves to Express and Remix", () => {
  it("answers GET, HEAD and OPTIONS itself: its headers keep the case it writes, where Remix's come lower-cased", async () => {
    // The one visible trace of the way in: the fast path writes "ETag" and "Cache-Control"
    // with writeHead; the Remix route's Headers object hands Express "etag" and "cache-control".
    const fast = await call(direct, "/api/ads?placement=sidebar");
    expect(fast.rawNames).toEqual(expect.arrayContaining(["ETag", "Cache-Control", "Content-Length"]));
    for (const method of ["HEAD", "OPTIONS"]) {
      const reply = await call(direct, "/api/ads?placement=sidebar", { method });
      expect(reply.rawNames, method).toContain(method === "HEAD" ? "ETag" : "Allow");
    }
    const viaRemix = await call(direct, "/api/ads/?placement=sidebar");
    expect(viaRemix.status).toBe(200);
    expect(viaRemix.rawNames).toEqual(expect.arrayContaining(["etag", "cache-control"]));
    expect(viaRemix.body).toBe(fast.body);
  });

  it("lets a POST fall through to the route's action: 405 JSON with Allow, and still the partner-facing headers", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar", { method: "POST", headers: { "x-request-id": "ads-post-1" } });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("GET, HEAD, OPTIONS");
    expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(reply.body)).toMatchObject({ error: "method_not_allowed" });
    expectPartnerSecurityHeaders(reply, "POST");
    expect(reply.headers["x-request-id"]).toBe("ads-post-1");
    expect(reply.headers["x-instance"]).toBe("ads-test");
  });

  it.each(["PUT", "PATCH", "DELETE"])("answers %s from the route's action with 405 too", async (method) => {
    const reply = await call(direct, "/api/ads", { method });
    expect(reply.status).toBe(405);
    expect(JSON.parse(reply.body)).toMatchObject({ error: "method_not_allowed" });
  });

  it("refuses a cross-site POST with the cross-site guard's 403, before the route", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar", {
      method: "POST",
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(reply.status).toBe(403);
    expect(reply.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(reply.body)).toMatchObject({ status: 403, detail: "Cross-site requests are refused." });
    expectPartnerSecurityHeaders(reply, "cross-site POST");
  });

  it("does not take /api/adsx: that is the API allowlist's (401 without a session), not ads", async () => {
    const reply = await call(direct, "/api/adsx?placement=sidebar");
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain('"ads"');
    expect(reply.headers["cross-origin-resource-policy"]).toBe("same-origin");
  });

  it("does not take /api/ads/ or the click route: Express logs them under their own paths", async () => {
    const slash = await call(direct, "/api/ads/?placement=sidebar", { headers: { "x-request-id": "ads-slash-1" } });
    const click = await call(direct, "/api/ads/ad_nope/click", { headers: { "x-request-id": "ads-click-1" } });
    expect(click.status).toBe(404);
    expect(click.body).toBe("This ad is no longer available.");
    // Remix matches /api/ads/ to the same route, so the answer is the route's; the way in is not the fast path's.
    expect(slash.status).toBe(200);
    expect((await accessLine(direct, "ads-slash-1"))?.route).toBe("/api/ads/");
    expect((await accessLine(direct, "ads-click-1"))?.route).toBe("/api/ads/ad_nope/click");
  });

  it("serves working click URLs: the link in the body leads to the click route's redirect", async () => {
    const ad = adsOf(await call(direct, "/api/ads?placement=sidebar")).ads[0];
    const clickUrl = new URL(String(ad?.clickUrl));
    const reply = await call(direct, clickUrl.pathname);
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toMatch(/^https?:\/\//);
  });
});

describe("rate limit on the fast path", () => {
  it("answers 429 with Retry-After after ADS_RATE_LIMIT_PER_MIN requests from one client, as JSON partners can read", async () => {
    const client = newClient();
    for (let i = 0; i < PROXIED_LIMIT; i++) {
      const ok = await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": client } });
      expect(ok.status, `request ${i + 1}`).toBe(200);
    }
    const over = await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": client, origin: PARTNER } });
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(over.headers["cache-control"]).toBe("no-store");
    expect(over.headers["access-control-allow-origin"]).toBe(PARTNER);
    expect(JSON.parse(over.body)).toMatchObject({ error: "rate_limited" });
    expectPartnerSecurityHeaders(over, "429");
    const head = await call(proxied, "/api/ads?placement=sidebar", { method: "HEAD", headers: { "x-forwarded-for": client } });
    expect(head.status).toBe(429);
    expect(head.body).toBe("");
  });

  it("counts bad queries too", async () => {
    const client = newClient();
    for (let i = 0; i < PROXIED_LIMIT; i++) {
      expect((await call(proxied, "/api/ads?placement=nope", { headers: { "x-forwarded-for": client } })).status).toBe(400);
    }
    expect((await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": client } })).status).toBe(429);
  });

  it("with TRUST_PROXY=1 gives each X-Forwarded-For client its own budget, and ignores what a client prepends", async () => {
    const [exhausted, other] = [newClient(), newClient()];
    for (let i = 0; i <= PROXIED_LIMIT; i++) await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": exhausted } });
    expect((await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": exhausted } })).status).toBe(429);
    // Same socket, another client behind the proxy: a budget of its own.
    expect((await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": other } })).status).toBe(200);
    // The exhausted client prepends a made-up address: our proxy's entry (the rightmost) still names it.
    const spoofed = await call(proxied, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": `${newClient()}, ${exhausted}` } });
    expect(spoofed.status).toBe(429);
  });
});

describe("the scheme on the fast path", () => {
  it("with a trusted proxy reporting HTTPS: HSTS and https click URLs", async () => {
    const reply = await call(proxied, "/api/ads?placement=sidebar", {
      headers: { "x-forwarded-for": newClient(), "x-forwarded-proto": "https", host: "ads.northwind.example" },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers["strict-transport-security"]).toContain("max-age=");
    for (const ad of adsOf(reply).ads) expect(String(ad.clickUrl)).toMatch(/^https:\/\/ads\.northwind\.example\/api\/ads\//);
    expectPartnerSecurityHeaders(reply, "https");
  });

  it("without a trusted proxy, X-Forwarded-Proto changes nothing: no HSTS, http click URLs", async () => {
    const reply = await call(direct, "/api/ads?placement=sidebar", { headers: { "x-forwarded-proto": "https" } });
    expect(reply.status).toBe(200);
    expect(reply.headers["strict-transport-security"]).toBeUndefined();
    for (const ad of adsOf(reply).ads) expect(String(ad.clickUrl)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/ads\//);
  });
});

describe("operations on the fast path", () => {
  it("writes one JSON access line per request, with the request id, route, method and status", async () => {
    await call(direct, "/api/ads?placement=sidebar", { headers: { "x-request-id": "ads-log-get" } });
    await call(direct, "/api/ads?placement=sidebar", { method: "HEAD", headers: { "x-request-id": "ads-log-head" } });
    await call(direct, "/api/ads?placement=footer", { headers: { "x-request-id": "ads-log-bad" } });
    await call(direct, "/api/ads", { method: "OPTIONS", headers: { "x-request-id": "ads-log-options" } });
    expect(await accessLine(direct, "ads-log-get")).toMatchObject({
      method: "GET",
      route: "/api/ads",
      status: 200,
      durationMs: expect.any(Number),
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(await accessLine(direct, "ads-log-head")).toMatchObject({ method: "HEAD", route: "/api/ads", status: 200 });
    expect(await accessLine(direct, "ads-log-bad")).toMatchObject({ method: "GET", route: "/api/ads", status: 400 });
    expect(await accessLine(direct, "ads-log-options")).toMatchObject({ method: "OPTIONS", route: "/api/ads", status: 204 });
    expect(accessLines(direct).filter((line) => line.requestId === "ads-log-get")).toHaveLength(1);
  });

  it("observes http_request_duration_seconds for every answer, by method, route and status", async () => {
    const metrics = async () => {
      const reply = await call(direct, "/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(reply.status).toBe(200);
      return reply.body;
    };
    const count = (text: string, method: string, status: number) => {
      const pattern = new RegExp(`^http_request_duration_seconds_count\\{method="${method}",route="/api/ads",status="${status}"\\} (\\d+)$`, "m");
      return Number(pattern.exec(text)?.[1] ?? 0);
    };
    const before = await metrics();
    expect(count(before, "GET", 200)).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await call(direct, "/api/ads?placement=banner");
    await call(direct, "/api/ads?placement=banner", { method: "HEAD" });
    await call(direct, "/api/ads?placement=banner", { headers: { "if-none-match": "*" } });
    const after = await metrics();
    expect(count(after, "GET", 200)).toBe(count(before, "GET", 200) + 3);
    expect(count(after, "HEAD", 200)).toBe(count(before, "HEAD", 200) + 1);
    expect(count(after, "GET", 304)).toBe(count(before, "GET", 304) + 1);
  });
});

// Last: it uses up the direct server's one shared budget.
describe("rate limit without a trusted proxy", () => {
  it("puts every client of one socket address in one budget, whatever X-Forwarded-For says", async () => {
    let allowed = 0;
    let reply: Reply | undefined;
    for (let i = 0; i <= DIRECT_LIMIT; i++) {
      reply = await call(direct, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": newClient() } });
      if (reply.status !== 200) break;
      allowed++;
    }
    expect(reply?.status).toBe(429);
    expect(reply?.headers["retry-after"]).toMatch(/^\d+$/);
    // Earlier tests spent part of the budget from 127.0.0.1 already.
    expect(allowed).toBeLessThan(DIRECT_LIMIT);
    const fresh = await call(direct, "/api/ads?placement=sidebar", { headers: { "x-forwarded-for": "192.0.2.200" } });
    expect(fresh.status).toBe(429);
  });
});
