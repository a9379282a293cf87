import { z } from "zod";
import type { ScaAnswer, ScaChallenge, ScaVerification, TokenSet } from "../types/domain";
import { minorToDecimal, type Money } from "../types/money";
import { bearer } from "./bearer.server";
import { isUpstreamError } from "./errors.server";
import type { CallContext, ServiceHttp } from "./http.server";

// OAuth2 token endpoint: snake_case, expires_in in seconds.
const oauthTokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive(),
});

// The passwordless team's endpoints (codes, passkeys): camelCase and other names for the same things.
export const passwordlessTokenSchema = z.object({
  token: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
});

const anyBody = z.unknown();

// RFC 7517: the public keys that verify Auth's tokens. Key fields beyond the set's
// shape are jose's to check when it imports a key.
const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional(), use: z.string().optional() })),
});

export type AuthJwks = z.infer<typeof jwksSchema>;

/** The passwordless team's camelCase token answer as the harmonised `TokenSet`. */
export function passwordlessTokens(data: z.infer<typeof passwordlessTokenSchema>, now: () => number): TokenSet {
  return { accessToken: data.token, refreshToken: data.refreshToken, accessTokenExpiresAt: now() + data.expiresIn * 1000 };
}
// Payment challenges (strong customer authentication): camelCase, like passwordless.
const scaChallengeSchema = z.object({
  challengeId: z.string().min(1),
  methods: z.array(z.string()),
  expiresIn: z.number().int().positive(),
});
const scaVerifiedSchema = z.object({
  scaToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
});

export interface AuthClientOptions {
  clientId: string;
  clientSecret: string;
  /** Injectable clock for expiry arithmetic in tests. */
  now?: () => number;
}

/**
 * Auth, with the BFF as a confidential client: the client credentials are attached
 * here and nowhere else. Both login flows end in the same harmonised `TokenSet`.
 */
export function createAuthClient(http: ServiceHttp, options: AuthClientOptions) {
  const now = options.now ?? Date.now;
  const basic = `Basic ${Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString("base64")}`;

  async function tokenGrant(form: Record<string, string>, context?: CallContext): Promise<TokenSet> {
    const { data } = await http.request({
      method: "POST",
      path: "/oauth/token",
      headers: { authorization: basic },
      body: new URLSearchParams(form),
      schema: oauthTokenSchema,
      context,
    });
    return {
      accessToken: data.access_token,
      refreshToken: data.refresh_token,
      accessTokenExpiresAt: now() + data.expires_in * 1000,
    };
  }

  return {
    /** Rejected credentials surface as `UpstreamError` kind "rejected", code "invalid_grant". */
    passwordLogin(username: string, password: string, context?: CallContext) {
      return tokenGrant({ grant_type: "password", username, password }, context);
    },

    /** Rotation: the returned refresh token replaces the one passed in. */
    refresh(refreshToken: string, context?: CallContext) {
      return tokenGrant({ grant_type: "refresh_token", refresh_token: refreshToken }, context);
    },

    async revoke(token: string, context?: CallContext & { timeoutMs?: number }): Promise<void> {
      await http.request({
        method: "POST",
        path: "/oauth/revoke",
        headers: { authorization: basic },
        body: new URLSearchParams({ token }),
        schema: anyBody,
        context,
        timeoutMs: context?.timeoutMs,
      });
    },

    /** Auth's published signing keys (`/.well-known/jwks.json`). */
    async jwks(context?: CallContext): Promise<AuthJwks> {
      const { data } = await http.request({ method: "GET", path: "/.well-known/jwks.json", schema: jwksSchema, context });
      return data;
    },

    /**
     * Changes the customer's password (204): Auth then ends every other login of the
     * customer and announces each by back-channel logout. A wrong current password
     * is `UpstreamError` "rejected" with code "invalid_password"; a short new one, "weak_password".
     */
    async changePassword(accessToken: string, currentPassword: string, newPassword: string, context?: CallContext): Promise<void> {
      await http.request({
        method: "POST",
        path: "/v1/password",
        headers: bearer(accessToken),
        body: { currentPassword, newPassword },
        schema: anyBody,
        context,
      });
    },

    /** Always resolves for a well-formed e-mail (202): no account enumeration upstream either. */
    async startPasswordless(email: string, context?: CallContext): Promise<void> {
      await http.request({ method: "POST", path: "/passwordless/start", body: { email }, schema: anyBody, context });
    },

    /**
     * A challenge for this payment: Auth sends the customer a code in a message
     * naming the amount and the payee (dynamic linking).
     */
    async createScaChallenge(
      accessToken: string,
      payment: { amount: Money; creditorIban: string; creditorName: string },
      context?: CallContext,
    ): Promise<ScaChallenge> {
      const { data } = await http.request({
        method: "POST",
        path: "/v1/sca/challenges",
        headers: bearer(accessToken),
        body: {
          amount: minorToDecimal(payment.amount.minor, payment.amount.currency),
          currency: payment.amount.currency,
          creditorIban: payment.creditorIban,
          creditorName: payment.creditorName,
        },
        schema: scaChallengeSchema,
        context,
      });
      return { id: data.challengeId, methods: data.methods, expiresAt: now() + data.expiresIn * 1000 };
    },

    /**
     * Answers a challenge. A wrong answer (401 {"message"}) and a dead challenge
     * (410, or 404) are outcomes, not errors: in particular a wrong code must not
     * look like a refused access token, which the session would "fix" with a
     * refresh and a retry, spending a second try. A refused access token (401
     * invalid_token) still throws as "unauthorized".
     */
    async verifyScaChallenge(accessToken: string, challengeId: string, answer: ScaAnswer, context?: CallContext): Promise<ScaVerification> {
      try {
        const { data } = await http.request({
          method: "POST",
          path: `/v1/sca/challenges/${encodeURIComponent(challengeId)}/verify`,
          headers: bearer(accessToken),
          body: answer,
          schema: scaVerifiedSchema,
          context,
        });
        return { outcome: "confirmed", scaToken: data.scaToken };
      } catch (error) {
        if (isUpstreamError(error, "unauthorized") && error.code !== "invalid_token") return { outcome: "wrong" };
        if (isUpstreamError(error, "rejected") && (error.status === 410 || error.status === 404)) return { outcome: "gone" };
        throw error;
      }
    },

    /** A wrong, expired or exhausted code surfaces as `UpstreamError` kind "unauthorized" (401). */
    async verifyPasswordless(email: string, code: string, context?: CallContext): Promise<TokenSet> {
      const { data } = await http.request({
        method: "POST",
        path: "/passwordless/verify",
        body: { email, code },
        schema: passwordlessTokenSchema,
        context,
      });
      return passwordlessTokens(data, now);
    },
  };
}

export type AuthClient = ReturnType<typeof createAuthClient>;
