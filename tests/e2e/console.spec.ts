import { expect, test, type Page } from "@playwright/test";
import { ready, signIn } from "./support";

/**
 * Every page, with JavaScript on, must load and hydrate without a console error
 * and without a Content-Security-Policy violation: a script without this
 * response's nonce would show up here.
 */
async function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return problems;
}

async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  await ready(page, true);
  return response;
}

test("public pages: no console error, no CSP violation", async ({ page }) => {
  const problems = await watch(page);
  for (const path of ["/", "/login", "/login/code"]) await visit(page, path);
  expect(problems).toEqual([]);
  // The 404 page: Chromium reports the document's own 404 status, and nothing else.
  await visit(page, "/no-such-page");
  await page.getByRole("main").getByRole("link", { name: "Go to the home page" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your money, clearly.");
  expect(problems).toEqual(["error: Failed to load resource: the server responded with a status of 404 (Not Found)"]);
});

test("customer pages and client navigation: no console error, no CSP violation", async ({ page }) => {
  const problems = await watch(page);
  await signIn(page, "grace");
  for (const path of ["/dashboard", "/transactions", "/payments/new", "/profile"]) {
    expect((await visit(page, path))?.status()).toBe(200);
  }
  // Client-side navigation through the header, and a fetcher ("Load more").
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Transactions" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Transactions" })).toBeVisible();
  // Other tests' payments add to Grace's history, so there may be more than one page to load.
  const loadMore = page.getByRole("link", { name: "Load more" });
  const items = page.getByRole("list", { name: "Transactions, newest first" }).getByRole("listitem");
  await expect(loadMore).toBeVisible();
  for (let round = 0; round < 10 && (await loadMore.isVisible()); round++) {
    const shown = await items.count();
    await loadMore.click();
    await expect(items).not.toHaveCount(shown);
  }
  await expect(page.getByText("That's all your transactions.")).toBeVisible();
  await nav.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Grace Hopper");
  expect(problems).toEqual([]);
});
