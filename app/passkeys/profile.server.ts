import type { PasskeyActionResult, PasskeyView, Section } from "../../types/views";
import { getServices, isUpstreamError } from "../services.server";
import type { RequestSession } from "../session/customer.server";
import { displayLocale } from "../views/format.server";
import { section, SECTION_BUDGET_MS } from "../views/section.server";
import { passkeyView } from "./view.server";

/** The profile's list of passkeys; Auth away degrades this section only. */
export async function passkeySection(customer: RequestSession, requestId: string): Promise<Section<PasskeyView[]>> {
  return section(
    "passkeys",
    async () => {
      const passkeys = await customer.withToken((token, call) => getServices().passkeys.list(token, call), { timeoutMs: SECTION_BUDGET_MS });
      const locale = displayLocale((await customer.profile())?.locale);
      return passkeys.map((passkey) => passkeyView(passkey, locale));
    },
    "Your passkeys are unavailable right now.",
    requestId,
  );
}

/** The profile's "Remove" on a passkey (a plain form post: works without JavaScript). */
export async function removePasskey(customer: RequestSession, form: FormData): Promise<Response> {
  const id = form.get("credentialId");
  if (typeof id !== "string" || id === "" || id.length > 1024) {
    return Response.json({ passkeyError: "Choose a passkey to remove." } satisfies PasskeyActionResult, { status: 400 });
  }
  try {
    await customer.withToken((token, call) => getServices().passkeys.remove(token, id, call));
  } catch (error) {
    if (isUpstreamError(error, "rejected") && error.status === 404) {
      return Response.json({ passkeyError: "That passkey was already removed." } satisfies PasskeyActionResult, { status: 404 });
    }
    if (error instanceof Response) throw error;
    return Response.json(
      { passkeyError: "We couldn't remove that passkey right now. Please try again in a minute." } satisfies PasskeyActionResult,
      { status: 503 },
    );
  }
  return Response.json({ passkeyRemoved: true } satisfies PasskeyActionResult);
}
