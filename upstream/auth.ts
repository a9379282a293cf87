import { randomInt } from "node:crypto";
import type { RequestHandler } from "msw";
import { z } from "zod";
import { authSessionRoutes } from "./auth-sessions";
import { refreshGrant, revokeToken, startGrant } from "./grants";
import { passkeyRoutes, passkeyScaAnswer } from "./passkeys";
import { healthRoute, json, readJson, safeEqual } from "./responses";
import { scaRoutes } from "./sca";
import { deliver, normalizeEmail, type StandinState } from "./state";
import { route, toHandlers, type Route } from "./routes";

/**
 * Auth: an OAuth2-style token endpoint for a confidential client (snake_case,
 * RFC 6749 error bodies), revocation (RFC 7009), the JWKS, and the passwordless
 * team's newer camelCase endpoints with `{"message"}` errors.
 */

const CODE_TTL_MS = 10 * 60_000;
const CODE_MAX_TRIES = 5;
/** Same answer for every failed code check: it must not tell whether the e-mail has an account. */
const CODE_REJECTED = "The code is invalid or has expired.";

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function oauthError(status: number, error: string, description?: string): Response {
  const body = description === undefined ? { error } : { error, error_description: description };
  const headers: Record<string, string> = { ...NO_STORE };
  if (status === 401) headers["www-authenticate"] = 'Basic realm="auth", charset="UTF-8"';
  return json(status, body, headers);
}

/**
 * HTTP Basic client authentication. RFC 6749 §2.3.1 has clients form-encode the id
 * and secret before base64; plain values are accepted too, as many clients send them.
 */
function isAuthenticatedClient(state: StandinState, request: Request): boolean {
  const header = request.headers.get("authorization");
  const match = header ? /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header) : null;
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return false;
  const rawId = decoded.slice(0, colon);
  const rawSecret = decoded.slice(colon + 1);
  const formDecode = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, " "));
    } catch {
      return value;
    }
  };
  const matches = (id: string, secret: string) =>
    safeEqual(id, state.clientId) && safeEqual(secret, state.clientSecret);
  return matches(rawId, rawSecret) || matches(formDecode(rawId), formDecode(rawSecret));
}

/** The form body of an OAuth request, or undefined when it is not form-encoded. */
async function readForm(request: Request): Promise<URLSearchParams | undefined> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return undefined;
  return new URLSearchParams(await request.text());
}

function tokenResponse(tokens: { accessToken: string; refreshToken: string; expiresIn: number }): Response {
  return json(
    200,
    {
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      token_type: "Bearer",
      expires_in: tokens.expiresIn,
    },
    NO_STORE,
  );
}

const emailSchema = z.string().trim().min(3).max(254).regex(/^[^\s@]+@[^\s@]+$/, "not an e-mail address");
const startSchema = z.object({ email: emailSchema });
const verifySchema = z.object({ email: emailSchema, code: z.string().max(64) });

function badRequest(issues: z.core.$ZodIssue[]): Response {
  const detail = issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
  return json(400, { message: `Invalid request: ${detail}` });
}

export function authRoutes(state: StandinState): Route[] {
  return [
    healthRoute(),

    route("GET", "/.well-known/jwks.json", () =>
      json(200, state.keys.jwks, { "cache-control": "public, max-age=300" }),
    ),

    route("POST", "/oauth/token", async (request) => {
      if (!isAuthenticatedClient(state, request)) return oauthError(401, "invalid_client");
      const form = await readForm(request);
      if (!form) return oauthError(400, "invalid_request", "The body must be application/x-www-form-urlencoded");
      const grantType = form.get("grant_type");
      if (!grantType) return oauthError(400, "invalid_request", "grant_type is required");

      if (grantType === "password") {
        const username = form.get("username");
        const password = form.get("password");
        if (!username || password === null || password === "") {
          return oauthError(400, "invalid_request", "username and password are required");
        }
        const userId = state.userIdByEmail.get(normalizeEmail(username));
        const customer = userId === undefined ? undefined : state.customers.get(userId);
        if (!customer || !safeEqual(password, customer.password)) {
          return oauthError(400, "invalid_grant", "Invalid username or password");
        }
        return tokenResponse(await startGrant(state, customer.user.user_id));
      }

      if (grantType === "refresh_token") {
        const refreshToken = form.get("refresh_token");
        if (!refreshToken) return oauthError(400, "invalid_request", "refresh_token is required");
        const result = await refreshGrant(state, refreshToken);
        if (!result.ok) return oauthError(400, "invalid_grant", result.description);
        return tokenResponse(result.tokens);
      }

      return oauthError(400, "unsupported_grant_type", `grant_type "${grantType}" is not supported`);
    }),

    route("POST", "/oauth/revoke", async (request) => {
      if (!isAuthenticatedClient(state, request)) return oauthError(401, "invalid_client");
      const form = await readForm(request);
      if (!form) return oauthError(400, "invalid_request", "The body must be application/x-www-form-urlencoded");
      const token = form.get("token");
      if (!token) return oauthError(400, "invalid_request", "token is required");
      // token_type_hint is optional and only a hint (RFC 7009 §2.1): both kinds are looked up anyway.
      await revokeToken(state, token);
      return json(200, {}, NO_STORE);
    }),

    route("POST", "/passwordless/start", async (request) => {
      const body = await readJson(request);
      if (!body) return json(400, { message: "The body must be JSON" });
      const parsed = startSchema.safeParse(body.value);
      if (!parsed.success) return badRequest(parsed.error.issues);
      const email = normalizeEmail(parsed.data.email);
      if (state.userIdByEmail.has(email)) {
        const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
        // A new code supersedes the previous one: only the latest e-mail works.
        const previous = state.passwordlessCodes.get(email);
        if (previous) previous.dead = true;
        state.passwordlessCodes.set(email, {
          code,
          expiresAtMs: state.now() + CODE_TTL_MS,
          failedAttempts: 0,
          dead: false,
        });
        deliver(state, email, code, `Your Northwind Bank sign-in code is ${code}. It is valid for 10 minutes.`);
      }
      // Same answer whether or not the address has an account: no enumeration.
      return json(202, { message: "If the address has an account, a code is on its way." });
    }),

    route("POST", "/passwordless/verify", async (request) => {
      const body = await readJson(request);
      if (!body) return json(400, { message: "The body must be JSON" });
      const parsed = verifySchema.safeParse(body.value);
      if (!parsed.success) return badRequest(parsed.error.issues);
      const email = normalizeEmail(parsed.data.email);
      const record = state.passwordlessCodes.get(email);
      if (!record || record.dead || state.now() >= record.expiresAtMs) return json(401, { message: CODE_REJECTED });
      if (!safeEqual(parsed.data.code.trim(), record.code)) {
        record.failedAttempts += 1;
        if (record.failedAttempts >= CODE_MAX_TRIES) record.dead = true;
        return json(401, { message: CODE_REJECTED });
      }
      record.dead = true; // single use
      const userId = state.userIdByEmail.get(email);
      if (userId === undefined) return json(401, { message: CODE_REJECTED });
      const tokens = await startGrant(state, userId);
      return json(
        200,
        { token: tokens.accessToken, refreshToken: tokens.refreshToken, expiresIn: tokens.expiresIn },
        NO_STORE,
      );
    }),

    // Payment challenges (strong customer authentication): their own module.
    ...scaRoutes(state, [passkeyScaAnswer(state)]),

    // The stand-in's stand-in for e-mail delivery; real Auth has no such endpoint.
    route("GET", "/dev/outbox", (request) => {
      const email = new URL(request.url).searchParams.get("email");
      if (!email) return json(400, { message: "email is required" });
      const messages = state.outbox.get(normalizeEmail(email)) ?? [];
      return json(200, { codes: messages.map((message) => message.code), messages });
    }),

    // Logins that end from Auth's side, and the back-channel logout that announces it.
    ...authSessionRoutes(state),
    ...passkeyRoutes(state),
  ];
}

/** The service as msw handlers: for in-process use (msw's setupServer) and per-test overrides. */
export function authHandlers(state: StandinState): RequestHandler[] {
  return toHandlers(authRoutes(state));
}
