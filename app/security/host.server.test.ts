import { isPlainHost } from "./host.server";

describe("isPlainHost", () => {
  it.each(["localhost", "localhost:3000", "127.0.0.1:8080", "[::1]:3000", "Bank.Example", "bank.example", "bank.example:80"])("accepts %s", (host) => {
    expect(isPlainHost(host)).toBe(true);
  });

  it.each(["a@evil.example", "a:b@evil.example", "evil.example/x", "evil.example?x", "evil.example#x", "evil example", "", "bank.example:99999", "bank.example:x", "a\\b"])(
    "refuses %s",
    (host) => {
      expect(isPlainHost(host)).toBe(false);
    },
  );
});
