import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";

/**
 * The browser's half of the passkey ceremonies: ask the app for options, let the
 * browser and authenticator do WebAuthn, hand the result back to the app (which
 * relays it to Auth). @simplewebauthn/browser is imported on first use, so pages
 * carry only this small module until a passkey is actually used.
 */

const library = () => import("@simplewebauthn/browser");

/** A failure worth telling the customer, in words they can act on. */
export class PasskeyProblem extends Error {}

/** WebAuthn exists here (a secure context with the API); otherwise no passkey button is shown. */
export function passkeysAvailable(): boolean {
  return typeof window !== "undefined" && window.isSecureContext && typeof window.PublicKeyCredential === "function";
}

/** Whether the browser can offer passkeys in the e-mail field's autofill (conditional mediation). */
export async function autofillAvailable(): Promise<boolean> {
  if (!passkeysAvailable()) return false;
  const check = window.PublicKeyCredential.isConditionalMediationAvailable;
  return typeof check === "function" ? check.call(window.PublicKeyCredential).catch(() => false) : false;
}

async function post<T>(path: string, body: unknown, fallback: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF": "1" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new PasskeyProblem("We couldn't reach Northwind Bank. Check your connection and try again.");
  }
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const detail = data && typeof data === "object" && "detail" in data && typeof data.detail === "string" ? data.detail : fallback;
    throw new PasskeyProblem(detail);
  }
  return data as T;
}

/** The browser's own errors in the customer's words; undefined for an abort we caused (say nothing). */
function ceremonyProblem(error: unknown): PasskeyProblem | undefined {
  if (error instanceof PasskeyProblem) return error;
  const name = error instanceof Error ? error.name : "";
  const code = error && typeof error === "object" && "code" in error ? String(error.code) : "";
  if (name === "AbortError" || code === "ERROR_CEREMONY_ABORTED") return undefined;
  if (name === "NotAllowedError") return new PasskeyProblem("The passkey request was cancelled or timed out.");
  if (name === "InvalidStateError" || code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return new PasskeyProblem("This device already has a passkey for your account.");
  }
  return new PasskeyProblem("Your browser couldn't use a passkey just now. Please try again.");
}

/** Runs `work`, turning browser errors into `PasskeyProblem`s; resolves undefined when aborted on purpose. */
async function ceremony<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    const problem = ceremonyProblem(error);
    if (problem) throw problem;
    return undefined;
  }
}

/** Creates a passkey for the signed-in customer and registers it at Auth through the app. */
export function addPasskey(): Promise<true | undefined> {
  return ceremony(async () => {
    const { startRegistration } = await library();
    const { options } = await post<{ options: PublicKeyCredentialCreationOptionsJSON }>(
      "/api/passkeys/registration/options",
      {},
      "We couldn't start adding a passkey. Please try again.",
    );
    const response = await startRegistration({ optionsJSON: options });
    await post("/api/passkeys/registration/verify", { response }, "That passkey couldn't be added. Please try again.");
    return true as const;
  });
}

/**
 * Signs in with a passkey; resolves where to go next (the app validated it), or
 * undefined when the request was aborted (a modal one replacing the autofill one).
 * `autofill`: wait quietly for the customer to pick a passkey in the e-mail field.
 */
export function signInWithPasskey(redirectTo: string, { autofill = false } = {}): Promise<string | undefined> {
  return ceremony(async () => {
    const { startAuthentication, WebAuthnAbortService } = await library();
    // One WebAuthn request at a time: a click ends the waiting autofill request first.
    if (!autofill) WebAuthnAbortService.cancelCeremony();
    const { options, ceremonyId } = await post<{ options: PublicKeyCredentialRequestOptionsJSON; ceremonyId: string }>(
      "/api/passkeys/authentication/options",
      {},
      "We can't sign you in right now. Please try again in a minute.",
    );
    const response = await startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill });
    const result = await post<{ redirectTo: string }>(
      "/api/passkeys/authentication/verify",
      { ceremonyId, response, redirectTo },
      "That passkey wasn't accepted. Try again, or sign in with your password.",
    );
    return result.redirectTo;
  });
}

/** Ends any WebAuthn request this page is waiting on (leaving the page, say). */
export async function cancelPasskeyRequest(): Promise<void> {
  const { WebAuthnAbortService } = await library();
  WebAuthnAbortService.cancelCeremony();
}

/**
 * Answers the pending payment's challenge with a passkey; resolves where to go
 * next (the "sent" page), or undefined when the request was aborted.
 */
export function confirmPaymentWithPasskey(paymentKey: string): Promise<string | undefined> {
  return ceremony(async () => {
    const { startAuthentication } = await library();
    const { options } = await post<{ options: PublicKeyCredentialRequestOptionsJSON }>(
      "/api/passkeys/payment/options",
      { payment: paymentKey },
      "We can't confirm with a passkey right now. Enter the code from the message we sent you.",
    );
    const response = await startAuthentication({ optionsJSON: options });
    const result = await post<{ redirectTo: string }>(
      "/api/passkeys/payment/verify",
      { payment: paymentKey, response },
      "We couldn't confirm your payment. Nothing was sent.",
    );
    return result.redirectTo;
  });
}
