import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page, type Request, type Response } from "@playwright/test";
import { startPartnerDemo, type PartnerDemo } from "../../scripts/partner-demo";
import { sessionCookie, signIn } from "./support";

/**
 * Our ads on a partner's page: the partner demo (scripts/partner-demo.ts) runs on
 * 127.0.0.1, another site than the app on localhost, and embeds /ads/embed.js.
 */

let partner: PartnerDemo;

test.beforeAll(async ({ baseURL }) => {
  partner = await startPartnerDemo({ port: 0, appUrl: baseURL });
});
test.afterAll(async () => {
  await partner?.close();
});

/** Everything the page asks of our origin, with the answers, and anything it throws or logs as an error. */
function watch(page: Page, appOrigin: string) {
  const requests: Request[] = [];
  const responses: Response[] = [];
  const problems: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin === appOrigin) requests.push(request);
  });
  page.on("response", (response) => {
    if (new URL(response.url()).origin === appOrigin) responses.push(response);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return { requests, responses, problems };
}

const slot = (page: Page, placement: string, index = 0) => page.locator(`[data-ad-placement="${placement}"]`).nth(index);

test("the partner page shows our ads, labelled Sponsored, and no cookie of ours goes there or comes back", async ({
  page,
  context,
  baseURL,
}) => {
  const appOrigin = new URL(baseURL ?? "").origin;
  // The same browser has a session with us: the embed must still carry no cookie.
  await signIn(page, "ada");
  expect(await sessionCookie(context)).toBeDefined();

  // A new tab of the same browser context, so nothing of the app's own page mixes in.
  const partnerPage = await context.newPage();
  const seen = watch(partnerPage, appOrigin);
  await partnerPage.goto(partner.url);
  expect(new URL(partnerPage.url()).origin).not.toBe(appOrigin);

  for (const [placement, index] of [["banner", 0], ["inline", 0], ["sidebar", 0], ["sidebar", 1]] as const) {
    const ad = slot(partnerPage, placement, index);
    await expect(ad).toHaveAttribute("data-ad-state", "filled");
    await expect(ad.getByText("Sponsored", { exact: true })).toBeVisible();
    const link = ad.getByRole("link");
    await expect(link).toHaveAttribute("rel", "sponsored noopener");
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("href", new RegExp(`^${appOrigin}/api/ads/ad_[A-Za-z0-9_-]+/click$`));
    const image = link.getByRole("img");
    await expect(image).toHaveAttribute("width", /^\d+$/);
    await expect(image).toHaveAttribute("height", /^\d+$/);
    await expect(image).toHaveAttribute("alt", /\S/);
  }
  // Two slots of one placement show two different ads.
  const sidebarLinks = await partnerPage.locator('[data-ad-placement="sidebar"] a').evaluateAll((links) =>
    links.map((link) => link.getAttribute("href")),
  );
  expect(new Set(sidebarLinks).size).toBe(2);

  // The creative in view has loaded at the size it was given.
  const banner = slot(partnerPage, "banner").getByRole("img");
  await expect.poll(() => banner.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(banner).toHaveAttribute("width", "728");

  // The script once, then one call per placement, each without a cookie and setting none.
  const paths = seen.requests.map((request) => new URL(request.url()).pathname + new URL(request.url()).search);
  expect(paths.sort()).toEqual(
    ["/ads/embed.js", "/api/ads?placement=banner", "/api/ads?placement=inline", "/api/ads?placement=sidebar"].sort(),
  );
  for (const request of seen.requests) expect(await request.allHeaders()).not.toHaveProperty("cookie");
  expect(seen.responses).toHaveLength(seen.requests.length);
  for (const response of seen.responses) {
    const headers = await response.allHeaders();
    expect(headers).not.toHaveProperty("set-cookie");
    if (new URL(response.url()).pathname === "/api/ads") {
      expect(response.status()).toBe(200);
      expect(headers["access-control-allow-origin"]).toBe("*");
      expect(headers).not.toHaveProperty("access-control-allow-credentials");
    }
  }
  // Also none of the partner's strict CSP was violated.
  expect(seen.problems).toEqual([]);
});

test("a click goes through our click route to the advertiser's own URL, and sets no cookie", async ({ page, context }) => {
  await page.goto(partner.url);
  const link = slot(page, "sidebar").getByRole("link");
  await expect(link).toHaveAttribute("href", /\/click$/);
  const clickUrl = (await link.getAttribute("href")) ?? "";

  const clickResponse = context.waitForEvent("response", (response) => response.url() === clickUrl);
  // The advertisers' sites are not on this network: the browser's attempt to go there is the proof.
  const onward = context.waitForEvent("request", (request) => request.redirectedFrom()?.url() === clickUrl);
  const [popup] = await Promise.all([page.waitForEvent("popup"), link.click()]);
  const redirect = await clickResponse;
  expect(redirect.status()).toBe(302);
  const headers = await redirect.allHeaders();
  expect(headers).not.toHaveProperty("set-cookie");
  expect(headers["cache-control"]).toBe("no-store");
  const destination = new URL(headers["location"] ?? "");
  expect(destination.protocol).toBe("https:");
  expect(destination.hostname).toMatch(/^[a-z-]+\.example$/);
  expect(destination.pathname).toBe("/offer");
  expect((await onward).url()).toBe(destination.href);
  await popup.close();
});

test("the real server answers a CORS preflight (Remix routes OPTIONS to the loader) and never allows credentials", async ({
  request,
}) => {
  const preflight = await request.fetch("/api/ads?placement=sidebar", {
    method: "OPTIONS",
    headers: { Origin: "http://127.0.0.1:4000", "Access-Control-Request-Method": "GET" },
  });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()["access-control-allow-origin"]).toBe("*");
  expect(preflight.headers()["access-control-allow-methods"]).toBe("GET, HEAD");
  expect(preflight.headers()).not.toHaveProperty("access-control-allow-credentials");

  const ads = await request.get("/api/ads?placement=inline", { headers: { Origin: "http://127.0.0.1:4000" } });
  expect(ads.status()).toBe(200);
  expect(ads.headers()["cache-control"]).toMatch(/^public, max-age=30/);
  const etag = ads.headers()["etag"] ?? "";
  const again = await request.get("/api/ads?placement=inline", { headers: { "If-None-Match": etag } });
  expect(again.status()).toBe(304);

  const script = await request.get("/ads/embed.js");
  expect(script.status()).toBe(200);
  expect(script.headers()["content-type"]).toMatch(/javascript/);
  expect(script.headers()).not.toHaveProperty("set-cookie");
});

test.describe("on failure the slots stay empty and the partner's page carries on", () => {
  // Served from loopback like the demo: Chromium refuses a public page's requests to
  // localhost (Private Network Access), which a real partner never meets.
  let server: Server;
  let pageUrl: string;
  let html = "";

  test.beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  test.afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function open(page: Page, baseURL: string | undefined) {
    const appOrigin = new URL(baseURL ?? "").origin;
    html = `<!doctype html><title>Partner</title>
      <script>window.__before = Object.keys(window);</script>
      <div data-ad-placement="sidebar">placeholder</div>
      <div data-ad-placement="footer"></div>
      <div data-ad-placement></div>
      <script src="${appOrigin}/ads/embed.js"></script>
      <script>window.__after = "ran";</script>`;
    const seen = watch(page, appOrigin);
    await page.goto(pageUrl);
    return seen;
  }

  async function expectEmpty(page: Page) {
    for (const placement of ["sidebar", "footer", ""]) {
      const node = page.locator(`[data-ad-placement="${placement}"]`);
      await expect(node).toHaveAttribute("data-ad-state", "empty");
      await expect(node.getByText("Sponsored")).toHaveCount(0);
      await expect(node.locator("a")).toHaveCount(0);
    }
    // Later scripts ran, and the embed left no globals behind.
    expect(await page.evaluate(() => (window as unknown as { __after: string }).__after)).toBe("ran");
    const leaked = await page.evaluate(() => {
      const before = new Set((window as unknown as { __before: string[] }).__before);
      return Object.keys(window).filter((key) => !before.has(key) && key !== "__before" && key !== "__after");
    });
    expect(leaked).toEqual([]);
  }

  test("when /api/ads fails", async ({ page, baseURL }) => {
    await page.route(/\/api\/ads\?/, (route) => route.fulfill({ status: 503, contentType: "application/json", body: "{}" }));
    const seen = await open(page, baseURL);
    await expectEmpty(page);
    expect(seen.problems.filter((problem) => problem.startsWith("pageerror"))).toEqual([]);
    // Only the known placement was asked for.
    expect(seen.requests.map((request) => new URL(request.url()).search)).toEqual(["", "?placement=sidebar"]);
  });

  test("when the answer is not what we send (bad JSON, a javascript: link, a foreign click URL)", async ({ page, baseURL }) => {
    for (const body of [
      "not json",
      JSON.stringify({ ads: [{ id: "x", title: "t", body: "b", sponsor: "s", imageUrl: "data:image/png;base64,AA==", clickUrl: "javascript:alert(1)" }] }),
      JSON.stringify({ ads: [{ id: "x", title: "t", body: "b", sponsor: "s", imageUrl: "data:image/png;base64,AA==", clickUrl: "https://evil.example/" }] }),
      JSON.stringify({ ads: [{ id: "x", title: "<img src=x onerror=alert(1)>" }] }),
    ]) {
      await page.unrouteAll();
      await page.route(/\/api\/ads\?/, (route) =>
        route.fulfill({ status: 200, contentType: "application/json", headers: { "access-control-allow-origin": "*" }, body }),
      );
      const seen = await open(page, baseURL);
      await expectEmpty(page);
      expect(seen.problems.filter((problem) => problem.startsWith("pageerror"))).toEqual([]);
    }
  });
});
