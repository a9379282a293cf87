import { writeFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { DEMO, fillPayment, latestMessage, ready, requestCode, signIn, snap } from "./support";

/**
 * axe (no serious or critical violations) on every page, at desktop and phone
 * sizes, with a full-page screenshot of each kept as an artifact; and the
 * keyboard path through the layout and the payment form.
 *
 * Pays from Grace's account only: customer-pages.spec.ts relies on Ada's exact
 * balance and her 60 transactions.
 */

const IBAN = "GB82 WEST 1234 5698 7654 32";

/** Runs axe, keeps its findings and a screenshot, and fails on anything serious or critical. */
async function audit(page: Page, testInfo: TestInfo, name: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const report = testInfo.outputPath(`${name}-axe.json`);
  await writeFile(report, JSON.stringify(results.violations, null, 2));
  await testInfo.attach(`${name}-axe.json`, { path: report, contentType: "application/json" });
  await snap(page, testInfo, name);
  const describe = (violation: (typeof results.violations)[number]) =>
    `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`;
  for (const minor of results.violations.filter((violation) => violation.impact !== "serious" && violation.impact !== "critical")) {
    testInfo.annotations.push({ type: "axe (not blocking)", description: describe(minor) });
  }
  const blocking = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(blocking.map(describe), `serious or critical axe violations on ${page.url()}`).toEqual([]);
}

interface Target {
  name: string;
  open: (page: Page) => Promise<void>;
}

const TARGETS: Target[] = [
  {
    name: "landing",
    open: async (page) => {
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your money, clearly.");
    },
  },
  {
    name: "login",
    open: async (page) => {
      await page.goto("/login");
      await expect(page.getByLabel("Password")).toBeVisible();
    },
  },
  {
    name: "login-code-email",
    open: async (page) => {
      await page.goto("/login/code");
      await expect(page.getByRole("heading", { level: 1 }), "/login/code shows the code sign-in").toHaveText("Sign in with a code");
      await expect(page.getByRole("button", { name: "Send code" })).toBeVisible();
    },
  },
  {
    name: "login-code-code",
    open: async (page) => {
      await page.goto("/login/code");
      await ready(page, true);
      // No account behind it (the answer is the same): keeps the demo customers' rate limits untouched.
      await requestCode(page, "a11y-nobody@example.com");
    },
  },
  {
    name: "dashboard",
    open: async (page) => {
      await signIn(page, "ada");
      await page.goto("/dashboard");
      await expect(page.getByTestId("balance")).toBeVisible();
      await expect(page.getByRole("complementary", { name: "Sponsored" }).locator("img")).toHaveJSProperty("complete", true);
    },
  },
  {
    name: "transactions",
    open: async (page) => {
      await signIn(page, "ada");
      await page.goto("/transactions");
      await expect(page.getByRole("listitem")).toHaveCount(20);
    },
  },
  {
    name: "payment-form",
    open: async (page) => {
      await signIn(page, "ada");
      await page.goto("/payments/new");
      await expect(page.getByRole("button", { name: "Send payment" })).toBeVisible();
    },
  },
  {
    // The server's own messages (400), as a browser without JavaScript gets them. axe needs
    // JavaScript, so the form is posted natively (form.submit(): no client-side check).
    name: "payment-form-server-errors",
    open: async (page) => {
      await signIn(page, "grace");
      await page.goto("/payments/new");
      await ready(page, true);
      await page.getByLabel("IBAN").fill("GB00 1234");
      await page.getByLabel("Amount").fill("twelve");
      const [response] = await Promise.all([
        page.waitForResponse((response) => response.request().method() === "POST"),
        page.getByRole("button", { name: "Send payment" }).evaluate((button: HTMLButtonElement) => button.form?.submit()),
      ]);
      expect(response.status()).toBe(400);
      await expect(page.getByText("Enter the recipient's name.")).toBeVisible();
      await expect(page.getByText("Enter a valid IBAN, like GB82 WEST 1234 5698 7654 32.")).toBeVisible();
    },
  },
  {
    name: "payment-form-over-balance",
    open: async (page) => {
      await signIn(page, "grace");
      await page.goto("/payments/new");
      await ready(page, true);
      await fillPayment(page, { name: "Howard Aiken", iban: IBAN, amount: "5000" });
      await page.getByRole("button", { name: "Send payment" }).click();
      await expect(page.getByText("The amount is more than your available balance.")).toBeVisible();
    },
  },
  {
    name: "payment-sent",
    open: async (page) => {
      await signIn(page, "grace");
      await page.goto("/payments/new");
      await ready(page, true);
      // A different amount per run and size, so no payment is a duplicate of another.
      const amount = `1.${String(Math.floor(Math.random() * 90) + 10)}`;
      await fillPayment(page, { name: "Howard Aiken", iban: IBAN, amount, reference: "Accessibility check" });
      await page.getByRole("button", { name: "Send payment" }).click();
      await expect(page).toHaveURL(/\/payments\/sent$/);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("is on its way to Howard Aiken");
    },
  },
  {
    // Above the low-value exemption: Payments asks for strong customer authentication. Nothing is booked.
    name: "payment-confirm",
    open: async (page) => {
      await openConfirmation(page);
      await expect(page.getByLabel("Confirmation code")).toBeFocused();
    },
  },
  {
    name: "payment-confirm-wrong-code",
    open: async (page) => {
      await openConfirmation(page);
      const { code } = await latestMessage(DEMO.grace.email);
      await page.getByLabel("Confirmation code").fill(code === "000000" ? "111111" : "000000");
      await page.getByRole("button", { name: "Confirm payment" }).click();
      await expect(page.getByLabel("Confirmation code")).toHaveAccessibleDescription(/That code is not right/);
    },
  },
  {
    name: "profile",
    open: async (page) => {
      await signIn(page, "ada");
      await page.goto("/profile");
      await expect(page.getByText("ada@example.com")).toBeVisible();
    },
  },
  {
    name: "not-found",
    open: async (page) => {
      const response = await page.goto("/no-such-page");
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("We can't find that page");
    },
  },
];

/** Grace's 250.00 to Howard Aiken, up to the confirmation page. */
async function openConfirmation(page: Page) {
  await signIn(page, "grace");
  await page.goto("/payments/new");
  await ready(page, true);
  await fillPayment(page, { name: "Howard Aiken", iban: IBAN, amount: "250.00", reference: "Accessibility check" });
  await page.getByRole("button", { name: "Send payment" }).click();
  await expect(page).toHaveURL(/\/payments\/confirm$/);
  await ready(page, true);
}

const SIZES = [
  { size: "desktop", use: { viewport: { width: 1280, height: 900 } } },
  { size: "mobile", use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
] as const;

for (const { size, use } of SIZES) {
  test.describe(`axe, ${size}`, () => {
    test.use(use);
    for (const target of TARGETS) {
      test(target.name, async ({ page }, testInfo) => {
        await target.open(page);
        await audit(page, testInfo, `${size}-${target.name}`);
      });
    }
  });
}

test.describe("keyboard", () => {
  test.use({ viewport: { width: 1280, height: 900 } });

  for (const path of ["/", "/dashboard"]) {
    test(`the skip link is the first Tab stop on ${path} and moves focus to main`, async ({ page }) => {
      if (path !== "/") await signIn(page, "ada");
      await page.goto(path);
      await ready(page, true);
      await page.keyboard.press("Tab");
      const skip = page.getByRole("link", { name: "Skip to content" });
      await expect(skip).toBeFocused();
      await expect(skip).toBeInViewport();
      await page.keyboard.press("Enter");
      await expect(page.getByRole("main")).toBeFocused();
      // And the next Tab lands inside main, past the header.
      await page.keyboard.press("Tab");
      expect(await page.getByRole("main").evaluate((main) => main.contains(document.activeElement))).toBe(true);
    });
  }

  test("the payment form in Tab order: Recipient name → IBAN → Amount → Reference → Send payment", async ({ page }) => {
    await signIn(page, "ada");
    await page.goto("/payments/new");
    await ready(page, true);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("main")).toBeFocused();
    for (const field of [
      page.getByLabel("Recipient name"),
      page.getByLabel("IBAN"),
      page.getByLabel("Amount"),
      page.getByLabel("Reference"),
      page.getByRole("button", { name: "Send payment" }),
    ]) {
      await page.keyboard.press("Tab");
      await expect(field).toBeFocused();
    }
  });

  test("every interactive element on /payments/new is reachable by Tab", async ({ page }) => {
    await signIn(page, "ada");
    await page.goto("/payments/new");
    await ready(page, true);
    const interactive = page.locator(
      'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])',
    );
    const names = await interactive.evaluateAll((elements) =>
      elements.map((element) => {
        const label = element instanceof HTMLInputElement ? element.labels?.[0]?.textContent : null;
        return (label ?? element.getAttribute("aria-label") ?? element.textContent ?? "").replace(/\s+/g, " ").trim();
      }),
    );
    expect(names).toEqual(expect.arrayContaining(["Recipient name", "IBAN", "Amount", "Reference", "Send payment"]));

    const order: number[] = [];
    for (let press = 0; press < names.length + 3; press++) {
      await page.keyboard.press("Tab");
      order.push(await interactive.evaluateAll((elements) => elements.indexOf(document.activeElement as HTMLElement)));
    }
    const reached = new Set(order.filter((index) => index >= 0));
    const missed = names.filter((_, index) => !reached.has(index));
    expect(missed, "interactive elements Tab never reaches").toEqual([]);
    expect(names[order[0] ?? -1], "the first Tab stop").toBe("Skip to content");
    // The form's own stops, in order and one after the other.
    const formStops = order.map((index) => names[index]).filter((name) => ["Recipient name", "IBAN", "Amount", "Reference", "Send payment"].includes(name ?? ""));
    expect(formStops).toEqual(["Recipient name", "IBAN", "Amount", "Reference", "Send payment"]);
  });
});
