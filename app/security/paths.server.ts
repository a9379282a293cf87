/**
 * Encoded dots, slashes, backslashes (and double encoding) in a path: no route of
 * ours needs them, and they are how traversal and route-confusion tricks travel.
 * Judge the raw path, before any URL parser resolves `%2e%2e` into `..`.
 */
export function hasPathTricks(rawPath: string): boolean {
  return /%(2e|2f|5c|25)/i.test(rawPath) || rawPath.includes("\\") || /(^|\/)\.\.?(\/|$)/.test(rawPath) || rawPath.includes("//");
}

/**
 * A path whose percent-encoding does not decode: a broken escape (`%A`) or bytes
 * that are not UTF-8 (`%E0%A4`). No route can match it; decoding it throws.
 */
export function isUndecodable(rawPath: string): boolean {
  if (!rawPath.includes("%")) return false;
  try {
    decodeURIComponent(rawPath);
    return false;
  } catch {
    return true;
  }
}
