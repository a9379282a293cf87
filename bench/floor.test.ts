import { readdirSync } from "node:fs";
import path from "node:path";
import appConfig from "../remix.config.js";
import floorConfig from "./floor/remix.config.js";
import { FLOOR_DIR } from "./floor";

// The floor pays for the app's route tree and runs with its flags: when either changes, the floor must follow.
describe("the Remix floor (bench/floor)", () => {
  const routes = (dir: string) =>
    readdirSync(dir)
      .filter((name) => !/\.test\.tsx?$/.test(name))
      .map((name) => name.replace(/\.tsx?$/, ""))
      .sort();

  it("has a route module for every path of the app's", () => {
    expect(routes(path.join(FLOOR_DIR, "app", "routes"))).toEqual(routes(path.resolve(FLOOR_DIR, "..", "..", "app", "routes")));
  });

  it("builds with the app's future flags and module settings", () => {
    expect(floorConfig.future).toBe(appConfig.future);
    expect(floorConfig.serverModuleFormat).toBe(appConfig.serverModuleFormat);
    expect(floorConfig.future?.v3_lazyRouteDiscovery).toBe(false);
  });
});
