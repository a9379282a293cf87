import { afterAll, afterEach } from "vitest";
import { STANDIN_DEFAULTS } from "../../upstream";
import { serviceUrlSettings } from "../../server/embedded";
import { standins } from "./standins";

// Settings must be in place before any test imports a module that reads them.
Object.assign(process.env, {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  SESSION_SECRET: "test-session-secret-that-is-long-enough-0001",
  ...serviceUrlSettings(standins.urls),
  AUTH_CLIENT_ID: STANDIN_DEFAULTS.clientId,
  AUTH_CLIENT_SECRET: STANDIN_DEFAULTS.clientSecret,
  ADS_API_KEY: STANDIN_DEFAULTS.adsApiKey,
  ADS_ALLOWED_ORIGINS: "https://partner.example",
});

afterEach(async () => {
  standins.reset();
  // Fresh rate-limit counters, revocation list and refresh memo for every test.
  const { resetSessionRuntime } = await import("../../app/session/runtime.server");
  resetSessionRuntime();
  const { resetAdsRuntime } = await import("../../app/ads/runtime.server");
  resetAdsRuntime();
  const { resetSharedState } = await import("../../app/shared-state/index.server");
  resetSharedState();
});

afterAll(async () => {
  const { closeUpstreamPools } = await import("../../services/index.server");
  await closeUpstreamPools();
  await standins.close();
});
