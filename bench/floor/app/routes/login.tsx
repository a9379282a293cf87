import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { EmailField, FormField } from "../../../../app/components/form-field";
import { SubmitButton } from "../../../../app/components/submit-button";
import { sessions } from "../session.server";

/** No loader: the floor's sign-in page checks no session. */

// Any password: the benchmark signs in here only to get a cookie for the dashboard.
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const session = await sessions.getSession();
  session.set("email", String(form.get("email") ?? ""));
  return redirect("/dashboard", { headers: { "Set-Cookie": await sessions.commitSession(session) } });
}

export const meta: MetaFunction = () => [{ title: "Sign in · Northwind Bank" }];

// The app's sign-in markup (app/routes/login.tsx), signed out and without a notice.
export default function Login() {
  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      <Form method="post" noValidate={false}>
        <input type="hidden" name="redirectTo" value="" />
        <EmailField />
        <FormField name="password" label="Password" type="password" autoComplete="current-password" required />
        <SubmitButton pending="Signing in…">Sign in</SubmitButton>
      </Form>
      <p className="muted-link">
        No password to hand? <Link to="/login/code">Sign in with a code sent to your email</Link>
      </p>
    </section>
  );
}
