import { useEffect, useState } from "react";
import { autofillAvailable, cancelPasskeyRequest, PasskeyProblem, signInWithPasskey } from "~/passkeys/client";
import { PasskeyButton } from "./passkey-button";
import { ErrorAlert } from "./error-alert";

/** A whole new document: every part of the page (the header too) learns of the new session. */
function go(to: string) {
  window.location.assign(to);
}

/**
 * "Sign in with a passkey" on /login. Where the browser supports it, passkeys are
 * also offered in the e-mail field's autofill (a conditional request that waits
 * quietly); the button ends that request before it starts its own.
 */
export function PasskeySignIn({ redirectTo }: { redirectTo: string }) {
  const [autofillError, setAutofillError] = useState<string | null>(null);

  useEffect(() => {
    let active = true;
    let waiting = false;
    void autofillAvailable().then((yes) => {
      if (!yes || !active) return;
      waiting = true;
      signInWithPasskey(redirectTo, { autofill: true }).then(
        (to) => to && go(to),
        (problem: unknown) => active && setAutofillError(problem instanceof PasskeyProblem ? problem.message : null),
      );
    });
    return () => {
      active = false;
      if (waiting) void cancelPasskeyRequest();
    };
  }, [redirectTo]);

  return (
    <>
      <ErrorAlert message={autofillError} />
      <PasskeyButton
        className="passkey-sign-in"
        label="Sign in with a passkey"
        pending="Waiting for your passkey…"
        onPress={async () => {
          setAutofillError(null);
          const to = await signInWithPasskey(redirectTo);
          if (to) go(to);
        }}
      />
    </>
  );
}
