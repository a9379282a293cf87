/**
 * Encoded dots, slashes, backslashes (and double encoding) in a path: no route of
 * ours needs them, and they are how traversal and route-confusion tricks travel.
 * Judge the raw path, before any URL parser resolves `%2e%2e` into `..`.
 */
export function hasPathTricks(rawPath: string): boolean {
  return /%(2e|2f|5c|25)/i.test(rawPath) || rawPath.includes("\\") || /(^|\/)\.\.?(\/|$)/.test(rawPath) || rawPath.includes("//");
}
