import { loginPath, safeRedirect } from "./redirect.server";

describe("safeRedirect", () => {
  it.each([
    ["/transactions", "/transactions"],
    ["/transactions?cursor=abc", "/transactions?cursor=abc"],
    ["/payments/new#form", "/payments/new#form"],
    ["/profile/../dashboard", "/dashboard"],
  ])("keeps the in-app path %s", (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    "",
    "dashboard",
    "//evil.example",
    "//evil.example/dashboard",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "https://evil.example",
    "http://localhost:3000/dashboard",
    "javascript:alert(1)",
    "data:text/html,hi",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "/%E0%A4%A",
    "/login",
    "/login?redirectTo=//evil.example",
  ])("falls back to /dashboard for %j", (to) => {
    expect(safeRedirect(to)).toBe("/dashboard");
  });
});

describe("loginPath", () => {
  it("carries where to come back to, and why", () => {
    expect(loginPath("/transactions?cursor=a b")).toBe("/login?redirectTo=%2Ftransactions%3Fcursor%3Da+b");
    expect(loginPath("/dashboard")).toBe("/login?redirectTo=%2Fdashboard");
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("/profile", "expired")).toBe("/login?redirectTo=%2Fprofile&reason=expired");
  });
});
