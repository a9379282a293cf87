import { defineConfig, devices } from "@playwright/test";
import { SERVER_ARGS } from "./server/node-flags";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./tests/support/chromium";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// First stand-in port (auth; then users, payments, transactions, ads): see tests/e2e/support.ts.
const STANDIN_BASE_PORT = process.env.E2E_STANDIN_PORT ?? "4201";
// A second server whose Transactions stand-in always fails (tests/e2e/degraded.spec.ts): the
// stand-ins live inside the server process, so failure is injected when it starts. Defaults sit
// next to the main ones (3101 and 4211 for 3100 and 4201), so runs on other ports don't collide.
const DEGRADED_PORT = Number(process.env.E2E_DEGRADED_PORT ?? PORT + 1);
const DEGRADED_STANDIN_BASE_PORT = process.env.E2E_DEGRADED_STANDIN_PORT ?? String(Number(STANDIN_BASE_PORT) + 10);

const chromium = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

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
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions: chromium }, testIgnore: /degraded\.spec\.ts$/ },
    {
      name: "degraded",
      testMatch: /degraded\.spec\.ts$/,
      use: { ...devices["Desktop Chrome"], launchOptions: chromium, baseURL: `http://localhost:${DEGRADED_PORT}` },
    },
  ],
  // The production build, exactly as `npm start` serves it, with the embedded stand-ins.
  webServer: [
    {
      command: `node ${SERVER_ARGS.join(" ")}`,
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
        // Passkeys (tests/e2e/passkeys.spec.ts) are made on this server's origin, not :3000.
        AUTH_WEBAUTHN_ORIGINS: `http://localhost:${PORT}`,
      },
    },
    // The same server with Transactions failing (project "degraded"): same settings but ports and failure.
    {
      command: `node ${SERVER_ARGS.join(" ")}`,
      url: `http://localhost:${DEGRADED_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        NODE_ENV: "production",
        PORT: String(DEGRADED_PORT),
        LOG_LEVEL: "warn",
        SESSION_SECRET: "e2e-session-secret-that-is-long-enough-000001",
        ADS_ALLOWED_ORIGINS: "*",
        STANDIN_PORTS: DEGRADED_STANDIN_BASE_PORT,
        STANDIN_FAILURE_RATE: "transactions:1",
        AUTH_ACCESS_TOKEN_TTL_S: "40",
      },
    },
  ],
});
