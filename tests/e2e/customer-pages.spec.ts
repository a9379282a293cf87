import { expect, test, type Page, type Request, type TestInfo } from "@playwright/test";
import { DEMO, expectSignedOut, fillPayment, minorUnits, pageOf, ready, signIn, snap } from "./support";

/**
 * The customer pages, each scenario with JavaScript on (client-side navigation,
 * fetchers, pending states) and off (plain documents and form posts).
 *
 * One server serves the whole run, so balances move as tests pay: expectations
 * are relative to the balance read at the start of a test. Order matters in one
 * place: Ada's exact balance and her 60 transactions are checked before any test
 * in this file pays from her account (the payment scenarios come last), and the
 * a11y spec pays from Grace's account only.
 */

type Scenario = (args: { page: Page; javaScript: boolean }, testInfo: TestInfo) => Promise<void>;

/** Declares one scenario twice, JavaScript on then off, next to each other (so both run before the next scenario). */
function bothModes(title: string, body: Scenario) {
  test.describe(title, () => {
    for (const javaScript of [true, false]) {
      test.describe(() => {
        test.use({ javaScriptEnabled: javaScript });
        test(javaScript ? "JavaScript on" : "JavaScript off", async ({ page }, testInfo) => body({ page, javaScript }, testInfo));
      });
    }
  });
}

const IBAN = "GB82 WEST 1234 5698 7654 32";
/** A recipient suffix of its own per test run, so "paid once" can count this test's rows in the list. */
const unique = () => Math.random().toString(36).slice(2, 8).toUpperCase();
const euro = (minor: number) => new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" }).format(minor / 100);

/** Every transaction row, as text plus its booking time (unique per transaction in the demo data). */
async function rows(page: Page): Promise<string[]> {
  return page
    .getByRole("list", { name: "Transactions, newest first" })
    .getByRole("listitem")
    .evaluateAll((items) =>
      items.map((item) => `${item.querySelector("time")?.getAttribute("datetime") ?? "?"} ${item.textContent?.replace(/\s+/g, " ").trim()}`),
    );
}

/** Booking times of the rows on the page, which must be newest first. */
async function expectNewestFirst(page: Page) {
  const times = await page.getByRole("listitem").locator("time").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("datetime") ?? ""));
  expect(times.length).toBeGreaterThan(0);
  expect(times, "newest first").toEqual([...times].sort().reverse());
}

/** The balance the dashboard shows, in minor units. */
async function dashboardBalance(page: Page, javaScript: boolean): Promise<number> {
  await page.goto("/dashboard");
  await ready(page, javaScript);
  const balance = page.getByTestId("balance");
  await expect(balance).toHaveText(/\d\.\d\d/);
  return minorUnits(await balance.innerText());
}

/** POSTs to the payment form's action, with JavaScript (fetch of `/payments/new.data`) or without (a document). */
function isPaymentPost(request: Request) {
  return request.method() === "POST" && pageOf(request.url()) === "/payments/new";
}

/** Sends the form and returns the status of the POST (a 303 for the document; single fetch answers a redirect with 202). */
async function submitPayment(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((response) => isPaymentPost(response.request())),
    page.getByRole("button", { name: "Send payment" }).click(),
  ]);
  return response.status();
}

bothModes("sign in: the dashboard greets Ada with her balance, recent transactions and an ad", async ({ page, javaScript }, testInfo) => {
  await signIn(page, "ada");
  await expect(page).toHaveURL(/\/dashboard$/);
  await ready(page, javaScript);

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Ada Lovelace");
  const balanceCard = page.getByRole("region", { name: "Available balance" });
  await expect(balanceCard.getByTestId("balance")).toHaveText("€12,345.67");

  const recent = page.getByRole("region", { name: "Recent transactions" });
  await expect(recent.getByRole("list", { name: "Transactions, newest first" }).getByRole("listitem")).toHaveCount(5);
  await expectNewestFirst(page);

  const ad = page.getByRole("complementary", { name: "Sponsored" });
  await expect(ad).toBeVisible();
  await expect(ad.getByText("Sponsored", { exact: true })).toBeVisible();

  // The signed-in header.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Overview", "Transactions", "Send money", "Profile"]);
  await expect(page.getByRole("banner").getByText(DEMO.ada.name, { exact: true })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
  await snap(page, testInfo, "dashboard");
});

bothModes("transactions: Ada pages through all 60, newest first", async ({ page, javaScript }, testInfo) => {
  await signIn(page, "ada");
  await ready(page, javaScript);
  if (javaScript) await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  // From the header, as a customer would (with JavaScript, a client-side navigation).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Transactions" }).click();
  await expect(page).toHaveURL(/\/transactions$/);
  await expect(page.getByRole("heading", { level: 1, name: "Transactions" })).toBeVisible();

  const items = page.getByRole("list", { name: "Transactions, newest first" }).getByRole("listitem");
  const loadMore = page.getByRole("link", { name: "Load more" });
  const end = page.getByText("That's all your transactions.");
  await expect(items).toHaveCount(20);
  await expectNewestFirst(page);

  if (javaScript) {
    await ready(page, javaScript);
    // "Load more" appends the next page in place: same document, same URL.
    for (const expected of [40, 60]) {
      await expect(end).toHaveCount(0);
      await loadMore.click();
      await expect(items).toHaveCount(expected);
      await expect(page).toHaveURL(/\/transactions$/);
    }
    await expect(end).toBeVisible();
    await expect(loadMore).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), "no full page load").toBe(true);
    const all = await rows(page);
    expect(all).toHaveLength(60);
    expect(new Set(all).size, "60 different transactions").toBe(60);
    await expectNewestFirst(page);
  } else {
    // A plain link per page: /transactions?cursor=…, with a "Newest" link back.
    await expect(page.getByRole("link", { name: "Newest" })).toHaveCount(0);
    const seen: string[] = [...(await rows(page))];
    for (let pageNumber = 2; pageNumber <= 3; pageNumber++) {
      await expect(end).toHaveCount(0);
      await expect(loadMore).toHaveAttribute("href", /^\/transactions\?cursor=.+/);
      await loadMore.click();
      await expect(page).toHaveURL(/\/transactions\?cursor=.+/);
      await expect(items).toHaveCount(20);
      await expect(page.getByRole("link", { name: "Newest" })).toHaveAttribute("href", "/transactions");
      await expectNewestFirst(page);
      seen.push(...(await rows(page)));
    }
    await expect(end).toBeVisible();
    await expect(loadMore).toHaveCount(0);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size, "60 different transactions across 3 pages").toBe(60);
    expect([...seen].map((row) => row.split(" ")[0]), "newest first across pages").toEqual(
      [...seen].map((row) => row.split(" ")[0]).sort().reverse(),
    );
    await snap(page, testInfo, "transactions-last-page");
    await page.getByRole("link", { name: "Newest" }).click();
    await expect(page).toHaveURL(/\/transactions$/);
    await expect(items).toHaveCount(20);
  }
  await snap(page, testInfo, "transactions");
});

bothModes("profile: name, e-mail and member since", async ({ page, javaScript }, testInfo) => {
  await signIn(page, "ada");
  await ready(page, javaScript);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Profile" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole("heading", { level: 1, name: "Profile" })).toBeVisible();
  const fact = (term: string) => page.getByRole("term").filter({ hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");
  await expect(fact("Name")).toHaveText("Ada Lovelace");
  await expect(fact("Email")).toHaveText("ada@example.com");
  // Ada's account dates from 2019-03-14 (the Users stand-in); en-GB medium date.
  await expect(fact("Member since")).toHaveText("14 Mar 2019");
  await expect(fact("Member since").locator("time")).toHaveAttribute("datetime", "2019-03-14T10:15:00.000Z");
  await snap(page, testInfo, "profile");
});

bothModes("sign out: back on the landing page, and /dashboard asks to sign in", async ({ page, javaScript }) => {
  await signIn(page, "ada");
  await ready(page, javaScript);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/^http:\/\/[^/]+\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your money, clearly.");
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  await expectSignedOut(page);
});

bothModes("a bad IBAN: checked in the browser with JavaScript, by the server (400) without", async ({ page, javaScript }, testInfo) => {
  await signIn(page, "ada");
  await page.goto("/payments/new");
  await ready(page, javaScript);
  const posts: Request[] = [];
  page.on("request", (request) => void (isPaymentPost(request) && posts.push(request)));

  await fillPayment(page, { name: "Charles Babbage", iban: "GB00 1234 5678", amount: "12.50", reference: "Bad IBAN" });
  const send = page.getByRole("button", { name: "Send payment" });
  const iban = page.getByLabel("IBAN");
  const message = "Enter a valid IBAN, like GB82 WEST 1234 5698 7654 32.";

  if (javaScript) {
    await send.click();
    await expect(iban).toHaveAttribute("aria-invalid", "true");
    await expect(iban).toHaveAccessibleDescription(new RegExp(message.replace(/\./g, "\\.")));
    await expect(iban).toBeFocused();
    expect(posts, "no POST to /payments/new: the browser caught it").toHaveLength(0);
  } else {
    const status = await submitPayment(page);
    expect(status).toBe(400);
    expect(posts).toHaveLength(1);
    await expect(iban).toHaveAttribute("aria-invalid", "true");
    await expect(iban).toHaveAccessibleDescription(new RegExp(message.replace(/\./g, "\\.")));
  }
  await expect(page.getByText(message)).toBeVisible();
  // What was typed stays.
  await expect(page.getByLabel("Recipient name")).toHaveValue("Charles Babbage");
  await expect(iban).toHaveValue("GB00 1234 5678");
  await expect(page.getByLabel("Amount")).toHaveValue("12.50");
  await expect(page.getByLabel("Reference")).toHaveValue("Bad IBAN");
  await snap(page, testInfo, "payment-bad-iban");
});

bothModes("over the balance: Grace sends 5000 and is told it is more than she has (422)", async ({ page, javaScript }, testInfo) => {
  await signIn(page, "grace");
  await page.goto("/payments/new");
  await ready(page, javaScript);
  const available = page.getByText("Available to send:").locator("strong");
  await expect(available).toHaveText(/^\$[\d,]+\.\d\d$/);
  const before = await available.innerText();
  expect(minorUnits(before)).toBeLessThan(500_000);

  await fillPayment(page, { name: "Howard Aiken", iban: IBAN, amount: "5000", reference: "Mark I" });
  expect(await submitPayment(page)).toBe(422);
  const amount = page.getByLabel("Amount");
  await expect(amount).toHaveAttribute("aria-invalid", "true");
  await expect(amount).toHaveAccessibleDescription(/The amount is more than your available balance\./);
  await expect(page.getByText("The amount is more than your available balance.")).toBeVisible();
  await expect(amount).toHaveValue("5000");
  await expect(page.getByLabel("Recipient name")).toHaveValue("Howard Aiken");
  await expect(page).toHaveURL(/\/payments\/new$/);
  await snap(page, testInfo, "payment-over-balance");

  await page.goto("/dashboard");
  await expect(page.getByTestId("balance")).toHaveText(before);
});

test.describe("send 12.50: the balance drops once", () => {
  test.describe("JavaScript off", () => {
    test.use({ javaScriptEnabled: false });

    test("then BACK and the same payment again: 409, nothing sent until confirmed", async ({ page, context }, testInfo) => {
      await signIn(page, "ada");
      const start = await dashboardBalance(page, false);
      const payment = { name: `Charles Babbage ${unique()}`, iban: IBAN, amount: "12.50", reference: "Difference Engine" };

      await page.goto("/payments/new");
      await fillPayment(page, payment);
      expect(await submitPayment(page), "POST/redirect/GET").toBe(303);
      // Soft: if the confirmation is missing, the steps below still show what a resubmission does.
      await expect.soft(page, "the confirmation page, not the form again").toHaveURL(/\/payments\/sent$/);
      await expect.soft(page.getByRole("heading", { level: 1 })).toHaveText(`€12.50 is on its way to ${payment.name}`);
      await expect.soft(page.getByTestId("balance")).toHaveText(euro(start - 1250));
      await snap(page, testInfo, "payment-sent");

      // Back to the form, and the same payment again.
      await page.goBack();
      await expect(page).toHaveURL(/\/payments\/new$/);
      await fillPayment(page, payment);
      expect.soft(await submitPayment(page), "the same payment again asks first (409) instead of paying").toBe(409);
      await snap(page, testInfo, "payment-duplicate");

      // Nothing more left the account (checked in another tab, so this page stays as it is).
      const other = await context.newPage();
      await other.goto("/dashboard");
      await expect(other.getByTestId("balance"), "paid once, not twice").toHaveText(euro(start - 1250));
      await other.goto("/transactions");
      await expect(other.getByRole("listitem").filter({ hasText: payment.name })).toHaveCount(1);

      await expect(page.getByRole("alert")).toHaveText(
        "You already sent this exact payment a moment ago. It has not been sent again.",
      );
      const confirm = page.getByRole("checkbox", { name: "Yes, send the same payment again" });
      await expect(confirm).not.toBeChecked();
      await expect(page.getByLabel("Recipient name")).toHaveValue(payment.name);
      await expect(page.getByLabel("Amount")).toHaveValue(payment.amount);

      // Confirming sends it again.
      await confirm.check();
      expect(await submitPayment(page)).toBe(303);
      await expect(page).toHaveURL(/\/payments\/sent$/);
      await expect(page.getByTestId("balance")).toHaveText(euro(start - 2500));
      await other.goto("/transactions");
      await expect(other.getByRole("listitem").filter({ hasText: payment.name })).toHaveCount(2);
      await other.close();
    });
  });

  test.describe("JavaScript on", () => {
    test("a quick double click on \"Send payment\" pays once, with \"Sending…\" meanwhile", async ({ page }, testInfo) => {
      await signIn(page, "ada");
      const start = await dashboardBalance(page, true);
      const payment = { name: `Charles Babbage ${unique()}`, iban: IBAN, amount: "12.50", reference: "Analytical Engine" };

      await page.goto("/payments/new");
      await ready(page, true);
      await fillPayment(page, payment);

      // Hold the form's POSTs until the pending state has been seen. Every POST the
      // browser sends still reaches the server (even one the browser abandons for a
      // newer submission), as it would on a real network.
      const posts: Request[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(
        (url) => pageOf(url.href) === "/payments/new",
        async (route) => {
          if (route.request().method() !== "POST") return route.fallback();
          posts.push(route.request());
          await held;
          const response = await route.fetch({ maxRedirects: 0 });
          await route.fulfill({ response }).catch(() => undefined); // the browser gave up on it
        },
      );

      await page.getByRole("button", { name: "Send payment" }).dblclick();
      const sending = page.getByRole("button", { name: "Sending…" });
      await expect(sending).toBeVisible();
      await expect(sending).toBeDisabled();
      expect(posts.length, "at least the first click posted").toBeGreaterThanOrEqual(1);
      testInfo.annotations.push({ type: "POSTs from the double click", description: String(posts.length) });
      // The disabled button usually stops the second click; make sure a second POST of the same
      // rendered form (same Idempotency-Key) reaches the server anyway, as a retry would.
      const clicks = posts.length;
      await page.getByRole("button", { name: "Sending…" }).evaluate((button: HTMLButtonElement) => button.form?.requestSubmit());
      await expect.poll(() => posts.length).toBe(clicks + 1);
      release();

      await expect(page).toHaveURL(/\/payments\/sent$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`€12.50 is on its way to ${payment.name}`);
      await expect(page.getByTestId("balance")).toHaveText(euro(start - 1250));
      await page.unroute(() => true);

      await page.getByRole("link", { name: "Back to overview" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByTestId("balance")).toHaveText(euro(start - 1250));
      await page.goto("/transactions");
      await expect(page.getByRole("listitem").filter({ hasText: payment.name })).toHaveCount(1);
      await snap(page, testInfo, "transactions-after-payment");
    });
  });
});
