import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { STANDIN_DEFAULTS } from "../../upstream";

/**
 * The browser bundle is public. It must hold no secret, no credential and no
 * upstream address: this reads every file the compiler put in public/build.
 */
const buildDir = path.resolve(import.meta.dirname, "../../public/build");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    // .br/.gz are the build's compressed copies of files read here already (docs/decisions/013).
    return /\.(?:br|gz)$/.test(name) ? [] : [full];
  });
}

describe("the browser bundle", () => {
  it("exists (npm test builds before running vitest)", () => {
    expect(existsSync(buildDir), "public/build is missing: run `npm run build` first").toBe(true);
  });

  const forbidden: [string, RegExp][] = [
    ["the Auth client secret", new RegExp(STANDIN_DEFAULTS.clientSecret)],
    ["the Ads API key", new RegExp(STANDIN_DEFAULTS.adsApiKey)],
    ["a stand-in port", /\b410[1-5]\b/],
    ["an upstream path", /\/oauth\/token|\/v1\/users\/me|\/v2\/payments|\/v2\/accounts|\/passwordless\//],
    ["a service URL setting", /_SERVICE_URL|AUTH_CLIENT_SECRET|ADS_API_KEY|SESSION_SECRET/],
    ["a JWT", /eyJ[A-Za-z0-9_-]{10,}\.eyJ/],
    ["server-only code", /undici|jose|pino/],
  ];

  it.each(forbidden)("contains no %s", (_what, pattern) => {
    const offenders = files(buildDir).filter((file) => pattern.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
