import { randomInt, randomUUID } from "node:crypto";
import { z } from "zod";
import { authenticate } from "./grants";
import { isValidIban, normalizeIban } from "./iban";
import { formatCents, parseAmount } from "./money";
import { invalidToken, json, readJson, safeEqual } from "./responses";
import { route, pathParam, type Route } from "./routes";
import { SCA_TOKEN_TTL_S, signScaToken } from "./sca-token";
import { deliver, type Customer, type ScaChallenge, type StandinState } from "./state";

/**
 * Auth's payment challenges (strong customer authentication with dynamic linking,
 * PSD2 RTS Art. 4 and 5), in the Auth team's newer camelCase style with
 * `{"message"}` errors:
 *
 * - `POST /v1/sca/challenges` (Bearer) `{"amount","currency","creditorIban","creditorName"}`
 *   → 201 `{"challengeId","methods":["otp","passkey"],"expiresIn":300}`, and a
 *   6-digit code to the customer's outbox in a message naming the amount with
 *   its currency and the last four characters of the payee's IBAN.
 * - `POST /v1/sca/challenges/{challengeId}/verify` (Bearer, the same customer)
 *   with an answer → 200 `{"scaToken","expiresIn":120}`; a wrong answer → 401
 *   `{"message"}`; after 5 wrong answers, once expired (5 minutes) or used → 410.
 *
 * Answers are pluggable (`ScaAnswerMethod`): the one-time code (`{"code"}`) is
 * built in; a passkey assertion is another method answering the same challenge.
 */

export const SCA_CHALLENGE_TTL_MS = 5 * 60_000;
export const SCA_MAX_TRIES = 5;
const VERIFY_PATH = "/v1/sca/challenges/:challengeId/verify";

const NO_STORE = { "cache-control": "no-store" };

/** One way to answer a challenge. */
export interface ScaAnswerMethod {
  /** Whether the verify body is an answer of this kind (e.g. has `code`). */
  accepts(body: Record<string, unknown>): boolean;
  /**
   * "ok" confirms the challenge (it is then used up); "wrong" counts as a failed
   * try; a Response (e.g. 400 for a malformed answer) is sent as it is, counting nothing.
   */
  check(
    challenge: ScaChallenge,
    body: Record<string, unknown>,
    context: { state: StandinState; customer: Customer; request: Request },
  ): Promise<"ok" | "wrong" | Response> | "ok" | "wrong" | Response;
}

/** The one-time code delivered with the challenge. */
export const otpAnswer: ScaAnswerMethod = {
  accepts: (body) => "code" in body,
  check(challenge, body) {
    const code = body.code;
    if (typeof code !== "string" || code.length > 64) return json(400, { message: "code must be a string" });
    return safeEqual(code.trim(), challenge.code) ? "ok" : "wrong";
  },
};

const challengeSchema = z.object({
  amount: z.string().refine((value) => (parseAmount(value) ?? 0) > 0, 'must be a positive decimal like "12.50"'),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR"),
  creditorIban: z
    .string()
    .transform(normalizeIban)
    .refine(isValidIban, "is not a valid IBAN"),
  creditorName: z.string().trim().min(1, "is required").max(70, "must be at most 70 characters"),
});

function message(status: number, text: string): Response {
  return json(status, { message: text }, NO_STORE);
}

/**
 * The customer's challenge named in the path, if it can still be answered; else
 * the answer to give: 404 for an unknown one or another customer's (not
 * revealing which), 410 once expired, used or out of tries.
 */
export function answerableChallenge(state: StandinState, id: string | undefined, customer: Customer): ScaChallenge | Response {
  const challenge = id === undefined ? undefined : state.scaChallenges.get(id);
  if (!challenge || challenge.userId !== customer.user.user_id) return message(404, "No such challenge.");
  if (challenge.used) return message(410, "This challenge was already answered. Start a new one.");
  if (challenge.failedAttempts >= SCA_MAX_TRIES) return message(410, "Too many wrong answers. Start a new challenge.");
  if (state.now() >= challenge.expiresAtMs) return message(410, "This challenge has expired. Start a new one.");
  return challenge;
}

function deliveryText(challenge: ScaChallenge): string {
  return (
    `Northwind Bank: ${challenge.code} is your code to confirm the payment of ` +
    `${formatCents(challenge.amountCents)} ${challenge.currency} to ${challenge.creditorName}, ` +
    `IBAN ending ${challenge.creditorIban.slice(-4)}. It is valid for 5 minutes. ` +
    "Never share it: we will never ask you for it."
  );
}

/** Auth's SCA routes; `extraMethods` are tried after the one-time code (e.g. passkeys). */
export function scaRoutes(state: StandinState, extraMethods: readonly ScaAnswerMethod[] = []): Route[] {
  const methods = [otpAnswer, ...extraMethods];
  return [
    route("POST", "/v1/sca/challenges", async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      const body = await readJson(request);
      if (!body) return message(400, "The body must be JSON");
      const parsed = challengeSchema.safeParse(body.value);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"} ${issue.message}`).join("; ");
        return message(400, `Invalid request: ${detail}`);
      }
      const challenge: ScaChallenge = {
        id: `chl_${randomUUID()}`,
        userId: customer.user.user_id,
        amountCents: parseAmount(parsed.data.amount) ?? 0,
        currency: parsed.data.currency,
        creditorIban: parsed.data.creditorIban,
        creditorName: parsed.data.creditorName,
        code: String(randomInt(0, 1_000_000)).padStart(6, "0"),
        expiresAtMs: state.now() + SCA_CHALLENGE_TTL_MS,
        failedAttempts: 0,
        used: false,
      };
      state.scaChallenges.set(challenge.id, challenge);
      deliver(state, customer.email, challenge.code, deliveryText(challenge));
      return json(
        201,
        { challengeId: challenge.id, methods: ["otp", "passkey"], expiresIn: SCA_CHALLENGE_TTL_MS / 1000 },
        NO_STORE,
      );
    }),

    route("POST", VERIFY_PATH, async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      const body = await readJson(request);
      if (!body || body.value === null || typeof body.value !== "object" || Array.isArray(body.value)) {
        return message(400, "The body must be a JSON object");
      }
      const answer = body.value as Record<string, unknown>;
      const method = methods.find((candidate) => candidate.accepts(answer));
      if (!method) return message(400, "Answer with a code or a passkey assertion");
      const id = pathParam(VERIFY_PATH, request, "challengeId");
      const before = answerableChallenge(state, id, customer);
      if (before instanceof Response) return before;
      const outcome = await method.check(before, answer, { state, customer, request });
      if (outcome instanceof Response) return outcome;
      // Checked again after the await: two concurrent answers must not both win.
      const challenge = answerableChallenge(state, id, customer);
      if (challenge instanceof Response) return challenge;
      if (outcome === "wrong") {
        challenge.failedAttempts += 1;
        return message(401, "The code is not right.");
      }
      challenge.used = true;
      const scaToken = await signScaToken(state, {
        userId: challenge.userId,
        amountCents: challenge.amountCents,
        currency: challenge.currency,
        creditorIban: challenge.creditorIban,
      });
      return json(200, { scaToken, expiresIn: SCA_TOKEN_TTL_S }, NO_STORE);
    }),
  ];
}
