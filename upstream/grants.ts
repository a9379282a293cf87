import { randomBytes, randomUUID } from "node:crypto";
import type { Customer, Grant, StandinState } from "./state";

/**
 * The login lifecycle shared by password and passwordless sign-in: a grant per
 * login, rotating single-use refresh tokens, reuse detection, revocation, and the
 * bearer check the resource services run on every request.
 */

/** Refresh tokens outlive any BFF session (12 h absolute) but not forever. */
const REFRESH_TOKEN_TTL_MS = 30 * 86_400_000;

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds. */
  expiresIn: number;
}

export type RefreshResult = { ok: true; tokens: IssuedTokens } | { ok: false; description: string };

function newRefreshToken(state: StandinState, grantId: string): string {
  const token = `rt_${randomBytes(32).toString("base64url")}`;
  state.refreshTokens.set(token, { grantId, rotated: false, expiresAtMs: state.now() + REFRESH_TOKEN_TTL_MS });
  return token;
}

async function issue(state: StandinState, grantId: string, userId: string, refreshToken: string): Promise<IssuedTokens> {
  const accessToken = await state.keys.sign(
    { sub: userId, sid: grantId, jti: randomUUID() },
    state.now(),
    state.accessTokenTtlS,
  );
  return { accessToken, refreshToken, expiresIn: state.accessTokenTtlS };
}

/** A new login for the user: a new grant with its first refresh token and access token. */
export async function startGrant(state: StandinState, userId: string): Promise<IssuedTokens> {
  const grantId = `grt_${randomUUID()}`;
  const refreshToken = newRefreshToken(state, grantId);
  state.grants.set(grantId, { id: grantId, userId, revoked: false, currentRefreshToken: refreshToken });
  return issue(state, grantId, userId, refreshToken);
}

/**
 * Rotation: the presented refresh token is spent and a new one issued. A token
 * that was already spent is reuse (a stolen copy, or a client bug): the whole
 * login is revoked, access tokens included, as OAuth 2.0 Security BCP advises.
 * The token is marked spent before anything is awaited, so two concurrent
 * refreshes with one token count as reuse, exactly like a real service.
 */
export async function refreshGrant(state: StandinState, presented: string): Promise<RefreshResult> {
  const record = state.refreshTokens.get(presented);
  if (!record) return { ok: false, description: "Unknown refresh token" };
  const grant = state.grants.get(record.grantId);
  if (!grant || grant.revoked) return { ok: false, description: "The login was revoked" };
  if (record.rotated) {
    grant.revoked = true;
    return { ok: false, description: "Refresh token reuse detected; the login has been revoked" };
  }
  if (state.now() >= record.expiresAtMs) return { ok: false, description: "Refresh token expired" };
  record.rotated = true;
  const refreshToken = newRefreshToken(state, grant.id);
  grant.currentRefreshToken = refreshToken;
  return { ok: true, tokens: await issue(state, grant.id, grant.userId, refreshToken) };
}

/**
 * RFC 7009 revocation: a refresh token ends its whole login; an access token ends
 * just itself. Unknown or malformed tokens are silently accepted (the caller
 * answers 200 either way).
 */
export async function revokeToken(state: StandinState, token: string): Promise<void> {
  const record = state.refreshTokens.get(token);
  if (record) {
    const grant = state.grants.get(record.grantId);
    if (grant) grant.revoked = true;
    return;
  }
  const claims = await state.keys.verify(token, state.now());
  if (claims) state.revokedAccessTokens.add(claims.jti);
}

/**
 * The resource services' check: a well-signed, unexpired access token whose login
 * (and the token itself) is not revoked, for a user that exists. Anything else →
 * undefined, which the caller answers with 401 {"error":"invalid_token"}.
 */
export async function authenticate(state: StandinState, request: Request): Promise<Customer | undefined> {
  return (await authenticateLogin(state, request))?.customer;
}

/** `authenticate`, also giving the login (grant) the token belongs to. */
export async function authenticateLogin(
  state: StandinState,
  request: Request,
): Promise<{ customer: Customer; grant: Grant } | undefined> {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i.exec(header);
  const token = match?.[1];
  if (!token) return undefined;
  const claims = await state.keys.verify(token, state.now());
  if (!claims || state.revokedAccessTokens.has(claims.jti)) return undefined;
  const grant = state.grants.get(claims.sid);
  if (!grant || grant.revoked || grant.userId !== claims.sub) return undefined;
  const customer = state.customers.get(claims.sub);
  return customer ? { customer, grant } : undefined;
}
