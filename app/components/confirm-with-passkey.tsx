import { useNavigate } from "@remix-run/react";
import { confirmPaymentWithPasskey } from "~/passkeys/client";
import { PasskeyButton } from "./passkey-button";

/**
 * "Confirm with passkey" on the payment confirmation page (for a customer with a
 * passkey): the code form next to it stays the way that always works.
 */
export function ConfirmWithPasskey({ paymentKey }: { paymentKey: string }) {
  const navigate = useNavigate();
  return (
    <PasskeyButton
      className="passkey-confirm"
      label="Confirm with passkey"
      pending="Waiting for your passkey…"
      onPress={async () => {
        const to = await confirmPaymentWithPasskey(paymentKey);
        if (to) navigate(to);
      }}
    >
      <p className="muted">Or confirm with the passkey on this device:</p>
    </PasskeyButton>
  );
}
