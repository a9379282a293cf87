import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectSignedIn, expectSignedOut, fillPayment, minorUnits, ready, signIn } from "./support";

/**
 * Passkeys with a real browser ceremony: Chromium's WebAuthn virtual authenticator
 * (Chrome DevTools Protocol) stands in for a phone's or laptop's platform
 * authenticator, with resident keys and user verification. Grace, so the specs
 * that sign in as Ada see none of this (the stand-ins are shared by all specs).
 */

async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return {
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}

const IBAN = "GB82 WEST 1234 5698 7654 32";

async function dashboardBalance(page: Page): Promise<number> {
  await page.goto("/dashboard");
  const balance = page.getByTestId("balance");
  await expect(balance).toHaveText(/\d\.\d\d/);
  return minorUnits(await balance.innerText());
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toHaveCount(0);
}

test.describe("JavaScript on", () => {
  test("register a passkey on /profile, sign out, sign in with it, remove it", async ({ page }) => {
    // One customer journey of a dozen page loads (the authenticator lives with this page): more than 30 s on a busy machine.
    test.setTimeout(90_000);
    const authenticator = await addVirtualAuthenticator(page);
    await signIn(page, "grace");
    await page.goto("/profile");
    await ready(page, true);
    await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Passkey added." })).toBeVisible();
    await expect(page.locator(".passkey-list li")).toHaveCount(1);
    await expect(page.locator(".passkey-list li")).toContainText("Passkey added");
    // The credential lives on the authenticator, discoverable, for our RP ID.
    const [credential] = await authenticator.credentials();
    expect(credential?.isResidentCredential).toBe(true);
    expect(credential?.rpId).toBe("localhost");

    await signOut(page);

    // Passkey autofill: Chromium's virtual authenticator answers the e-mail field's
    // conditional request at once, as a customer picking the passkey from autofill would.
    await page.goto("/login?redirectTo=%2Fprofile");
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByText(DEMO.grace.email)).toBeVisible();
    await expect(page.locator(".passkey-list li")).toContainText("last used");
    await signOut(page);

    // "Sign in with a passkey" (the modal request), in a browser without passkey autofill.
    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
    });
    await page.goto("/login?redirectTo=%2Fprofile");
    await ready(page, true);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByText(DEMO.grace.email)).toBeVisible();
    await expectSignedIn(page, "grace");
    // No token reached the page: not in storage, not in a readable cookie.
    const readable = await page.evaluate(() => document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
    expect(readable).not.toMatch(/eyJ|rt_/);

    await page.goto("/profile");
    await ready(page, true);
    await page.getByRole("button", { name: /^Remove the passkey added/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "Passkey removed." })).toBeVisible();
    await expect(page.getByText("You have no passkeys yet.")).toBeVisible();

    // The authenticator still holds the credential, but Auth no longer knows it.
    await signOut(page);
    await page.goto("/login");
    await ready(page, true);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page.getByRole("alert")).toContainText("That passkey wasn't accepted");
    await expectSignedOut(page);
  });
});

test.describe("JavaScript on, paying", () => {
  test("pays 250.00 confirming with the passkey: the balance drops by exactly 250.00, once", async ({ page }) => {
    test.setTimeout(90_000);
    await addVirtualAuthenticator(page);
    await signIn(page, "grace");
    await page.goto("/profile");
    await ready(page, true);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Passkey added." })).toBeVisible();

    const start = await dashboardBalance(page);
    const name = `Jean Sammet ${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    await page.goto("/payments/new");
    await ready(page, true);
    await fillPayment(page, { name, iban: IBAN, amount: "250.00", reference: "FORMAC" });
    await page.getByRole("button", { name: "Send payment" }).click();
    await expect(page).toHaveURL(/\/payments\/confirm$/);
    await expect(page.getByTestId("confirm-amount")).toHaveText("$250.00");
    expect(await page.getByText(name, { exact: true }).count()).toBe(1);

    const confirm = page.getByRole("button", { name: "Confirm with passkey" });
    await confirm.click();
    await expect(page).toHaveURL(/\/payments\/sent$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`$250.00 is on its way to ${name}`);
    expect(await dashboardBalance(page)).toBe(start - 25_000);
    // Back to the confirmation and again: nothing is pending any more, nothing more is booked.
    await page.goto("/payments/confirm");
    await expect(page).toHaveURL(/\/payments\/new$/);
    expect(await dashboardBalance(page)).toBe(start - 25_000);
    await page.goto("/transactions");
    await expect(page.getByRole("listitem").filter({ hasText: name })).toHaveCount(1);

    // Tidy up: Grace's other specs pay with the code.
    await page.goto("/profile");
    await ready(page, true);
    await page.getByRole("button", { name: /^Remove the passkey added/ }).click();
    await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
  });
});

test.describe("JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("no passkey buttons; password sign-in and the profile work as before", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toHaveCount(0);
    // Where JavaScript runs, the browser may offer passkeys in this field's autofill.
    await expect(page.getByLabel("Email")).toHaveAttribute("autocomplete", "username webauthn");
    await signIn(page, "grace");
    await page.goto("/profile");
    await expect(page.getByRole("heading", { level: 2, name: "Passkeys" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add a passkey" })).toHaveCount(0);
    // The payment confirmation: the code form, and no passkey button.
    await page.goto("/payments/new");
    await fillPayment(page, { name: "Kathleen Booth", iban: IBAN, amount: "250.00", reference: "" });
    await page.getByRole("button", { name: "Send payment" }).click();
    await expect(page).toHaveURL(/\/payments\/confirm$/);
    await expect(page.getByRole("button", { name: "Confirm payment" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Confirm with passkey" })).toHaveCount(0);
  });

  test("a passkey added elsewhere is removed with the plain form, and the page says so", async ({ page, browser }) => {
    test.setTimeout(60_000);
    // The passkey is added where JavaScript runs (creating one needs the browser's API).
    const withJavaScript = await browser.newContext({ javaScriptEnabled: true });
    const other = await withJavaScript.newPage();
    await addVirtualAuthenticator(other);
    await signIn(other, "grace");
    await other.goto("/profile");
    await ready(other, true);
    await other.getByRole("button", { name: "Add a passkey" }).click();
    await expect(other.getByRole("status").filter({ hasText: "Passkey added." })).toBeVisible();
    await withJavaScript.close();

    await signIn(page, "grace");
    await page.goto("/profile");
    await expect(page.locator(".passkey-list li")).toHaveCount(1);
    await page.getByRole("button", { name: /^Remove the passkey added/ }).click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByRole("status").filter({ hasText: "Passkey removed." })).toBeVisible();
    await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
  });
});
