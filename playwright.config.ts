import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// First stand-in port (auth; then users, payments, transactions, ads): see tests/e2e/support.ts.
const STANDIN_BASE_PORT = process.env.E2E_STANDIN_PORT ?? "4201";

// Debian's Chromium (never a downloaded browser); the flags keep it off the closed network.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromium,
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions: chromium } }],
  // The production build, exactly as `npm start` serves it, with the embedded stand-ins.
  webServer: {
    command: "node --import tsx server/index.ts",
    url: `http://localhost:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      NODE_ENV: "production",
      PORT: String(PORT),
      LOG_LEVEL: "warn",
      SESSION_SECRET: "e2e-session-secret-that-is-long-enough-000001",
      ADS_ALLOWED_ORIGINS: "*",
      // Stand-ins on 4201–4205, so the tests run beside a developer's `npm start`
      // and can read the Auth stand-in's dev outbox (tests/e2e/support.ts).
      STANDIN_PORTS: STANDIN_BASE_PORT,
      STANDIN_FAILURE_RATE: process.env.STANDIN_FAILURE_RATE ?? "",
      // Short-lived access tokens, so the refresh test (tests/e2e/sign-in.spec.ts) reaches
      // the refresh window (30 s before expiry) 11 s after signing in, not after 4.5 minutes.
      AUTH_ACCESS_TOKEN_TTL_S: "40",
    },
  },
});
