import { isCrossSiteWrite } from "./same-origin.server";

const HOST = "bank.example";
const check = (method: string, headers: Record<string, string>) =>
  isCrossSiteWrite(method, new Headers(headers), HOST);

describe("isCrossSiteWrite", () => {
  it.each(["GET", "HEAD", "OPTIONS"])("lets %s through: it changes nothing", (method) => {
    expect(check(method, { origin: "https://evil.example", "sec-fetch-site": "cross-site" })).toBe(false);
  });

  it("allows a POST from our own origin", () => {
    expect(check("POST", { origin: "https://bank.example", "sec-fetch-site": "same-origin" })).toBe(false);
  });

  it("allows a POST without Origin or Sec-Fetch-Site (not a browser page: curl, server to server)", () => {
    expect(check("POST", {})).toBe(false);
  });

  it.each([
    [{ origin: "https://evil.example" }],
    [{ origin: "https://bank.example.evil.example" }],
    [{ origin: "http://bank.example:8080" }],
    [{ origin: "null" }],
    [{ origin: "not a url" }],
    [{ "sec-fetch-site": "cross-site" }],
    [{ "sec-fetch-site": "same-site" }],
    [{ origin: "https://bank.example", "sec-fetch-site": "cross-site" }],
  ])("refuses a POST with %j", (headers) => {
    expect(check("POST", headers)).toBe(true);
    expect(check("DELETE", headers)).toBe(true);
  });

  it("refuses when the Host is unknown and an Origin is present", () => {
    expect(isCrossSiteWrite("POST", new Headers({ origin: "https://bank.example" }), undefined)).toBe(true);
  });
});
