import { action as loginAction } from "../../app/routes/login";
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
