import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Pool } from "undici";

/**
 * The yardstick: the same dashboard and ads work as the app, written by hand on
 * node:http + undici `Pool.request`, with none of the app's machinery (no Remix,
 * React, Express, zod, sealed cookies, metrics or access log). The ratio
 * app/baseline is what that machinery costs. Runs as its own process:
 *
 *   PORT=3901 AUTH_SERVICE_URL=… USERS_SERVICE_URL=… PAYMENTS_SERVICE_URL=…
 *   TRANSACTIONS_SERVICE_URL=… ADS_SERVICE_URL=… AUTH_CLIENT_ID=… AUTH_CLIENT_SECRET=…
 *   ADS_API_KEY=… node --import tsx bench/baseline.ts
 *
 * Deliberately "fair but lean": it still parses every upstream JSON, trims it,
 * formats money and dates for the customer's locale, escapes HTML, embeds the
 * view as JSON (as a Remix document does for hydration) and keeps the ads cache
 * and coalescing; it skips validation and everything else the app adds.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`baseline: ${name} is required`);
    process.exit(1);
  }
  return value;
}

const PORT = Number(process.env.PORT ?? 3901);
const CLIENT_AUTH = `Basic ${Buffer.from(`${required("AUTH_CLIENT_ID")}:${required("AUTH_CLIENT_SECRET")}`).toString("base64")}`;
const ADS_API_KEY = required("ADS_API_KEY");
/** Same freshness as the app's ads feed (ADS_FRESH_MS). */
const ADS_FRESH_MS = 30_000;
const PLACEMENTS = new Set(["sidebar", "inline", "banner"]);

function pool(variable: string): Pool {
  // Same pool settings as the app's services/http.server.ts, so the transport is not the difference.
  return new Pool(new URL(required(variable)).origin, { connections: 128, pipelining: 1, keepAliveTimeout: 10_000 });
}

const upstream = {
  auth: pool("AUTH_SERVICE_URL"),
  users: pool("USERS_SERVICE_URL"),
  payments: pool("PAYMENTS_SERVICE_URL"),
  transactions: pool("TRANSACTIONS_SERVICE_URL"),
  ads: pool("ADS_SERVICE_URL"),
};

async function getJson(target: Pool, path: string, headers: Record<string, string>): Promise<unknown> {
  const response = await target.request({ method: "GET", path, headers: { accept: "application/json", ...headers } });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode}`);
  return JSON.parse(text);
}

// ---------------------------------------------------------------------------
// Upstream shapes: only the fields read here (no validation: that is app cost).

interface UserRecord {
  first_name: string;
  last_name: string;
  locale?: string;
}
interface AccountRecord {
  availableBalance: string;
  currency: string;
  iban: string;
}
interface TransactionRecord {
  id: string;
  amount_minor: number;
  currency: string;
  booked_at: string;
  counterparty: { name: string };
  category: string;
}
interface AdRecord {
  id: string;
  creative: { headline: string; body: string; image: { url: string; width: number; height: number } };
  sponsor_name: string;
}

// ---------------------------------------------------------------------------
// Sessions: an opaque cookie id → the tokens Auth gave at sign-in.

interface Session {
  accessToken: string;
  refreshToken: string;
}
const sessions = new Map<string, Session>();

function sessionOf(req: IncomingMessage): Session | undefined {
  const match = /(?:^|;\s*)sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? "");
  return match?.[1] ? sessions.get(match[1]) : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const response = await upstream.auth.request({
    method: "POST",
    path: "/oauth/token",
    headers: { authorization: CLIENT_AUTH, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "password",
      username: form.get("email") ?? "",
      password: form.get("password") ?? "",
    }).toString(),
  });
  const body = (await response.body.json()) as { access_token?: string; refresh_token?: string };
  if (response.statusCode !== 200 || !body.access_token || !body.refresh_token) {
    res.writeHead(401, { "content-type": "text/plain" }).end("Sign-in refused");
    return;
  }
  const sid = randomBytes(24).toString("base64url");
  sessions.set(sid, { accessToken: body.access_token, refreshToken: body.refresh_token });
  res.writeHead(302, { location: "/dashboard", "set-cookie": `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` }).end();
}

// ---------------------------------------------------------------------------
// Formatting, with the Intl objects cached (constructing them is the slow part).

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function money(amount: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    numberFormats.set(key, format);
  }
  return format.format(amount);
}

function date(iso: string, locale: string): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
    dateFormats.set(locale, format);
  }
  return format.format(new Date(iso));
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

// ---------------------------------------------------------------------------
// The dashboard: four calls in parallel, each section degrading on its own.

interface DashboardView {
  fullName: string | null;
  balance: { text: string; iban: string } | null;
  transactions: { id: string; amount: string; direction: "in" | "out"; date: string; counterparty: string; category: string }[] | null;
  ad: { id: string; title: string; body: string; imageUrl: string; imageWidth: number; imageHeight: number; sponsor: string } | null;
}

async function dashboard(session: Session): Promise<DashboardView> {
  const bearer = { authorization: `Bearer ${session.accessToken}` };
  const [user, account, recent, ads] = await Promise.allSettled([
    getJson(upstream.users, "/v1/users/me", bearer) as Promise<UserRecord>,
    getJson(upstream.payments, "/v2/accounts/current", bearer) as Promise<AccountRecord>,
    getJson(upstream.transactions, "/transactions?limit=5", bearer) as Promise<{ data: { items: TransactionRecord[] } }>,
    getJson(upstream.ads, "/ads?placement=inline", { "x-api-key": ADS_API_KEY }) as Promise<{ ads: AdRecord[] }>,
  ]);
  const locale = user.status === "fulfilled" ? (user.value.locale ?? "en-GB") : "en-GB";
  const ad = ads.status === "fulfilled" ? ads.value.ads[0] : undefined;
  return {
    fullName: user.status === "fulfilled" ? `${user.value.first_name} ${user.value.last_name}` : null,
    balance:
      account.status === "fulfilled"
        ? { text: money(Number(account.value.availableBalance), account.value.currency, locale), iban: account.value.iban.replace(/(.{4})/g, "$1 ").trim() }
        : null,
    transactions:
      recent.status === "fulfilled"
        ? recent.value.data.items.map((item) => ({
            id: item.id,
            amount: money(item.amount_minor / 100, item.currency, locale),
            direction: item.amount_minor < 0 ? "out" : "in",
            date: date(item.booked_at, locale),
            counterparty: item.counterparty.name,
            category: item.category,
          }))
        : null,
    ad: ad
      ? {
          id: ad.id,
          title: ad.creative.headline,
          body: ad.creative.body,
          imageUrl: ad.creative.image.url,
          imageWidth: ad.creative.image.width,
          imageHeight: ad.creative.image.height,
          sponsor: ad.sponsor_name,
        }
      : null,
  };
}

/**
 * Stands in for the app's document around the dashboard: head, navigation, the
 * stylesheet and script tags, the footer. Sized so that a whole baseline page is
 * about as big as the app's (the benchmark reports both sizes).
 */
const CHROME_PADDING = `<!-- ${"layout ".repeat(Number(process.env.BASELINE_PADDING_WORDS ?? 900))}-->`;

function page(view: DashboardView): string {
  const unavailable = (message: string) => `<p class="section-unavailable" role="alert">${message} <a href="/dashboard">Try again</a></p>`;
  const rows = view.transactions
    ? `<ul class="transactions">${view.transactions
        .map(
          (t) =>
            `<li class="transaction transaction--${t.direction}"><span class="transaction__party">${escapeHtml(t.counterparty)}</span>` +
            `<span class="transaction__category">${escapeHtml(t.category)}</span><time>${t.date}</time>` +
            `<span class="transaction__amount">${escapeHtml(t.amount)}</span></li>`,
        )
        .join("")}</ul>`
    : unavailable("Your recent transactions are unavailable right now.");
  const ad = view.ad
    ? `<aside class="card sponsored"><p class="eyebrow">Sponsored · ${escapeHtml(view.ad.sponsor)}</p>` +
      `<img src="${escapeHtml(view.ad.imageUrl)}" width="${view.ad.imageWidth}" height="${view.ad.imageHeight}" alt="">` +
      `<h2>${escapeHtml(view.ad.title)}</h2><p>${escapeHtml(view.ad.body)}</p><a href="/api/ads/${encodeURIComponent(view.ad.id)}/click">Learn more</a></aside>`
    : "";
  // The view as JSON in the page, like Remix's hydration data (and escaped the same way).
  const data = JSON.stringify(view).replace(/</g, "\\u003c");
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>Overview · Northwind Bank</title><link rel="stylesheet" href="/styles/app.css"></head><body>` +
    `<header class="site-header"><a href="/">Northwind Bank</a><nav><a href="/dashboard">Overview</a><a href="/transactions">Transactions</a>` +
    `<a href="/payments/new">Send money</a><a href="/profile">Profile</a></nav></header><main class="dashboard">` +
    `<header class="page-header"><p class="eyebrow">Overview</p><h1>${view.fullName ? `Welcome, ${escapeHtml(view.fullName)}` : "Welcome"}</h1></header>` +
    `<div class="dashboard__grid"><section class="card balance"><h2>Available balance</h2>` +
    (view.balance
      ? `<p class="balance__amount">${escapeHtml(view.balance.text)}</p><p class="balance__iban">${escapeHtml(view.balance.iban)}</p>`
      : unavailable("Your balance is unavailable right now.")) +
    `</section><section class="card recent"><h2>Recent transactions</h2>${rows}</section>${ad}</div></main>` +
    `<footer class="site-footer">Northwind Bank</footer>${CHROME_PADDING}<script>window.__data=${data}</script></body></html>`
  );
}

// ---------------------------------------------------------------------------
// Public ads: cached per placement, concurrent misses share one upstream call.

const adsCache = new Map<string, { body: string; fetchedAt: number }>();
const adsInflight = new Map<string, Promise<{ body: string; fetchedAt: number }>>();

function publicAds(placement: string, origin: string): Promise<{ body: string; fetchedAt: number }> {
  const cached = adsCache.get(placement);
  if (cached && Date.now() - cached.fetchedAt < ADS_FRESH_MS) return Promise.resolve(cached);
  let pending = adsInflight.get(placement);
  if (!pending) {
    pending = (getJson(upstream.ads, `/ads?placement=${placement}`, { "x-api-key": ADS_API_KEY }) as Promise<{ ads: AdRecord[] }>)
      .then(({ ads }) => {
        const body = JSON.stringify({
          ads: ads.map((ad) => ({
            id: ad.id,
            title: ad.creative.headline,
            body: ad.creative.body,
            imageUrl: ad.creative.image.url,
            clickUrl: `${origin}/api/ads/${encodeURIComponent(ad.id)}/click`,
            sponsor: ad.sponsor_name,
          })),
        });
        const entry = { body, fetchedAt: Date.now() };
        adsCache.set(placement, entry);
        return entry;
      })
      .finally(() => adsInflight.delete(placement));
    adsInflight.set(placement, pending);
  }
  return pending;
}

// ---------------------------------------------------------------------------

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  if (req.method === "GET" && url.pathname === "/healthz") {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  } else if (req.method === "POST" && url.pathname === "/login") {
    await login(req, res);
  } else if (req.method === "GET" && url.pathname === "/dashboard") {
    const session = sessionOf(req);
    if (!session) {
      res.writeHead(302, { location: "/login?redirectTo=%2Fdashboard" }).end();
      return;
    }
    const html = page(await dashboard(session));
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store" }).end(html);
  } else if (req.method === "GET" && url.pathname === "/api/ads") {
    const placement = url.searchParams.get("placement") ?? "";
    if (!PLACEMENTS.has(placement)) {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"invalid_placement"}');
      return;
    }
    const { body } = await publicAds(placement, url.origin);
    res
      .writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "public, max-age=30, stale-while-revalidate=30",
        "access-control-allow-origin": "*",
      })
      .end(body);
  } else {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
  }
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(`baseline: ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
    if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end("Bad gateway");
  });
});

server.listen(PORT, "127.0.0.1", () => console.log(`baseline listening on http://127.0.0.1:${PORT}`));

process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void Promise.allSettled(Object.values(upstream).map((p) => p.close())).then(() => process.exit(0));
});
