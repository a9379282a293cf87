import { useNavigate } from "@remix-run/react";
import { useEffect, useState } from "react";
import { confirmPaymentWithPasskey, passkeysAvailable, PasskeyProblem } from "~/passkeys/client";

/**
 * "Confirm with passkey" on the payment confirmation page: only once JavaScript
 * runs in a browser with WebAuthn, and only for a customer with a passkey. The
 * code form next to it stays the way that always works.
 */
export function ConfirmWithPasskey({ paymentKey }: { paymentKey: string }) {
  const [available, setAvailable] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();
  useEffect(() => setAvailable(passkeysAvailable()), []);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const to = await confirmPaymentWithPasskey(paymentKey);
      if (to) return navigate(to);
    } catch (problem) {
      setError(problem instanceof PasskeyProblem ? problem.message : "We couldn't confirm your payment. Nothing was sent.");
    }
    setBusy(false);
  }

  if (!available) return null;
  return (
    <div className="passkey-confirm">
      <div aria-live="polite">
        {error ? (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <p className="muted">Or confirm with the passkey on this device:</p>
      <button type="button" className="button" onClick={confirm} disabled={busy} aria-disabled={busy}>
        {busy ? "Waiting for your passkey…" : "Confirm with passkey"}
      </button>
    </div>
  );
}
