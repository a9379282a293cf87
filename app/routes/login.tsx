import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorAlert } from "~/components/error-alert";
import { EmailField, FormField } from "~/components/form-field";
import { PasskeySignIn } from "~/components/passkey-sign-in";
import { SubmitButton } from "~/components/submit-button";
import { readForm } from "~/forms.server";
import { safeRedirect } from "~/redirect.server";
import { requestSession } from "~/session/customer.server";
import { signIn, type SignInFormState } from "~/sign-in.server";
import { pageMeta } from "~/meta/page-meta";

const NOTICES = {
  expired: "Your session has ended. Please sign in again.",
  "signed-out": "You have signed out.",
  ended: "You were signed out of this browser. Please sign in again.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  if (await requestSession(request, context).get()) throw redirect(redirectTo);
  const reason = url.searchParams.get("reason");
  return {
    redirectTo: url.searchParams.has("redirectTo") ? redirectTo : "",
    notice: reason === "expired" || reason === "signed-out" || reason === "ended" ? NOTICES[reason] : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return signIn(request, context, "password", await readForm(request));
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Sign in · Northwind Bank",
    description: "Sign in to Northwind Bank with your e-mail and password, or with a one-time code.",
  });

export default function Login() {
  const { redirectTo, notice } = useLoaderData<{ redirectTo: string; notice: string | null }>();
  const result = useActionData<SignInFormState>();
  const errors = result?.fieldErrors ?? {};
  const codeLink = redirectTo ? `/login/code?redirectTo=${encodeURIComponent(redirectTo)}` : "/login/code";
  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      {notice && !result ? (
        <p className="alert" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorAlert message={result?.message} />
      <Form method="post" noValidate={false}>
        <input type="hidden" name="redirectTo" value={result?.values.redirectTo ?? redirectTo} />
        <EmailField defaultValue={result?.values.email} error={errors.email} passkeys />
        <FormField
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <SubmitButton pending="Signing in…">Sign in</SubmitButton>
      </Form>
      <PasskeySignIn redirectTo={result?.values.redirectTo ?? redirectTo} />
      <p className="muted-link">
        No password to hand? <Link to={codeLink}>Sign in with a code sent to your email</Link>
      </p>
    </section>
  );
}
