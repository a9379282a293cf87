import { readFileSync } from "node:fs";
import { SERVER_ARGS } from "./node-flags";

// package.json cannot import the flags: every script that starts the server spells them out.
describe("the server's Node flags", () => {
  const scripts = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> }).scripts;

  it.each(["start", "start:prod", "dev"])("are on `npm run %s`", (name) => {
    expect(scripts[name]).toContain(`node ${SERVER_ARGS.join(" ")}`);
  });
});
