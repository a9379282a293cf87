import { startEmbeddedStandinsIfUnconfigured } from "./embedded";

const URLS = {
  AUTH_SERVICE_URL: "http://auth.internal",
  USERS_SERVICE_URL: "http://users.internal",
  PAYMENTS_SERVICE_URL: "http://payments.internal",
  TRANSACTIONS_SERVICE_URL: "http://transactions.internal",
  ADS_SERVICE_URL: "http://ads.internal",
};

describe("startEmbeddedStandinsIfUnconfigured", () => {
  it("leaves real services alone when all five URLs are set", async () => {
    const env = { ...URLS };
    await expect(startEmbeddedStandinsIfUnconfigured(env, () => {})).resolves.toBeUndefined();
    expect(env).toEqual(URLS);
  });

  it("refuses a partial configuration, naming the missing setting", async () => {
    await expect(
      startEmbeddedStandinsIfUnconfigured({ AUTH_SERVICE_URL: URLS.AUTH_SERVICE_URL }, () => {}),
    ).rejects.toThrow("Invalid configuration: USERS_SERVICE_URL is required when AUTH_SERVICE_URL is set");
  });

  it("starts the stand-ins with dev defaults and a random session secret, with a warning", async () => {
    const env: Record<string, string | undefined> = { STANDIN_PORTS: "auto" };
    const warnings: string[] = [];
    const standins = await startEmbeddedStandinsIfUnconfigured(env, (message) => warnings.push(message));
    try {
      expect(standins).toBeDefined();
      expect(env.AUTH_SERVICE_URL).toBe(standins?.urls.auth);
      expect(env.ADS_SERVICE_URL).toBe(standins?.urls.ads);
      expect(env.AUTH_CLIENT_ID).toBe("bff-dev");
      expect(env.AUTH_WEBAUTHN_ORIGINS).toBe("http://localhost:3000");
      expect(env.SESSION_SECRET).toMatch(/^[0-9a-f]{64}$/);
      expect(warnings).toEqual([expect.stringContaining("SESSION_SECRET is not set")]);
      const health = await fetch(`${env.USERS_SERVICE_URL}/health`);
      expect(health.status).toBe(200);
    } finally {
      await standins?.close();
    }
  });

  it("accepts passkeys from the app's own origin on its PORT, unless AUTH_WEBAUTHN_ORIGINS says otherwise", async () => {
    const onPort: Record<string, string | undefined> = { STANDIN_PORTS: "auto", PORT: "3810" };
    await (await startEmbeddedStandinsIfUnconfigured(onPort, () => {}))?.close();
    expect(onPort.AUTH_WEBAUTHN_ORIGINS).toBe("http://localhost:3810");
    const configured: Record<string, string | undefined> = { STANDIN_PORTS: "auto", AUTH_WEBAUTHN_ORIGINS: "https://bank.example" };
    await (await startEmbeddedStandinsIfUnconfigured(configured, () => {}))?.close();
    expect(configured.AUTH_WEBAUTHN_ORIGINS).toBe("https://bank.example");
  });

  it("keeps a configured session secret and credentials", async () => {
    const env: Record<string, string | undefined> = { STANDIN_PORTS: "auto", SESSION_SECRET: "s".repeat(40), AUTH_CLIENT_ID: "mine" };
    const standins = await startEmbeddedStandinsIfUnconfigured(env, () => {});
    await standins?.close();
    expect(env.SESSION_SECRET).toBe("s".repeat(40));
    expect(env.AUTH_CLIENT_ID).toBe("mine");
  });
});
