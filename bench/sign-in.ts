/**
 * Signs in over real HTTP, as a browser's form post does (same-origin `Origin`,
 * form encoding, no redirect following), and returns the cookie to replay.
 */
export const DEMO_LOGINS = [
  { email: "ada@example.com", password: "Analytical-Engine-1843" },
  { email: "grace@example.com", password: "Cobol-1959-Compiler" },
] as const;

export type DemoLogin = (typeof DEMO_LOGINS)[number];

export function loginForm(login: DemoLogin): string {
  return new URLSearchParams({ email: login.email, password: login.password, redirectTo: "/dashboard" }).toString();
}

/** The `name=value` part of the session cookie the sign-in set. */
export async function signIn(base: string, login: DemoLogin): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: loginForm(login),
    redirect: "manual",
    // A hung sign-in should fail the run, not stall it.
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0] ?? "")
    .find((pair) => /^[^=]+=.+/.test(pair));
  if (response.status !== 302 || !cookie) {
    throw new Error(`sign-in of ${login.email} at ${base} answered ${response.status} without a session cookie`);
  }
  return cookie;
}
