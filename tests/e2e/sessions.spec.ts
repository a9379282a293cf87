import { expect, test, type Browser, type Page } from "@playwright/test";
import { AUTH_STANDIN, DEMO, expectSignedIn, inBothModes, ready, signIn } from "./support";

/**
 * Sessions that end from elsewhere: "Where you're signed in" on /profile, a
 * password change, and Auth's own "kill all sessions" (the stand-in's dev
 * endpoint), each reaching the other browser through the back-channel logout.
 */

// Each scenario drives two browsers through several sign-ins and page loads: on a
// shared, loaded machine that takes longer than one page's default budget.
test.describe.configure({ timeout: 90_000 });

const OTHER_BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const NEW_PASSWORD = "Flow-Matic-1955-Compiler";

/** Ends every login of the customer at Auth (and so in the app), for a clean list. */
async function endAllLogins(email: string) {
  const response = await fetch(`${AUTH_STANDIN}/dev/users/${encodeURIComponent(email)}/logout`, { method: "POST" });
  expect(response.status).toBe(202);
}

/** A second browser (its own cookies), signed in as the customer. */
async function secondBrowser(
  { browser, baseURL }: { browser: Browser; baseURL: string | undefined },
  javaScript: boolean,
  customer: keyof typeof DEMO,
): Promise<Page> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: javaScript, userAgent: OTHER_BROWSER });
  const page = await context.newPage();
  await signIn(page, customer);
  return page;
}

/** The browser's next navigation lands on /login, with the notice that it was signed out. */
async function expectEndedHere(page: Page) {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard&reason=ended$/);
  await expect(page.getByRole("status")).toHaveText("You were signed out of this browser. Please sign in again.");
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
}

/** Grace's password back to the demo one (through Auth, as the app would), whatever the test did. */
async function restoreGracePassword() {
  const basic = `Basic ${Buffer.from("bff-dev:dev-client-secret").toString("base64")}`;
  const token = await fetch(`${AUTH_STANDIN}/oauth/token`, {
    method: "POST",
    headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username: DEMO.grace.email, password: NEW_PASSWORD }),
  });
  if (token.status !== 200) return; // never changed
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const reset = await fetch(`${AUTH_STANDIN}/v1/password`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ currentPassword: NEW_PASSWORD, newPassword: DEMO.grace.password }),
  });
  expect(reset.status).toBe(204);
}

inBothModes(({ javaScript }) => {
  test("lists both sign-ins; 'Sign out' of the other signs it out on its next navigation", async ({ page, browser, baseURL }) => {
    await endAllLogins(DEMO.grace.email);
    await signIn(page, "grace");
    const other = await secondBrowser({ browser, baseURL }, javaScript, "grace");

    await page.goto("/profile");
    await ready(page, javaScript);
    const list = page.getByRole("list", { name: "Where you're signed in" });
    await expect(list.getByRole("listitem")).toHaveCount(2);
    await expect(list.getByRole("listitem").filter({ hasText: "This device" })).toContainText("Chrome on Windows");
    await expect(list.getByRole("listitem").filter({ hasNotText: "This device" })).toContainText("Firefox on Linux");
    await expect(list).toContainText("Last active");

    await page.getByRole("button", { name: "Sign out of Firefox on Linux" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(page.getByRole("button", { name: "Sign out everywhere else" })).toHaveCount(0);

    await expectEndedHere(other);
    await expectSignedIn(page, "grace");
    await other.context().close();
  });

  test("changing the password in one browser signs the other out; this one stays signed in", async ({ page, browser, baseURL }) => {
    await endAllLogins(DEMO.grace.email);
    await signIn(page, "grace");
    const other = await secondBrowser({ browser, baseURL }, javaScript, "grace");
    try {
      await page.goto("/profile");
      await ready(page, javaScript);
      await page.getByRole("link", { name: "Change your password" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Change password" })).toBeVisible();
      await ready(page, javaScript);

      // A wrong current password: the message sits next to its field.
      await page.getByLabel("Current password").fill("not-the-password");
      await page.getByLabel("New password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Change password" }).click();
      const current = page.getByLabel("Current password");
      await expect(current).toHaveAttribute("aria-invalid", "true");
      await expect(current).toHaveAccessibleDescription("That is not your current password.");
      await expectSignedInElsewhere(other);

      await page.getByLabel("Current password").fill(DEMO.grace.password);
      await page.getByLabel("New password").fill(NEW_PASSWORD);
      await page.getByRole("button", { name: "Change password" }).click();
      await expect(page.getByRole("status")).toContainText("Your password has been changed.");

      await expectEndedHere(other);
      await expectSignedIn(page, "grace");
    } finally {
      await other.context().close();
      await restoreGracePassword();
    }
  });

  test("Auth ending all of Ada's logins (the fraud team) signs out both browsers", async ({ page, browser, baseURL }) => {
    await signIn(page, "ada");
    const other = await secondBrowser({ browser, baseURL }, javaScript, "ada");
    await endAllLogins(DEMO.ada.email);
    await expectEndedHere(page);
    await expectEndedHere(other);
    await other.context().close();
  });
});

test.describe("JavaScript off, many sign-ins", () => {
  test.use({ javaScriptEnabled: false });

  test("the list shows the 10 most recently active others and how many more; 'Sign out everywhere else' ends them all", async ({ page, playwright, baseURL }) => {
    await endAllLogins(DEMO.grace.email);
    // Twelve other devices (a form post each, as a browser without JavaScript sends it).
    for (let device = 0; device < 12; device++) {
      const other = await playwright.request.newContext({ baseURL, userAgent: OTHER_BROWSER });
      const response = await other.post("/login", { form: { email: DEMO.grace.email, password: DEMO.grace.password }, maxRedirects: 0 });
      expect([302, 303]).toContain(response.status());
      await other.dispose();
    }
    await signIn(page, "grace");
    await page.goto("/profile");
    const list = page.getByRole("list", { name: "Where you're signed in" });
    await expect(list.getByRole("listitem")).toHaveCount(11);
    await expect(list.getByRole("listitem").first()).toContainText("This device");
    await expect(page.getByText("And 2 more sign-ins, less recently active.")).toBeVisible();

    await page.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(page.getByText(/more sign-ins?, less recently active/)).toHaveCount(0);
    await expectSignedIn(page, "grace");
  });
});

async function expectSignedInElsewhere(page: Page) {
  const response = await page.goto("/dashboard");
  expect(response?.request().redirectedFrom(), "still signed in").toBeNull();
}
