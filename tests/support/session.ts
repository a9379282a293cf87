import { action as loginAction } from "../../app/routes/login";
import { getSessionRuntime } from "../../app/session/runtime.server";
import type { CustomerSession } from "../../app/session/store.server";
import { buildRequest, call, cookieFrom, testContext } from "./remix";

export const DEMO = {
  ada: { email: "ada@example.com", password: "Analytical-Engine-1843", name: "Ada Lovelace" },
  grace: { email: "grace@example.com", password: "Cobol-1959-Compiler", name: "Grace Hopper" },
} as const;

/**
 * Signs a demo customer in through the real sign-in action (and so the real Auth
 * stand-in) and returns the `Cookie` header value to send with later requests.
 */
export async function signInAs(customer: keyof typeof DEMO, context = testContext()): Promise<string> {
  const { email, password } = DEMO[customer];
  const response = await call(loginAction, buildRequest("/login", { form: { email, password } }), { context });
  if (response.status !== 302) throw new Error(`sign-in as ${customer} failed with ${response.status}`);
  return cookieFrom(response);
}

/** The session a `Cookie` header carries, as the app reads it. */
export async function readSession(cookie: string): Promise<CustomerSession | null> {
  return getSessionRuntime().store.read(buildRequest("/", { cookie }), false);
}

/**
 * A cookie for the same session with some facts changed (timestamps, tokens), as
 * the app would have sealed it: for timeouts and refresh without waiting.
 */
export async function rewriteSession(cookie: string, change: (session: CustomerSession) => void): Promise<string> {
  const session = await readSession(cookie);
  if (!session) throw new Error("no session in that cookie");
  change(session);
  const runtime = getSessionRuntime();
  const setCookie = await runtime.store.commit(session, false, session.createdAt + runtime.absoluteTimeoutMs);
  return setCookie.split(";")[0] ?? "";
}
