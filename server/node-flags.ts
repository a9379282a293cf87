/**
 * Node flags the server always runs with (docs/decisions/010). The npm scripts in
 * package.json spell them out too (JSON cannot import): a test keeps them equal.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"] as const;

/** The command line that runs the server, as `npm run start:prod` does. */
export const SERVER_ARGS = [...SERVER_NODE_FLAGS, "--import", "tsx", "server/index.ts"] as const;
