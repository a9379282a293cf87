import { parseEnv } from "./env.server";

const valid = {
  SESSION_SECRET: "a".repeat(32),
  AUTH_SERVICE_URL: "http://auth.internal:4101/",
  USERS_SERVICE_URL: "http://users.internal",
  PAYMENTS_SERVICE_URL: "https://payments.internal/api",
  TRANSACTIONS_SERVICE_URL: "http://transactions.internal",
  ADS_SERVICE_URL: "http://ads.internal",
  AUTH_CLIENT_ID: "bff",
  AUTH_CLIENT_SECRET: "secret",
  ADS_API_KEY: "key",
};

describe("parseEnv", () => {
  it("applies the contract's defaults", () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({
      PORT: 3000,
      NODE_ENV: "production",
      SESSION_IDLE_TIMEOUT_S: 1800,
      SESSION_ABSOLUTE_TIMEOUT_S: 43200,
      ADS_RATE_LIMIT_PER_MIN: 600,
      LOGIN_RATE_LIMIT_PER_EMAIL: 10,
      LOGIN_RATE_LIMIT_PER_IP: 100,
      ADS_ALLOWED_ORIGINS: [],
    });
    expect([env.TRUST_PROXY, env.METRICS_TOKEN, env.REDIS_URL]).toEqual([undefined, undefined, undefined]);
  });

  it("splits comma lists and trims service URLs", () => {
    const env = parseEnv({
      ...valid,
      SESSION_SECRET: `${"a".repeat(32)}, ${"b".repeat(40)}`,
      ADS_ALLOWED_ORIGINS: "https://a.example, https://b.example",
    });
    expect(env.SESSION_SECRET).toEqual(["a".repeat(32), "b".repeat(40)]);
    expect(env.ADS_ALLOWED_ORIGINS).toEqual(["https://a.example", "https://b.example"]);
    expect(env.AUTH_SERVICE_URL).toBe("http://auth.internal:4101");
  });

  it("treats empty values as unset", () => {
    const env = parseEnv({ ...valid, PORT: "", TRUST_PROXY: "", METRICS_TOKEN: "" });
    expect([env.PORT, env.TRUST_PROXY, env.METRICS_TOKEN]).toEqual([3000, undefined, undefined]);
  });

  it.each([
    [{ SESSION_SECRET: undefined }, "Invalid configuration: SESSION_SECRET is required"],
    [{ SESSION_SECRET: "short" }, "Invalid configuration: SESSION_SECRET each secret must be at least 32 characters"],
    [{ USERS_SERVICE_URL: undefined }, "Invalid configuration: USERS_SERVICE_URL is required"],
    [{ USERS_SERVICE_URL: "users.internal" }, "Invalid configuration: USERS_SERVICE_URL must be an http(s) URL"],
    [{ ADS_SERVICE_URL: "ftp://ads" }, "Invalid configuration: ADS_SERVICE_URL must be an http(s) URL"],
    [{ SESSION_IDLE_TIMEOUT_S: "0" }, "Invalid configuration: SESSION_IDLE_TIMEOUT_S must be a positive whole number of seconds"],
    [{ SESSION_ABSOLUTE_TIMEOUT_S: "1.5" }, "Invalid configuration: SESSION_ABSOLUTE_TIMEOUT_S must be a whole number of seconds"],
    [{ SESSION_IDLE_TIMEOUT_S: "soon" }, "Invalid configuration: SESSION_IDLE_TIMEOUT_S must be a whole number of seconds"],
    [{ NODE_ENV: "staging" }, "Invalid configuration: NODE_ENV"],
    [{ AUTH_CLIENT_SECRET: undefined }, "Invalid configuration: AUTH_CLIENT_SECRET is required"],
    [{ ADS_ALLOWED_ORIGINS: "https://ok.example, partner.example/path" }, "Invalid configuration: ADS_ALLOWED_ORIGINS must be"],
  ])("refuses %j with one line naming the setting", (change, message) => {
    const attempt = () => parseEnv({ ...valid, ...change });
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("\n");
    }
  });
});
