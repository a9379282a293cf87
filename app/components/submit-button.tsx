import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * A submit button that says what is happening while its form is on its way
 * (JavaScript on), and blocks a second click meanwhile. Without JavaScript it is
 * a plain submit button.
 */
export function SubmitButton({
  children,
  pending,
  name,
  value,
  className = "button button--primary",
}: {
  children: ReactNode;
  pending: ReactNode;
  name?: string;
  value?: string;
  className?: string;
}) {
  const navigation = useNavigation();
  const submitting =
    navigation.state === "submitting" && (name === undefined || navigation.formData?.get(name) === value);
  return (
    <button type="submit" className={className} name={name} value={value} disabled={submitting} aria-disabled={submitting}>
      {submitting ? pending : children}
    </button>
  );
}
