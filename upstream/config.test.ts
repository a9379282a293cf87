import { parseAccessTokenTtl, parseFailureRate, parseLatency, parseSca, parseWebAuthn, standinOptionsFromEnv } from "./config";
import { STANDIN_DEFAULTS } from "./defaults";

describe("STANDIN_LATENCY_MS / STANDIN_FAILURE_RATE", () => {
  it("reads service:value pairs", () => {
    expect(parseLatency("users:40,payments:80")).toEqual({ users: 40, payments: 80 });
    expect(parseFailureRate("transactions:0.2")).toEqual({ transactions: 0.2 });
  });

  it("reads a bare number as every service", () => {
    expect(parseLatency("20")).toEqual({ auth: 20, users: 20, payments: 20, transactions: 20, ads: 20 });
  });

  it("lets named values override a bare number, and tolerates spaces", () => {
    expect(parseLatency(" 10 , ads: 0 ")).toEqual({ auth: 10, users: 10, payments: 10, transactions: 10, ads: 0 });
  });

  it("reads unset or empty as nothing", () => {
    expect(parseLatency(undefined)).toEqual({});
    expect(parseFailureRate("  ")).toEqual({});
  });

  it.each([
    ["STANDIN_LATENCY_MS", () => parseLatency("users:-1")],
    ["STANDIN_LATENCY_MS", () => parseLatency("users:abc")],
    ["STANDIN_LATENCY_MS", () => parseLatency("users:")],
    ["STANDIN_LATENCY_MS", () => parseLatency("billing:10")],
    ["STANDIN_FAILURE_RATE", () => parseFailureRate("ads:1.5")],
    ["STANDIN_FAILURE_RATE", () => parseFailureRate("ads:-0.1")],
    ["STANDIN_FAILURE_RATE", () => parseFailureRate("ads=0.5")],
  ])("throws an error naming %s for a bad value", (variable, parse) => {
    expect(parse).toThrow(new RegExp(`^${variable}: invalid entry`));
  });
});

describe("AUTH_ACCESS_TOKEN_TTL_S", () => {
  it("defaults to 300 and reads positive whole seconds", () => {
    expect(parseAccessTokenTtl(undefined)).toBe(300);
    expect(parseAccessTokenTtl("60")).toBe(60);
  });

  it.each(["0", "-5", "1.5", "soon"])("refuses %j", (value) => {
    expect(() => parseAccessTokenTtl(value)).toThrow(/^AUTH_ACCESS_TOKEN_TTL_S/);
  });
});

describe("standinOptionsFromEnv", () => {
  it("uses the dev defaults when nothing is set", () => {
    expect(standinOptionsFromEnv({})).toEqual({
      clientId: STANDIN_DEFAULTS.clientId,
      clientSecret: STANDIN_DEFAULTS.clientSecret,
      adsApiKey: STANDIN_DEFAULTS.adsApiKey,
      accessTokenTtlS: 300,
      latencyMs: {},
      failureRate: {},
      webauthn: { rpId: "localhost", origins: ["http://localhost:3000"] },
      sca: true,
    });
  });

  it("reads every variable", () => {
    expect(
      standinOptionsFromEnv({
        AUTH_CLIENT_ID: "id",
        AUTH_CLIENT_SECRET: "secret",
        ADS_API_KEY: "key",
        AUTH_ACCESS_TOKEN_TTL_S: "30",
        STANDIN_LATENCY_MS: "users:40",
        STANDIN_FAILURE_RATE: "transactions:0.2",
        AUTH_WEBAUTHN_RP_ID: "bank.example",
        AUTH_WEBAUTHN_ORIGINS: "https://bank.example, https://www.bank.example",
        STANDIN_SCA: "off",
      }),
    ).toEqual({
      clientId: "id",
      clientSecret: "secret",
      adsApiKey: "key",
      accessTokenTtlS: 30,
      latencyMs: { users: 40 },
      failureRate: { transactions: 0.2 },
      webauthn: { rpId: "bank.example", origins: ["https://bank.example", "https://www.bank.example"] },
      sca: false,
    });
  });
});

describe("parseWebAuthn", () => {
  it.each(["https://bank.example/login", "bank.example", "ftp://bank.example", "http://localhost:3000/"])(
    "refuses the origin %j naming the variable",
    (origins) => {
      expect(() => parseWebAuthn(undefined, origins)).toThrow(/^AUTH_WEBAUTHN_ORIGINS/);
    },
  );

  it.each(["https://bank.example", "bank example", "-bank.example"])("refuses the RP ID %j naming the variable", (rpId) => {
    expect(() => parseWebAuthn(rpId, undefined)).toThrow(/^AUTH_WEBAUTHN_RP_ID/);
  });
});

describe("STANDIN_SCA", () => {
  it("is on unless set to off", () => {
    expect(parseSca(undefined)).toBe(true);
    expect(parseSca("")).toBe(true);
    expect(parseSca("on")).toBe(true);
    expect(parseSca("OFF")).toBe(false);
  });

  it.each(["no", "0", "false", "of"])("refuses %j with a line naming STANDIN_SCA", (value) => {
    expect(() => parseSca(value)).toThrow(/^STANDIN_SCA: invalid value/);
  });
});
