import { createHash, randomBytes, randomUUID } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { z } from "zod";
import { authenticate, startGrant } from "./grants";
import { invalidToken, json, readJson } from "./responses";
import { pathParam, route, type Route } from "./routes";
import { answerableChallenge, type ScaAnswerMethod } from "./sca";
import type { PasskeyRecord, ScaChallenge, StandinState, WebAuthnChallenge } from "./state";

/**
 * Auth's passkeys (WebAuthn), in the passwordless team's camelCase with `{"message"}`
 * errors: registration and the list for a signed-in customer (Bearer), usernameless
 * sign-in that answers exactly like `/passwordless/verify`, and the assertion check
 * a payment challenge uses. Every challenge is one use and short-lived: it is taken
 * out of the state before the response is checked, so a failed attempt spends it too.
 */

const RP_NAME = "Northwind Bank";
/** How long the browser may take (the options' `timeout`), and how long Auth keeps the challenge. */
const CEREMONY_TIMEOUT_MS = 120_000;
const CHALLENGE_TTL_MS = 5 * 60_000;
/** Bounds the challenges kept for sign-in, which anyone may ask for. */
const MAX_LIVE_CHALLENGES = 10_000;
/** Same answer for every failed sign-in: it must not tell which check failed. */
const SIGN_IN_REJECTED = "The passkey could not be verified.";
/** ES256 and RS256: what platform authenticators and security keys make. */
const ALGORITHMS = [-7, -257];

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
const PASSKEY_PATH = "/v1/passkeys/:credentialId";
const SCA_OPTIONS_PATH = "/v1/sca/challenges/:challengeId/passkey/options";

// The WebAuthn JSON is checked in depth by @simplewebauthn/server; these check its envelope
// (sizes, the fields it reads first) and hand it on typed as the library's JSON.
const credentialJson = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  clientExtensionResults: z.looseObject({}),
});
const registrationEnvelope = credentialJson.extend({
  response: z.looseObject({ clientDataJSON: z.string().max(8192), attestationObject: z.string().max(65_536) }),
});
const assertionEnvelope = credentialJson.extend({
  response: z.looseObject({
    clientDataJSON: z.string().max(8192),
    authenticatorData: z.string().max(8192),
    signature: z.string().max(2048),
    userHandle: z.string().max(256).optional(),
  }),
});
const registrationResponse = z.custom<RegistrationResponseJSON>((value) => registrationEnvelope.safeParse(value).success, "not a registration response");
const assertionResponse = z.custom<AuthenticationResponseJSON>((value) => assertionEnvelope.safeParse(value).success, "not an assertion response");
const registrationBody = z.object({ response: registrationResponse });
const signInBody = z.object({ ceremonyId: z.string().min(1).max(100), response: assertionResponse });

function message(status: number, text: string): Response {
  return json(status, { message: text }, NO_STORE);
}

async function parseBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  const body = await readJson(request);
  if (!body) return { ok: false, response: message(400, "The body must be JSON") };
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
    return { ok: false, response: message(400, `Invalid request: ${detail}`) };
  }
  return { ok: true, data: parsed.data };
}

function pruneChallenges(state: StandinState): void {
  const now = state.now();
  for (const [key, challenge] of state.webauthnChallenges) if (challenge.expiresAtMs <= now) state.webauthnChallenges.delete(key);
}

function keepChallenge(state: StandinState, key: string, challenge: Omit<WebAuthnChallenge, "expiresAtMs">): void {
  if (state.webauthnChallenges.size >= MAX_LIVE_CHALLENGES) pruneChallenges(state);
  if (state.webauthnChallenges.size >= MAX_LIVE_CHALLENGES) {
    const oldest = state.webauthnChallenges.keys().next();
    if (!oldest.done) state.webauthnChallenges.delete(oldest.value);
  }
  state.webauthnChallenges.set(key, { expiresAtMs: state.now() + CHALLENGE_TTL_MS, ...challenge });
}

/** The live challenge under `key` for `purpose`, taken out (one use); undefined when unknown, spent or expired. */
function takeChallenge(state: StandinState, key: string, purpose: WebAuthnChallenge["purpose"]): WebAuthnChallenge | undefined {
  const challenge = state.webauthnChallenges.get(key);
  if (!challenge || challenge.purpose !== purpose) return undefined;
  state.webauthnChallenges.delete(key);
  return challenge.expiresAtMs > state.now() ? challenge : undefined;
}

function passkeyView(passkey: PasskeyRecord) {
  return {
    credentialId: passkey.credentialId,
    createdAt: new Date(passkey.createdAtMs).toISOString(),
    lastUsedAt: passkey.lastUsedAtMs === null ? null : new Date(passkey.lastUsedAtMs).toISOString(),
    transports: passkey.transports,
  };
}

function passkeysOf(state: StandinState, userId: string): PasskeyRecord[] {
  return [...state.passkeys.values()].filter((passkey) => passkey.userId === userId);
}

/** Options for an assertion: user verification required, challenge kept under `key`. */
async function assertionOptions(
  state: StandinState,
  key: string,
  challenge: Omit<WebAuthnChallenge, "expiresAtMs" | "challenge">,
  allow: PasskeyRecord[] | undefined,
  bytes?: Uint8Array<ArrayBuffer>,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({
    rpID: state.webauthn.rpId,
    userVerification: "required",
    timeout: CEREMONY_TIMEOUT_MS,
    ...(bytes ? { challenge: bytes } : {}),
    ...(allow ? { allowCredentials: allow.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })) } : {}),
  });
  keepChallenge(state, key, { challenge: options.challenge, ...challenge });
  return options;
}

/**
 * Checks an assertion against a challenge already taken out of the state: a
 * registered credential (of `userId` when given), the right origin, RP ID and
 * challenge, user verification, a good signature. Updates the counter and last use.
 */
async function verifyAssertion(
  state: StandinState,
  challenge: WebAuthnChallenge,
  response: AuthenticationResponseJSON,
): Promise<PasskeyRecord | undefined> {
  const passkey = state.passkeys.get(response.id);
  if (!passkey) return undefined;
  if (challenge.userId !== undefined && passkey.userId !== challenge.userId) return undefined;
  // A discoverable credential names its user; it must be the one the credential was registered to.
  const userHandle = response.response.userHandle;
  if (userHandle && Buffer.from(userHandle, "base64url").toString("utf8") !== passkey.userId) return undefined;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: [...state.webauthn.origins],
      expectedRPID: state.webauthn.rpId,
      credential: { id: passkey.credentialId, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports },
      requireUserVerification: true,
    });
    if (!result.verified || !result.authenticationInfo.userVerified) return undefined;
    passkey.counter = result.authenticationInfo.newCounter;
    passkey.lastUsedAtMs = state.now();
    return passkey;
  } catch {
    return undefined;
  }
}

/**
 * A payment challenge answered with a passkey: an assertion by one of the
 * customer's passkeys, user verification required, over a WebAuthn challenge
 * Auth made for that payment challenge. The WebAuthn challenge is a digest of the
 * payment (amount, currency, payee IBAN) and a nonce, so what the authenticator
 * signs is bound to that payment too (dynamic linking), not only to a session.
 */
async function paymentAssertionOptions(state: StandinState, payment: ScaChallenge): Promise<PublicKeyCredentialRequestOptionsJSON | undefined> {
  const allow = passkeysOf(state, payment.userId);
  if (allow.length === 0) return undefined;
  const digest = createHash("sha256")
    .update(JSON.stringify([randomBytes(32).toString("base64url"), payment.id, payment.amountCents, payment.currency, payment.creditorIban]))
    .digest();
  return assertionOptions(
    state,
    `payment:${payment.id}`,
    { purpose: "payment", userId: payment.userId, scaChallengeId: payment.id },
    allow,
    new Uint8Array(digest),
  );
}

/** The passkey as a way to answer `POST /v1/sca/challenges/{id}/verify`: `{"assertion": <AuthenticationResponseJSON>}`. */
export function passkeyScaAnswer(state: StandinState): ScaAnswerMethod {
  return {
    accepts: (body) => "assertion" in body,
    async check(payment, body) {
      const parsed = assertionResponse.safeParse(body.assertion);
      if (!parsed.success) return message(400, "assertion must be a WebAuthn assertion response");
      // Spent whatever the outcome: a second look needs new options.
      const challenge = takeChallenge(state, `payment:${payment.id}`, "payment");
      if (!challenge || challenge.userId !== payment.userId || challenge.scaChallengeId !== payment.id) return "wrong";
      return (await verifyAssertion(state, challenge, parsed.data)) ? "ok" : "wrong";
    },
  };
}

export function passkeyRoutes(state: StandinState): Route[] {
  return [
    route("POST", "/v1/passkeys/registration/options", async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      const userId = customer.user.user_id;
      const options = await generateRegistrationOptions({
        rpName: RP_NAME,
        rpID: state.webauthn.rpId,
        userName: customer.email,
        userID: new TextEncoder().encode(userId),
        userDisplayName: `${customer.user.first_name} ${customer.user.last_name}`,
        timeout: CEREMONY_TIMEOUT_MS,
        attestationType: "none",
        excludeCredentials: passkeysOf(state, userId).map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
        // Discoverable, so sign-in needs no e-mail; verified, so a passkey is a whole sign-in.
        authenticatorSelection: { residentKey: "required", userVerification: "required" },
        supportedAlgorithmIDs: ALGORITHMS,
      });
      // One registration at a time per customer: new options supersede the previous ones.
      keepChallenge(state, `registration:${userId}`, { challenge: options.challenge, purpose: "registration", userId });
      return json(200, options, NO_STORE);
    }),

    route("POST", "/v1/passkeys/registration/verify", async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      const body = await parseBody(request, registrationBody);
      if (!body.ok) return body.response;
      const userId = customer.user.user_id;
      const challenge = takeChallenge(state, `registration:${userId}`, "registration");
      if (!challenge) return message(400, "There is no registration in progress, or it has expired. Start again.");
      let verified;
      try {
        verified = await verifyRegistrationResponse({
          response: body.data.response,
          expectedChallenge: challenge.challenge,
          expectedOrigin: [...state.webauthn.origins],
          expectedRPID: state.webauthn.rpId,
          requireUserVerification: true,
          supportedAlgorithmIDs: ALGORITHMS,
        });
      } catch (error) {
        return message(400, `The passkey could not be registered: ${error instanceof Error ? error.message : "invalid response"}`);
      }
      if (!verified.verified) return message(400, "The passkey could not be registered.");
      const { credential } = verified.registrationInfo;
      if (state.passkeys.has(credential.id)) return message(409, "That passkey is already registered.");
      const passkey: PasskeyRecord = {
        credentialId: credential.id,
        userId,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports ?? [],
        createdAtMs: state.now(),
        lastUsedAtMs: null,
      };
      state.passkeys.set(passkey.credentialId, passkey);
      return json(201, passkeyView(passkey), NO_STORE);
    }),

    route("GET", "/v1/passkeys", async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      const passkeys = passkeysOf(state, customer.user.user_id).sort((a, b) => b.createdAtMs - a.createdAtMs);
      return json(200, { passkeys: passkeys.map(passkeyView) }, NO_STORE);
    }),

    route("DELETE", PASSKEY_PATH, async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      const passkey = state.passkeys.get(pathParam(PASSKEY_PATH, request, "credentialId") ?? "");
      // Another customer's passkey is as unknown as a missing one.
      if (!passkey || passkey.userId !== customer.user.user_id) return message(404, "There is no such passkey.");
      state.passkeys.delete(passkey.credentialId);
      return new Response(null, { status: 204 });
    }),

    // A payment challenge's passkey options (its verify endpoint takes the assertion, sca.ts).
    route("POST", SCA_OPTIONS_PATH, async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      const payment = answerableChallenge(state, pathParam(SCA_OPTIONS_PATH, request, "challengeId"), customer);
      if (payment instanceof Response) return payment;
      const options = await paymentAssertionOptions(state, payment);
      if (!options) return message(409, "There is no passkey to confirm with.");
      return json(200, { options }, NO_STORE);
    }),

    route("POST", "/passkeys/authentication/options", async () => {
      const ceremonyId = `wac_${randomUUID()}`;
      // Usernameless: no allowCredentials, the authenticator offers its discoverable passkeys.
      const options = await assertionOptions(state, ceremonyId, { purpose: "authentication" }, undefined);
      return json(200, { options, ceremonyId }, NO_STORE);
    }),

    route("POST", "/passkeys/authentication/verify", async (request) => {
      const body = await parseBody(request, signInBody);
      if (!body.ok) return body.response;
      const challenge = takeChallenge(state, body.data.ceremonyId, "authentication");
      if (!challenge) return message(401, SIGN_IN_REJECTED);
      const passkey = await verifyAssertion(state, challenge, body.data.response);
      if (!passkey || !state.customers.has(passkey.userId)) return message(401, SIGN_IN_REJECTED);
      const tokens = await startGrant(state, passkey.userId);
      return json(
        200,
        { token: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn },
        NO_STORE,
      );
    }),
  ];
}
