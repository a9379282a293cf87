import { useEffect, useRef, useState } from "react";
import { autofillAvailable, cancelPasskeyRequest, passkeysAvailable, PasskeyProblem, signInWithPasskey } from "~/passkeys/client";

/**
 * "Sign in with a passkey" on /login: rendered only once JavaScript runs in a
 * browser with WebAuthn. Where the browser supports it, passkeys are also offered
 * in the e-mail field's autofill (a conditional request that waits quietly); the
 * button ends that request before it starts its own.
 */
export function PasskeySignIn({ redirectTo }: { redirectTo: string }) {
  const [available, setAvailable] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);

  function go(to: string) {
    // A whole new document: every part of the page (the header too) learns of the new session.
    window.location.assign(to);
  }

  function fail(problem: unknown) {
    if (!mounted.current) return;
    setError(problem instanceof PasskeyProblem ? problem.message : "Your browser couldn't use a passkey just now. Please try again.");
  }

  useEffect(() => {
    mounted.current = true;
    if (!passkeysAvailable()) return;
    setAvailable(true);
    let active = true;
    let waiting = false;
    void autofillAvailable().then((yes) => {
      if (!yes || !active) return;
      waiting = true;
      signInWithPasskey(redirectTo, { autofill: true }).then((to) => to && go(to), fail);
    });
    return () => {
      active = false;
      mounted.current = false;
      if (waiting) void cancelPasskeyRequest();
    };
  }, [redirectTo]);

  async function signIn() {
    setBusy(true);
    setError(null);
    try {
      const to = await signInWithPasskey(redirectTo);
      if (to) return go(to);
    } catch (problem) {
      fail(problem);
    }
    if (mounted.current) setBusy(false);
  }

  if (!available) return null;
  return (
    <div className="passkey-sign-in">
      <div aria-live="polite">
        {error ? (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <button type="button" className="button" onClick={signIn} disabled={busy} aria-disabled={busy}>
        {busy ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </button>
    </div>
  );
}
