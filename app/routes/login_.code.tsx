import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorAlert } from "~/components/error-alert";
import { EmailField, OneTimeCodeField } from "~/components/form-field";
import { SubmitButton } from "~/components/submit-button";
import { readForm } from "~/forms.server";
import { safeRedirect } from "~/redirect.server";
import { requestSession } from "~/session/customer.server";
import { requestCode, signIn, type SignInFormState } from "~/sign-in.server";
import { pageMeta } from "~/meta/page-meta";

type CodeActionData = SignInFormState | { status: "code-sent"; values: { email: string; redirectTo?: string } };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  if (await requestSession(request, context).get()) throw redirect(redirectTo);
  return { redirectTo: url.searchParams.has("redirectTo") ? redirectTo : "" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const body = await readForm(request);
  const intent = body.form.get("intent");
  if (intent === "send") return requestCode(request, context, body);
  if (intent === "verify") return signIn(request, context, "email-code", body);
  return Response.json({ status: "invalid", message: "Unknown request.", values: {} } satisfies SignInFormState, {
    status: 400,
  });
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Sign in with a code · Northwind Bank",
    description: "Sign in to Northwind Bank with a one-time code sent to your e-mail.",
  });

export default function LoginWithCode() {
  const { redirectTo } = useLoaderData<{ redirectTo: string }>();
  const result = useActionData<CodeActionData>();
  const errors = (result && "fieldErrors" in result && result.fieldErrors) || {};
  const email = result?.values.email ?? "";
  const back = result?.values.redirectTo ?? redirectTo;
  // The code step shows once a code was sent, and again after a wrong code.
  const codeStep = result?.status === "code-sent" || (result !== undefined && "code" in errors) || result?.status === "refused";

  return (
    <section className="card narrow" aria-labelledby="code-title">
      <h1 id="code-title">Sign in with a code</h1>
      <ErrorAlert message={result && "message" in result ? result.message : undefined} />
      {codeStep ? (
        <>
          {result?.status === "code-sent" ? (
            <p className="alert alert--success" role="status">
              If {email} has an account, we have sent it a 6-digit code. It is valid for 10 minutes.
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="email" value={email} />
            <input type="hidden" name="redirectTo" value={back} />
            <OneTimeCodeField label="Code" error={errors.code} />
            <SubmitButton name="intent" value="verify" pending="Signing in…">
              Sign in
            </SubmitButton>
          </Form>
          <Form method="post" className="inline-form">
            <input type="hidden" name="email" value={email} />
            <input type="hidden" name="redirectTo" value={back} />
            <SubmitButton name="intent" value="send" pending="Sending…" className="button button--link">
              Send a new code
            </SubmitButton>
          </Form>
        </>
      ) : (
        <Form method="post">
          <input type="hidden" name="redirectTo" value={back} />
          <EmailField defaultValue={email} error={errors.email} />
          <SubmitButton name="intent" value="send" pending="Sending…">
            Send code
          </SubmitButton>
        </Form>
      )}
      <p className="muted-link">
        <Link to={back ? `/login?redirectTo=${encodeURIComponent(back)}` : "/login"}>Sign in with your password instead</Link>
      </p>
    </section>
  );
}
