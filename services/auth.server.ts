import { z } from "zod";
import type { TokenSet } from "../types/domain";
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

/** The passwordless team's camelCase token answer as the harmonised `TokenSet`. */
export function passwordlessTokens(data: z.infer<typeof passwordlessTokenSchema>, now: () => number): TokenSet {
  return { accessToken: data.token, refreshToken: data.refreshToken, accessTokenExpiresAt: now() + data.expiresIn * 1000 };
}

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

    /** Always resolves for a well-formed e-mail (202): no account enumeration upstream either. */
    async startPasswordless(email: string, context?: CallContext): Promise<void> {
      await http.request({ method: "POST", path: "/passwordless/start", body: { email }, schema: anyBody, context });
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
