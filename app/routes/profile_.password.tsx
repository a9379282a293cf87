import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { ErrorAlert } from "~/components/error-alert";
import { FormField } from "~/components/form-field";
import { SubmitButton } from "~/components/submit-button";
import { pageMeta } from "~/meta/page-meta";
import { changePassword, type PasswordChangeState } from "~/password-change.server";
import { readForm } from "~/forms.server";
import { requireCustomer } from "~/session/customer.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireCustomer(request, context);
  return {};
}

export async function action({ request, context }: ActionFunctionArgs) {
  const customer = await requireCustomer(request, context);
  return changePassword(customer, context, await readForm(request));
}

export const meta: MetaFunction = ({ matches }) =>
  pageMeta(matches, {
    title: "Change password · Northwind Bank",
    description: "Change your Northwind Bank password; every other device you are signed in on is signed out.",
  });

export default function ChangePassword() {
  const result = useActionData<PasswordChangeState>();
  const errors = result?.fieldErrors ?? {};
  return (
    <section className="card narrow" aria-labelledby="password-title">
      <h1 id="password-title">Change password</h1>
      {result?.status === "changed" ? (
        <p className="alert alert--success" role="status">
          Your password has been changed. Every other sign-in has been signed out; this one stays signed in.
        </p>
      ) : null}
      <ErrorAlert message={result?.message} />
      <Form method="post" key={result?.status === "changed" ? "changed" : "form"}>
        <FormField
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.currentPassword}
        />
        <FormField
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          hint="At least 12 characters."
          error={errors.newPassword}
        />
        <SubmitButton pending="Changing password…">Change password</SubmitButton>
      </Form>
      <p className="muted-link">
        <Link to="/profile">Back to your profile</Link>
      </p>
    </section>
  );
}
