import { expect, test, type Page } from "@playwright/test";
import { DEMO, fillPayment, latestMessage, minorUnits, pageOf, ready, signIn, snap } from "./support";

/**
 * Strong customer authentication with the one-time code (decision 019): 250.00 is
 * above the low-value exemption, so Payments asks, the app shows the confirmation
 * page, and the code from Auth's message (the stand-in's outbox) sends it once.
 *
 * Pays from Grace's account only (USD): customer-pages.spec.ts relies on Ada's
 * exact balance. Expectations are relative to the balance read at the start.
 */

const IBAN = "GB82 WEST 1234 5698 7654 32";
const unique = () => Math.random().toString(36).slice(2, 8).toUpperCase();
const dollars = (minor: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(minor / 100);

async function dashboardBalance(page: Page): Promise<number> {
  await page.goto("/dashboard");
  const balance = page.getByTestId("balance");
  await expect(balance).toHaveText(/\d\.\d\d/);
  return minorUnits(await balance.innerText());
}

/** Fills and sends the payment form; ends on the confirmation page. */
async function sendNeedingConfirmation(page: Page, javaScript: boolean, name: string) {
  await page.goto("/payments/new");
  await ready(page, javaScript);
  await fillPayment(page, { name, iban: IBAN, amount: "250.00", reference: "Compiler" });
  await page.getByRole("button", { name: "Send payment" }).click();
  await expect(page).toHaveURL(/\/payments\/confirm$/);
  await expect(page.getByRole("heading", { level: 1, name: "Confirm your payment" })).toBeVisible();
  await expect(page.getByTestId("confirm-amount")).toHaveText("$250.00");
  await expect(page.getByText(name, { exact: true })).toBeVisible();
  await expect(page.getByText(IBAN, { exact: true })).toBeVisible();
  await ready(page, javaScript);
}

async function paymentRows(page: Page, name: string) {
  await page.goto("/transactions");
  return page.getByRole("listitem").filter({ hasText: name });
}

test.describe("JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("pays 250.00 with the code from Auth's message; a wrong code first keeps the count; the balance drops by exactly 250.00 once", async ({ page }, testInfo) => {
    await signIn(page, "grace");
    const start = await dashboardBalance(page);
    const name = `Howard Aiken ${unique()}`;
    await sendNeedingConfirmation(page, false, name);
    expect(await dashboardBalance(page), "nothing booked before confirming").toBe(start);
    await page.goBack();
    await expect(page).toHaveURL(/\/payments\/confirm$/);

    const code = page.getByLabel("Confirmation code");
    await expect(code).toBeFocused();
    await expect(code).toHaveAttribute("autocomplete", "one-time-code");
    await expect(code).toHaveAttribute("inputmode", "numeric");
    const message = await latestMessage(DEMO.grace.email);
    expect(message.text, "the message names the amount with its currency").toContain("250.00 USD");
    expect(message.text, "and the IBAN's last four").toContain("5432");
    await snap(page, testInfo, "confirm");

    await code.fill(message.code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Confirm payment" }).click();
    await expect(page).toHaveURL(/\/payments\/confirm$/);
    await expect(code).toHaveAttribute("aria-invalid", "true");
    await expect(code).toHaveAccessibleDescription(/That code is not right\. 4 tries left\./);
    await expect(code).toBeFocused();
    await snap(page, testInfo, "confirm-wrong-code");

    await code.fill(message.code);
    await page.getByRole("button", { name: "Confirm payment" }).click();
    await expect(page).toHaveURL(/\/payments\/sent$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`$250.00 is on its way to ${name}`);
    await expect(page.getByTestId("balance")).toHaveText(dollars(start - 25_000));

    expect(await dashboardBalance(page)).toBe(start - 25_000);
    await expect(await paymentRows(page, name)).toHaveCount(1);
  });

  test("a tampered or reused confirmation never books twice", async ({ page }) => {
    await signIn(page, "grace");
    const start = await dashboardBalance(page);
    const name = `Grace's payee ${unique()}`;
    await sendNeedingConfirmation(page, false, name);
    const paymentKey = await page.locator('input[name="payment"]').first().inputValue();
    const { code } = await latestMessage(DEMO.grace.email);
    const origin = new URL(page.url()).origin;

    // A confirmation posted with fields of its own choosing (the browser's cookies, same origin):
    // only the code counts; amount and payee come from the session.
    const post = (form: Record<string, string>) =>
      page.request.post("/payments/confirm", { form, headers: { origin }, maxRedirects: 0 });
    const tampered = await post({
      payment: paymentKey,
      intent: "confirm",
      code,
      amount: "1.00",
      creditorName: "Mallory",
      creditorIban: "DE89 3704 0044 0532 0130 00",
      currency: "EUR",
    });
    expect(tampered.status()).toBe(303);
    expect(tampered.headers().location).toBe("/payments/sent");

    // The page still open in the browser, confirmed again with the same code: already sent.
    await page.getByLabel("Confirmation code").fill(code);
    await page.getByRole("button", { name: "Confirm payment" }).click();
    await expect(page).toHaveURL(/\/payments\/sent$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`$250.00 is on its way to ${name}`);
    // And once more by hand.
    expect((await post({ payment: paymentKey, intent: "confirm", code })).headers().location).toBe("/payments/sent");

    expect(await dashboardBalance(page)).toBe(start - 25_000);
    await expect(await paymentRows(page, name)).toHaveCount(1);
    await expect((await paymentRows(page, "Mallory"))).toHaveCount(0);
  });
});

test.describe("JavaScript on", () => {
  test("pays 250.00 with the code, with \"Confirming…\" while it is on its way", async ({ page }, testInfo) => {
    await signIn(page, "grace");
    const start = await dashboardBalance(page);
    const name = `Jean Sammet ${unique()}`;
    await sendNeedingConfirmation(page, true, name);
    const code = page.getByLabel("Confirmation code");
    await expect(code).toBeFocused();

    // A wrong code: the message, the count, focus back on the field, without a page load.
    const { code: right } = await latestMessage(DEMO.grace.email);
    await code.fill(right === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Confirm payment" }).click();
    await expect(code).toHaveAccessibleDescription(/That code is not right\. 4 tries left\./);
    await expect(code).toBeFocused();

    // Hold the confirmation until the pending state has been seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => pageOf(url.href) === "/payments/confirm",
      async (route) => {
        if (route.request().method() !== "POST") return route.fallback();
        await held;
        const response = await route.fetch({ maxRedirects: 0 });
        await route.fulfill({ response }).catch(() => undefined);
      },
    );
    await code.fill(right);
    await page.getByRole("button", { name: "Confirm payment" }).click();
    const confirming = page.getByRole("button", { name: "Confirming…" });
    await expect(confirming).toBeVisible();
    await expect(confirming).toBeDisabled();
    await snap(page, testInfo, "confirm-pending");
    release();

    await expect(page).toHaveURL(/\/payments\/sent$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`$250.00 is on its way to ${name}`);
    await expect(page.getByTestId("balance")).toHaveText(dollars(start - 25_000));
    await page.unroute(() => true);
    expect(await dashboardBalance(page)).toBe(start - 25_000);
  });

  test("\"Send a new code\" replaces the code: the old one no longer confirms, the new one does", async ({ page }) => {
    await signIn(page, "grace");
    const start = await dashboardBalance(page);
    const name = `Kathleen Booth ${unique()}`;
    await sendNeedingConfirmation(page, true, name);
    const first = await latestMessage(DEMO.grace.email);
    await page.getByRole("button", { name: "Send a new code" }).click();
    await expect(page.getByRole("status").filter({ hasText: "We've sent you a new code." })).toBeVisible();
    const second = await latestMessage(DEMO.grace.email);
    if (second.code !== first.code) {
      await page.getByLabel("Confirmation code").fill(first.code);
      await page.getByRole("button", { name: "Confirm payment" }).click();
      await expect(page.getByLabel("Confirmation code")).toHaveAccessibleDescription(/That code is not right/);
    }
    await page.getByLabel("Confirmation code").fill(second.code);
    await page.getByRole("button", { name: "Confirm payment" }).click();
    await expect(page).toHaveURL(/\/payments\/sent$/);
    expect(await dashboardBalance(page)).toBe(start - 25_000);
  });
});
