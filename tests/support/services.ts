import { createServices } from "../../services/index.server";
import { STANDIN_DEFAULTS } from "../../upstream";
import { standins } from "./standins";

/** Service clients pointed at this test file's stand-ins, with credentials a test may spoil. */
export function testServices(overrides: { clientSecret?: string; adsApiKey?: string } = {}) {
  return createServices({
    urls: standins.urls,
    clientId: STANDIN_DEFAULTS.clientId,
    clientSecret: overrides.clientSecret ?? STANDIN_DEFAULTS.clientSecret,
    adsApiKey: overrides.adsApiKey ?? STANDIN_DEFAULTS.adsApiKey,
    connectTimeoutMs: 500,
    timeoutMs: 2_000,
  });
}
