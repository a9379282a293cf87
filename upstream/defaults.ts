/**
 * Development credentials shared by the stand-ins and the app's server entry, so
 * both sides agree without configuration when the stand-ins are embedded.
 * They are not secrets: they only ever unlock the local stand-ins.
 */
export const STANDIN_DEFAULTS = {
  clientId: "bff-dev",
  clientSecret: "dev-client-secret",
  adsApiKey: "dev-ads-key",
  accessTokenTtlS: 300,
  /** Passkeys: the RP ID and the app's origin as `npm start` serves it. */
  webauthnRpId: "localhost",
  webauthnOrigins: ["http://localhost:3000"],
} as const;
