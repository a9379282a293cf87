import { z } from "zod";
import type { Passkey, TokenSet, WebAuthnOptions } from "../types/domain";
import { passwordlessTokenSchema, passwordlessTokens } from "./auth.server";
import { bearer } from "./bearer.server";
import type { CallContext, ServiceHttp } from "./http.server";

// WebAuthn JSON stays opaque: the envelope is checked, the rest is relayed for Auth to verify.
const optionsSchema = z.looseObject({ challenge: z.string().min(16).max(1024) });
const signInOptionsSchema = z.object({ options: optionsSchema, ceremonyId: z.string().min(1).max(200) });
const passkeySchema = z.object({
  credentialId: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  lastUsedAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
const listSchema = z.object({ passkeys: z.array(passkeySchema) });
const anyBody = z.unknown();

function passkeyOf(data: z.infer<typeof passkeySchema>): Passkey {
  return { id: data.credentialId, createdAt: data.createdAt, lastUsedAt: data.lastUsedAt ?? null };
}

/**
 * Auth's passkey endpoints (the passwordless team's camelCase). The app relays
 * WebAuthn between the browser and Auth: it never verifies a signature or keeps a
 * credential. A refused ceremony surfaces as `UpstreamError` "rejected" (400/409)
 * for registration and "unauthorized" (401) for sign-in.
 */
export function createPasskeysClient(http: ServiceHttp, options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  return {
    async registrationOptions(accessToken: string, context?: CallContext): Promise<WebAuthnOptions> {
      const { data } = await http.request({
        method: "POST",
        path: "/v1/passkeys/registration/options",
        headers: bearer(accessToken),
        body: {},
        schema: optionsSchema,
        context,
      });
      return data;
    },

    async register(accessToken: string, response: unknown, context?: CallContext): Promise<Passkey> {
      const { data } = await http.request({
        method: "POST",
        path: "/v1/passkeys/registration/verify",
        headers: bearer(accessToken),
        body: { response },
        schema: passkeySchema,
        context,
      });
      return passkeyOf(data);
    },

    async list(accessToken: string, context?: CallContext): Promise<Passkey[]> {
      const { data } = await http.request({ method: "GET", path: "/v1/passkeys", headers: bearer(accessToken), schema: listSchema, context });
      return data.passkeys.map(passkeyOf);
    },

    /** An unknown id (or another customer's) surfaces as `UpstreamError` "rejected" (404). */
    async remove(accessToken: string, id: string, context?: CallContext): Promise<void> {
      await http.request({
        method: "DELETE",
        path: `/v1/passkeys/${encodeURIComponent(id)}`,
        headers: bearer(accessToken),
        schema: anyBody,
        context,
      });
    },

    /**
     * Options to answer a payment challenge with one of the customer's passkeys (the
     * assertion then goes to the challenge's verify, `auth.verifyScaChallenge`). No
     * passkey (409), a dead challenge (410) or an unknown one (404) surface as
     * `UpstreamError` "rejected".
     */
    async paymentOptions(accessToken: string, challengeId: string, context?: CallContext): Promise<WebAuthnOptions> {
      const { data } = await http.request({
        method: "POST",
        path: `/v1/sca/challenges/${encodeURIComponent(challengeId)}/passkey/options`,
        headers: bearer(accessToken),
        body: {},
        schema: z.object({ options: optionsSchema }),
        context,
      });
      return data.options;
    },

    async signInOptions(context?: CallContext): Promise<{ options: WebAuthnOptions; ceremonyId: string }> {
      const { data } = await http.request({
        method: "POST",
        path: "/passkeys/authentication/options",
        body: {},
        schema: signInOptionsSchema,
        context,
      });
      return data;
    },

    async signIn(ceremonyId: string, response: unknown, context?: CallContext): Promise<TokenSet> {
      const { data } = await http.request({
        method: "POST",
        path: "/passkeys/authentication/verify",
        body: { ceremonyId, response },
        schema: passwordlessTokenSchema,
        context,
      });
      return passwordlessTokens(data, now);
    },
  };
}

export type PasskeysClient = ReturnType<typeof createPasskeysClient>;
