import { DEMO } from "./session";

/**
 * The password sign-in form, posted as a browser without JavaScript would, to a
 * cluster's (or one instance's) address: the answer and the session cookie it set.
 */
export async function signInThrough(baseUrl: string, email: string = DEMO.ada.email, password: string = DEMO.ada.password) {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: baseUrl },
    body: new URLSearchParams({ email, password }),
  });
  return { response, cookie: response.headers.get("set-cookie")?.split(";")[0] ?? "" };
}
