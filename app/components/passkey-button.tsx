import { useEffect, useState, type ReactNode } from "react";
import { passkeysAvailable, PasskeyProblem } from "~/passkeys/client";
import { ErrorAlert } from "./error-alert";

/**
 * A passkey action's button: rendered only once JavaScript runs in a browser with
 * WebAuthn (so never without JavaScript), busy while the ceremony runs, and the
 * failure announced in words the customer can act on.
 */
export function PasskeyButton({
  label,
  pending,
  onPress,
  className,
  children,
}: {
  label: string;
  pending: string;
  /** Throws a `PasskeyProblem` to say what went wrong. */
  onPress: () => Promise<void>;
  className: string;
  /** Shown above the button, e.g. what the passkey is for. */
  children?: ReactNode;
}) {
  const [available, setAvailable] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setAvailable(passkeysAvailable()), []);

  async function press() {
    setBusy(true);
    setError(null);
    try {
      await onPress();
    } catch (problem) {
      setError(problem instanceof PasskeyProblem ? problem.message : "Your browser couldn't use a passkey just now. Please try again.");
    } finally {
      setBusy(false);
    }
  }

  if (!available) return null;
  return (
    <div className={className}>
      <div aria-live="polite">
        <ErrorAlert message={error} />
      </div>
      {children}
      <button type="button" className="button" onClick={press} disabled={busy} aria-disabled={busy}>
        {busy ? pending : label}
      </button>
    </div>
  );
}
