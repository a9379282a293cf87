import { expect, test, type BrowserContext, type Cookie, type Page, type TestInfo } from "@playwright/test";

/** The Auth stand-in of the e2e server (playwright.config.ts: STANDIN_PORTS=E2E_STANDIN_PORT, default 4201). */
export const AUTH_STANDIN = `http://127.0.0.1:${process.env.E2E_STANDIN_PORT ?? "4201"}`;

export const DEMO = {
  ada: { email: "ada@example.com", password: "Analytical-Engine-1843", name: "Ada Lovelace" },
  grace: { email: "grace@example.com", password: "Cobol-1959-Compiler", name: "Grace Hopper" },
} as const;

/** The newest passwordless code the stand-in "e-mailed" (its dev outbox; the app never reads it). */
export async function latestCode(email: string): Promise<string> {
  const response = await fetch(`${AUTH_STANDIN}/dev/outbox?email=${encodeURIComponent(email)}`);
  const { codes } = (await response.json()) as { codes: string[] };
  if (!codes[0]) throw new Error(`no code in the outbox for ${email}`);
  return codes[0];
}

/** The newest message the stand-in "sent" (sign-in or payment code), with its text. */
export async function latestMessage(email: string): Promise<{ code: string; text: string }> {
  const response = await fetch(`${AUTH_STANDIN}/dev/outbox?email=${encodeURIComponent(email)}`);
  const { messages } = (await response.json()) as { messages: { code: string; text: string }[] };
  if (!messages[0]) throw new Error(`no message in the outbox for ${email}`);
  return messages[0];
}

/** Signs in through the real form, as a customer would. */
export async function signIn(page: Page, customer: keyof typeof DEMO, path = "/login") {
  const { email, password } = DEMO[customer];
  await page.goto(path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** The session cookie's name over plain http (the e2e server); `__Host-session` over https. */
export const SESSION_COOKIE = "session";

/**
 * Declares the same scenarios twice: with JavaScript on (Remix's client-side
 * forms and navigation) and off (plain HTML forms and documents). `javaScript`
 * tells the scenario which one it runs in.
 */
export function inBothModes(define: (mode: { javaScript: boolean }) => void) {
  for (const javaScript of [true, false]) {
    test.describe(javaScript ? "JavaScript on" : "JavaScript off", () => {
      test.use({ javaScriptEnabled: javaScript });
      define({ javaScript });
    });
  }
}

/**
 * The page a request is for. With JavaScript, Remix's single fetch asks for
 * `/page.data` (`/_root.data` for `/`) and answers a redirect with 202 and the
 * target in its body; without, the document asks for `/page` itself.
 */
export function pageOf(url: string): string {
  const { pathname } = new URL(url);
  if (pathname === "/_root.data") return "/";
  return pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
}

/** The session cookie the browser context holds, if any. */
export async function sessionCookie(context: BrowserContext): Promise<Cookie | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

/** Signs in with an e-mailed code through the real two-step form. */
export async function signInWithCode(page: Page, customer: keyof typeof DEMO, path = "/login/code") {
  const { email } = DEMO[customer];
  await page.goto(path);
  await requestCode(page, email);
  await page.getByLabel("Code", { exact: true }).fill(await latestCode(email));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** Step one of the code sign-in, on /login/code: ends when the "Code" step shows. */
export async function requestCode(page: Page, email: string) {
  await expect(page.getByRole("heading", { level: 1, name: "Sign in with a code" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByLabel("Code", { exact: true })).toBeVisible();
}

/**
 * Asserts the browser is signed out: /dashboard sends it to the sign-in page
 * with a redirect (not an error page), and the header offers "Sign in".
 */
export async function expectSignedOut(page: Page) {
  const response = await page.goto("/dashboard");
  expect(response?.status(), "the sign-in page, not an error").toBe(200);
  const redirect = await response?.request().redirectedFrom()?.response();
  expect(redirect?.status(), "/dashboard redirects").toBeGreaterThanOrEqual(302);
  expect(redirect?.status()).toBeLessThanOrEqual(303);
  expect(new URL(page.url()).pathname).toBe("/login");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
}

/** Asserts the browser is signed in as `customer`: /dashboard greets them, no redirect. */
export async function expectSignedIn(page: Page, customer: keyof typeof DEMO) {
  const response = await page.goto("/dashboard");
  expect(response?.status()).toBe(200);
  expect(response?.request().redirectedFrom(), "no redirect").toBeNull();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${DEMO[customer].name}`);
}

/**
 * With JavaScript on, waits until React has hydrated the page (the root layout marks
 * `<html data-hydrated>` in an effect): before that a click is a plain document
 * navigation or form post, which is the JavaScript-off path. `window.__remixRouter`
 * is not enough: Remix sets it while hydration is still rendering.
 */
export async function ready(page: Page, javaScript: boolean) {
  if (javaScript) await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

/** A full-page screenshot kept as a test artifact (`<output dir>/<name>.png`) and attached to the report. */
export async function snap(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** "€12,345.67" or "$3,021.50" → minor units (1234567, 302150), to compare balances across steps. */
export function minorUnits(text: string): number {
  const match = /(-|−)?[^\d-−]*([\d,]+)\.(\d{2})\b/.exec(text.trim());
  if (!match?.[2] || !match[3]) throw new Error(`not an amount: "${text}"`);
  const minor = Number(match[2].replace(/,/g, "")) * 100 + Number(match[3]);
  return match[1] ? -minor : minor;
}

/** Fills the payment form (/payments/new) as a customer would, field by field. */
export async function fillPayment(page: Page, payment: { name: string; iban: string; amount: string; reference?: string }) {
  await page.getByLabel("Recipient name").fill(payment.name);
  await page.getByLabel("IBAN").fill(payment.iban);
  await page.getByLabel("Amount").fill(payment.amount);
  await page.getByLabel("Reference").fill(payment.reference ?? "");
}
