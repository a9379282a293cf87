import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import type { PasskeyActionResult, PasskeyView, Section } from "../../types/views";
import { addPasskey } from "~/passkeys/client";
import { PasskeyButton } from "./passkey-button";
import { SectionUnavailable } from "./section-unavailable";

/**
 * The profile's passkeys: the list with "Remove" (a plain form, so it works without
 * JavaScript), and "Add a passkey", which only exists once JavaScript runs in a
 * browser with WebAuthn: creating a passkey needs the browser's API.
 */
export function PasskeyList({ passkeys, result }: { passkeys: Section<PasskeyView[]>; result: PasskeyActionResult | undefined }) {
  const [message, setMessage] = useState<Message>(() => messageFor(result));
  // A new answer from "Remove" replaces the message, taken while rendering (not in an
  // effect, which can be skipped under load: see useAppendedPages in routes/transactions).
  const [shown, setShown] = useState(result);
  if (result !== shown) {
    setShown(result);
    if (result) setMessage(messageFor(result));
  }
  const revalidator = useRevalidator();
  const navigation = useNavigation();

  return (
    <section aria-labelledby="passkeys-title" className="passkeys">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="muted">Sign in and confirm payments with your fingerprint, face or device PIN instead of a password.</p>
      <div aria-live="polite">
        {message ? (
          <p className={`alert ${message.kind === "error" ? "alert--error" : "alert--success"}`} role={message.kind === "error" ? "alert" : "status"}>
            {message.text}
          </p>
        ) : null}
      </div>
      {passkeys.status === "ok" ? (
        passkeys.data.length > 0 ? (
          <ul className="passkey-list">
            {passkeys.data.map((passkey) => (
              <li key={passkey.id}>
                <span>
                  Passkey added <time dateTime={passkey.createdAt}>{passkey.createdAtText}</time>
                  {passkey.lastUsedAt && passkey.lastUsedAtText ? (
                    <span className="muted">
                      {" "}
                      · last used <time dateTime={passkey.lastUsedAt}>{passkey.lastUsedAtText}</time>
                    </span>
                  ) : null}
                </span>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="credentialId" value={passkey.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="remove-passkey"
                    className="button button--link"
                    aria-label={`Remove the passkey added ${passkey.createdAtText}`}
                    disabled={navigation.formData?.get("credentialId") === passkey.id}
                  >
                    Remove
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">You have no passkeys yet.</p>
        )
      ) : (
        <SectionUnavailable message={passkeys.message} retry="/profile" />
      )}
      <PasskeyButton
        className="passkey-add"
        label="Add a passkey"
        pending="Adding a passkey…"
        onPress={async () => {
          setMessage(null);
          if (!(await addPasskey())) return;
          setMessage({ kind: "success", text: "Passkey added. Next time, sign in with it." });
          revalidator.revalidate();
        }}
      />
    </section>
  );
}

type Message = { kind: "error" | "success"; text: string } | null;

function messageFor(result: PasskeyActionResult | undefined): Message {
  if (!result) return null;
  return "passkeyError" in result ? { kind: "error", text: result.passkeyError } : { kind: "success", text: "Passkey removed." };
}
