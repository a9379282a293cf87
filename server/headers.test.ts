import { launchServer, serverForFile } from "./test-server";

/** The header matrix, through the real server: every class of response is covered. */
const server = serverForFile();

const COMMON = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "cross-origin-opener-policy": "same-origin",
};

async function headersOf(path: string, init?: RequestInit) {
  const response = await fetch(server.url() + path, { redirect: "manual", ...init });
  await response.arrayBuffer();
  return response;
}

describe("security headers", () => {
  it.each([
    ["a document", "/"],
    ["a form page", "/login"],
    ["a data request", "/login.data"],
    ["a data request before single fetch", "/login?_data=routes%2Flogin"],
    ["a resource route", "/healthz"],
    ["a 404 page", "/no-such-page"],
    ["a redirect", "/dashboard"],
    ["a static file", "/favicon.ico"],
    ["an API error", "/api/transactions"],
    ["a refused cross-site post", "/logout"],
  ])("are on %s (%s)", async (_kind, path) => {
    const init = path === "/logout" ? { method: "POST", headers: { origin: "https://evil.example" } } : undefined;
    const response = await headersOf(path, init);
    for (const [name, value] of Object.entries(COMMON)) expect(response.headers.get(name), name).toBe(value);
    expect(response.headers.get("permissions-policy")).toContain("camera=()");
    expect(response.headers.get("x-powered-by")).toBeNull();
    expect(response.headers.get("x-request-id")).toMatch(/^[\w-]{8,}$/);
    expect(response.headers.get("strict-transport-security")).toBeNull();
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
  });

  it("puts this response's nonce on every script of a page, and nowhere else", async () => {
    const response = await fetch(`${server.url()}/login`);
    const html = await response.text();
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(2);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    const again = await fetch(`${server.url()}/login`);
    await again.text();
    expect(again.headers.get("content-security-policy")).not.toContain(nonce);
  });

  it("fits the partner-facing ads routes: embeddable cross-origin, never framed", async () => {
    // The upper-case path reaches the Remix route (which matches case-insensitively), not the fast path.
    for (const path of ["/ads/embed.js", "/api/ads?placement=sidebar", "/API/ADS?placement=sidebar"]) {
      const response = await headersOf(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cross-origin-resource-policy"), path).toBe("cross-origin");
      expect(response.headers.get("content-security-policy"), path).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBeNull();
    }
  });

  it("adds HSTS only over HTTPS, as a trusted proxy reports it", async () => {
    const proxied = await launchServer({ TRUST_PROXY: "1" });
    try {
      const https = await fetch(`${proxied.base}/`, { headers: { "x-forwarded-proto": "https" } });
      expect(https.headers.get("strict-transport-security")).toContain("max-age=");
      const plain = await fetch(`${proxied.base}/`);
      expect(plain.headers.get("strict-transport-security")).toBeNull();
      const untrusted = await fetch(`${server.url()}/`, { headers: { "x-forwarded-proto": "https" } });
      expect(untrusted.headers.get("strict-transport-security")).toBeNull();
    } finally {
      proxied.child.kill("SIGTERM");
    }
  }, 30_000);
});

describe("failure hygiene in production", () => {
  it.each([
    ["an unknown data route", "/?_data=routes%2Fnope", {}],
    ["a data request for no page", "/nope.data", {}],
    ["a data request for a resource route", "/healthz.data", {}],
    ["a data request of a bad cursor", "/transactions.data?cursor=%00%01", {}],
    ["a POST to a page without an action", "/", { method: "POST", headers: { origin: "x" } }],
    ["a POST without an Origin to a page without an action", "/profile", { method: "POST" }],
    ["a malformed cookie", "/dashboard", { headers: { cookie: "session=%E0%A4%A; __Host-session=x" } }],
    ["a broken form body", "/login", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x\r\nbroken" }],
    ["a huge form", "/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `email=${"a".repeat(40_000)}` }],
    ["a bad cursor", "/transactions?cursor=%00%01", {}],
    ["an API call without its header", "/api/transactions", {}],
    ["an unknown API", "/api/nope", { headers: { "x-csrf": "1" } }],
    ["a bad ads query", "/api/ads?placement=../../etc", {}],
    ["an unknown ad", "/api/ads/../../x/click", {}],
  ] as [string, string, RequestInit][])("%s gets a clean answer: no stack, path or upstream address", async (_what, path, init) => {
    const response = await fetch(server.url() + path, { redirect: "manual", ...init });
    const body = await response.text();
    expect(response.status).toBeLessThan(500);
    // Stack frames, file paths, upstream addresses or socket errors: nothing of the inside.
    expect(body).not.toMatch(/\bat \S+ \(|\/work\/|node_modules|\.tsx?:\d+|127\.0\.0\.1:\d+|localhost:4\d{3}|ECONNREFUSED|UND_ERR/);
  });
});
