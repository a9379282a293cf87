import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("the landing page invites the customer to sign in", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your money, clearly.");
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("the landing page works with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("main").getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
  await context.close();
});

test("an unknown page is a friendly 404 inside the layout", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We can't find that page");
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
});

test("/readyz is 200 with every stand-in answering", async ({ request }) => {
  const response = await request.get("/readyz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({
    status: "ready",
    services: { auth: "ok", users: "ok", payments: "ok", transactions: "ok", ads: "ok" },
  });
});

test("/healthz is 200", async ({ request }) => {
  expect((await request.get("/healthz")).status()).toBe(200);
});

test("the landing page leads a signed-in customer to the dashboard", async ({ page }) => {
  await signIn(page, "ada");
  await page.goto("/");
  await page.getByRole("main").getByRole("link", { name: "Go to your dashboard" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});
