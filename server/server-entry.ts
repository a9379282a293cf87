import type { ServerBuild } from "@remix-run/node";
import type * as ServerEntry from "../app/entry.server";

/**
 * The build's entry module with the exports the server entry relies on beyond
 * Remix's (finalizeResponse, answerPublicAds). The build is compiled from
 * app/entry.server.tsx, so its type is that module's; Remix types it only as far
 * as Remix needs.
 */
export type AppServerEntry = typeof ServerEntry;

export function serverEntry(build: ServerBuild): AppServerEntry {
  return build.entry.module as AppServerEntry;
}
