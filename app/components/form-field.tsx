import type { InputHTMLAttributes } from "react";

interface FormFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  error?: string;
  hint?: string;
}

/** A labelled input whose error is announced and tied to it for assistive tech. */
export function FormField({ name, label, error, hint, id = name, ...input }: FormFieldProps) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span className="field__hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      {error ? (
        <span className="field__error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The sign-in e-mail field, the same on both sign-in pages (shared/contract.md names its label).
 * `passkeys`: the browser may offer passkeys in its autofill too (conditional mediation).
 */
export function EmailField({ defaultValue, error, passkeys = false }: { defaultValue?: string; error?: string; passkeys?: boolean }) {
  return (
    <FormField
      name="email"
      label="Email"
      type="email"
      autoComplete={passkeys ? "username webauthn" : "username"}
      required
      defaultValue={defaultValue}
      error={error}
    />
  );
}

/** A 6-digit one-time code: the numeric keypad, the browser's code autofill, and focus when the page opens. */
export function OneTimeCodeField({ label, error, hint }: { label: string; error?: string; hint?: string }) {
  return (
    <FormField
      name="code"
      label={label}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      autoFocus
      error={error}
      hint={hint}
    />
  );
}
