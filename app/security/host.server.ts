// Host names, IPv4 and bracketed IPv6 addresses, and a port: nothing that could
// add credentials, a path, a query or a fragment to a URL built from it.
const HOST_CHARACTERS = /^(?:[\w.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Whether a Host header is a plain `host[:port]`. Anything more is not a host,
 * and inside a URL it would change what the URL means: `a@evil.example` adds
 * credentials, `evil.example/x` a path.
 */
export function isPlainHost(host: string): boolean {
  if (!HOST_CHARACTERS.test(host)) return false;
  try {
    new URL(`http://${host}`);
    return true;
  } catch {
    return false;
  }
}
