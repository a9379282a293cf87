import { expect, test } from "@playwright/test";
import { pageOf, ready, signIn, snap } from "./support";

/**
 * Project "degraded" (playwright.config.ts): a server whose Transactions stand-in
 * answers every request with 503 (STANDIN_FAILURE_RATE=transactions:1). One
 * failing service costs its own section only.
 */

for (const javaScript of [true, false]) {
  test.describe(javaScript ? "JavaScript on" : "JavaScript off", () => {
    test.use({ javaScriptEnabled: javaScript, viewport: { width: 1280, height: 900 } });

    test("with Transactions down, the dashboard still shows the name and balance (200)", async ({ page }, testInfo) => {
      await signIn(page, "ada");
      const response = await page.goto("/dashboard");
      expect(response?.status()).toBe(200);
      await ready(page, javaScript);

      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
      await expect(page.getByRole("region", { name: "Available balance" }).getByTestId("balance")).toHaveText("€12,345.67");
      await expect(page.getByRole("complementary", { name: "Sponsored" })).toBeVisible();

      const recent = page.getByRole("region", { name: "Recent transactions" });
      await expect(recent.getByRole("status")).toContainText("Your recent transactions are unavailable right now.");
      await expect(recent.getByRole("link", { name: "Try again" })).toHaveAttribute("href", "/dashboard");
      await expect(recent.getByRole("list", { name: "Transactions, newest first" })).toHaveCount(0);
      await snap(page, testInfo, "dashboard-transactions-down");

      // "Try again" reloads the dashboard (still down here): the same page, still 200.
      const [retry] = await Promise.all([
        page.waitForResponse((candidate) => pageOf(candidate.url()) === "/dashboard"),
        recent.getByRole("link", { name: "Try again" }).click(),
      ]);
      expect(retry.status()).toBe(200);
      await expect(page.getByTestId("balance")).toHaveText("€12,345.67");
      await expect(recent.getByRole("status")).toContainText("Your recent transactions are unavailable right now.");
    });

    test("with Transactions down, /transactions says so with a \"Try again\" link (200)", async ({ page }, testInfo) => {
      await signIn(page, "ada");
      const response = await page.goto("/transactions");
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1, name: "Transactions" })).toBeVisible();
      await expect(page.getByRole("status")).toContainText("Your transactions are unavailable right now.");
      await expect(page.getByRole("link", { name: "Try again" })).toHaveAttribute("href", "/transactions");
      await expect(page.getByRole("link", { name: "Load more" })).toHaveCount(0);
      await snap(page, testInfo, "transactions-down");
    });
  });
}
