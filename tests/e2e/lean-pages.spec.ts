import { expect, test, type Browser } from "@playwright/test";
import { MAX_PAGE_BYTES, PHONE_PAGES } from "../support/phone-pages";
import { DEMO } from "./support";

/**
 * What a phone downloads on a cold load of each page (issue 15, docs/decisions/013
 * and 014): every script compressed, the whole page under 150 KB on the wire, and
 * a title and a description of its own. A fresh context per page: nothing cached.
 */

async function coldContext(browser: Browser, baseURL: string, signedIn: boolean) {
  const context = await browser.newContext();
  if (signedIn) {
    // Signed in without loading any page (a form POST, as a browser without JavaScript sends it), so the cache stays cold.
    const response = await context.request.post("/login", {
      form: { email: DEMO.ada.email, password: DEMO.ada.password },
      headers: { origin: baseURL },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
  }
  return context;
}

for (const { path, signedIn } of PHONE_PAGES) {
  test(`a cold load of ${path} sends compressed scripts, under ${MAX_PAGE_BYTES / 1000} KB in all, with its own title and description`, async ({ browser, baseURL }) => {
    const context = await coldContext(browser, baseURL ?? "", signedIn);
    const page = await context.newPage();
    const responses: { url: string; type: string; encoding: string | undefined; body: Promise<number>; bytes: Promise<number> }[] = [];
    page.on("response", (response) => {
      const request = response.request();
      responses.push({
        url: response.url(),
        type: request.resourceType(),
        encoding: response.headers()["content-encoding"],
        body: request.sizes().then((sizes) => sizes.responseBodySize),
        bytes: request.sizes().then((sizes) => sizes.responseBodySize + sizes.responseHeadersSize),
      });
    });
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(path);
    await page.waitForLoadState("networkidle");

    const scripts = responses.filter((entry) => entry.type === "script");
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      // Files under 1 KiB are sent as they are (docs/decisions/013): the saving would be less than a packet.
      if (script.encoding === undefined) expect(await script.body, script.url).toBeLessThan(1024);
      else expect(script.encoding, script.url).toMatch(/^(br|gzip)$/);
    }
    expect(scripts.some((script) => script.encoding !== undefined)).toBe(true);
    const documentEncoding = responses.find((entry) => entry.type === "document")?.encoding;
    expect(documentEncoding).toMatch(/^(br|gzip)$/);
    const total = (await Promise.all(responses.map((entry) => entry.bytes))).reduce((sum, bytes) => sum + bytes, 0);
    expect(total).toBeLessThan(MAX_PAGE_BYTES);

    await expect(page).toHaveTitle(/Northwind Bank/);
    await expect(page.locator("title")).toHaveCount(1);
    const description = page.locator('meta[name="description"]');
    await expect(description).toHaveCount(1);
    expect((await description.getAttribute("content"))?.length).toBeGreaterThan(30);
    await context.close();
  });
}
