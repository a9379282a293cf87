import { STANDIN_DEFAULTS, startStandins } from "../../upstream";

/**
 * The stand-in microservices for one test file, on ephemeral loopback ports.
 * The msw handlers that `npm start` serves answer here too; override them per
 * test with `standins.use(http.get("*\/v1/users/me", () => ...))`.
 */
export const standins = await startStandins({
  clientId: STANDIN_DEFAULTS.clientId,
  clientSecret: STANDIN_DEFAULTS.clientSecret,
  adsApiKey: STANDIN_DEFAULTS.adsApiKey,
});
