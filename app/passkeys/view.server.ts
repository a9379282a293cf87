import type { Passkey } from "../../types/domain";
import type { PasskeyView } from "../../types/views";
import { dateText } from "../views/format.server";

/** A passkey as the profile shows it, dates in the customer's locale. */
export function passkeyView(passkey: Passkey, locale: string): PasskeyView {
  return {
    id: passkey.id,
    createdAt: passkey.createdAt,
    createdAtText: dateText(passkey.createdAt, locale),
    lastUsedAt: passkey.lastUsedAt,
    lastUsedAtText: passkey.lastUsedAt === null ? null : dateText(passkey.lastUsedAt, locale),
  };
}
