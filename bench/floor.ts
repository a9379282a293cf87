import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { SERVER_NODE_FLAGS } from "../server/node-flags";
import { spawnServer, type ChildServer } from "./processes";

/**
 * The Remix floor (docs/performance.md, "The floor"): a bare Remix 2 app in
 * bench/floor/ with the app's route tree and future flags, built with the
 * installed @remix-run/dev and served by the installed remix-serve in production
 * mode. What any Remix document with this route tree costs on this machine.
 */

export const FLOOR_DIR = path.resolve(import.meta.dirname, "floor");
const ROOT = path.resolve(import.meta.dirname, "..");
const REMIX_CLI = path.join(ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js");
const REMIX_SERVE = path.join(ROOT, "node_modules", "@remix-run", "serve", "dist", "cli.js");
const SERVER_BUILD = path.join(FLOOR_DIR, "build", "index.js");

/** `remix build bench/floor`; with `onlyIfMissing`, only when there is no build yet (a clean checkout). */
export function buildFloor({ onlyIfMissing = false } = {}): void {
  if (onlyIfMissing && existsSync(SERVER_BUILD)) return;
  console.log("bench: remix build bench/floor");
  const result = spawnSync(process.execPath, [REMIX_CLI, "build", FLOOR_DIR], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", VITE_CJS_IGNORE_WARNING: "true" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error(`remix build bench/floor failed (exit ${result.status})`);
}

/** remix-serve on the floor's build, with the app's Node flags (decision 010), so flags are not the difference. */
export function startFloor(options: { port: number; sessionSecret: string; nodeFlags: readonly string[]; logFile: string }): ChildServer {
  return spawnServer("floor", process.execPath, [...SERVER_NODE_FLAGS, ...options.nodeFlags, REMIX_SERVE, SERVER_BUILD], {
    // remix-serve serves public/ and the build's assets relative to its working directory.
    cwd: FLOOR_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(options.port),
      SESSION_SECRET: options.sessionSecret,
    },
    logFile: options.logFile,
  });
}
