import { redirect, type AppLoadContext } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { z } from "zod";
import { isUpstreamError, type CallContext } from "../services/index.server";
import type { TokenSet } from "../types/domain";
import { getEnv } from "./env.server";
import { fieldErrors, formValues, type ReadForm } from "./forms.server";
import { logger } from "./logger.server";
import { loginOutcomes } from "./observability/metrics.server";
import { safeRedirect } from "./redirect.server";
import { getServices } from "./services.server";
import { requestSession } from "./session/customer.server";
import { getSessionRuntime } from "./session/runtime.server";
import { profileHints } from "./views/format.server";
import { SECTION_BUDGET_MS } from "./views/section.server";

export const email = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter an email address like name@example.com." }))
  .transform((value) => value.toLowerCase());

export const passwordForm = z.object({
  email,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(1024, "That password is too long."),
  redirectTo: z.string().max(2048).optional(),
});

export const codeRequestForm = z.object({ email });

export const codeVerifyForm = z.object({
  email,
  code: z
    .string({ error: "Enter the 6-digit code from the email." })
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code from the email."),
  redirectTo: z.string().max(2048).optional(),
});

/** What a sign-in form gets back when it has to be shown again. */
export interface SignInFormState {
  status: "invalid" | "refused" | "limited" | "unavailable";
  message?: string;
  fieldErrors?: Record<string, string>;
  values: { email?: string; redirectTo?: string };
}

const MESSAGES = {
  wrongPassword: "The email or password is incorrect.",
  wrongCode: "That code is incorrect or has expired. Check your latest email, or send a new code.",
  limited: "Too many attempts. Please wait a few minutes and try again.",
  unavailable: "We can't sign you in right now. Please try again in a minute.",
} as const;

function authenticator(context: CallContext) {
  const auth = new Authenticator<TokenSet>();
  auth.use(
    new FormStrategy(async ({ form }) => {
      const { email, password } = passwordForm.parse(Object.fromEntries(form));
      return getServices().auth.passwordLogin(email, password, context);
    }),
    "password",
  );
  auth.use(
    new FormStrategy(async ({ form }) => {
      const { email, code } = codeVerifyForm.parse(Object.fromEntries(form));
      return getServices().auth.verifyPasswordless(email, code, context);
    }),
    "email-code",
  );
  return auth;
}

/**
 * Per e-mail and per client IP, counted on failures (sign-in) or on every send (codes).
 * A passkey sign-in names no e-mail: it counts against the client IP alone.
 */
function limits(kind: "sign-in" | "code", emailAddress: string | undefined, clientIp: string) {
  const env = getEnv();
  const windowMs = env.LOGIN_RATE_LIMIT_WINDOW_S * 1000;
  const perIp = { key: `${kind}:ip:${clientIp}`, limit: env.LOGIN_RATE_LIMIT_PER_IP, windowMs };
  if (emailAddress === undefined) return [perIp];
  return [{ key: `${kind}:email:${emailAddress}`, limit: env.LOGIN_RATE_LIMIT_PER_EMAIL, windowMs }, perIp];
}

/** Seconds until another attempt is allowed, or undefined when within the limits; `count` counts this attempt. */
export async function overLimit(kind: "sign-in" | "code", emailAddress: string | undefined, clientIp: string, count: boolean) {
  const { rateLimiter } = getSessionRuntime();
  const states = await Promise.all(
    limits(kind, emailAddress, clientIp).map(({ key, limit, windowMs }) =>
      count ? rateLimiter.hit(key, limit, windowMs) : rateLimiter.check(key, limit, windowMs),
    ),
  );
  const refused = states.filter((state) => !state.allowed);
  return refused.length === 0 ? undefined : Math.max(...refused.map((state) => state.retryAfterS));
}

function formState(status: number, state: SignInFormState, headers?: HeadersInit) {
  return Response.json(state, { status, headers });
}

function limitedResponse(retryAfterS: number, values: SignInFormState["values"]) {
  return formState(429, { status: "limited", message: MESSAGES.limited, values }, { "Retry-After": String(retryAfterS) });
}

/**
 * The sign-in action of both flows: read the form (size-limited), validate it,
 * check the abuse limits, authenticate through remix-auth, then start a new
 * session and redirect to the validated `redirectTo`.
 */
export async function signIn(
  request: Request,
  context: AppLoadContext,
  strategy: "password" | "email-code",
  { form, replay }: ReadForm,
): Promise<Response> {
  const values = formValues(form);
  const schema = strategy === "password" ? passwordForm : codeVerifyForm;
  const parsed = schema.safeParse(values);
  const echo = { email: values.email, redirectTo: values.redirectTo };
  const method = strategy === "password" ? "password" : "code";
  if (!parsed.success) {
    loginOutcomes.inc({ method, outcome: "invalid" });
    return formState(400, { status: "invalid", fieldErrors: fieldErrors(parsed.error), values: echo });
  }

  const retryAfter = await overLimit("sign-in", parsed.data.email, context.clientIp, false);
  if (retryAfter !== undefined) {
    loginOutcomes.inc({ method, outcome: "limited" });
    return limitedResponse(retryAfter, echo);
  }

  let tokens: TokenSet;
  try {
    tokens = await authenticator({ signal: request.signal, trace: context.trace }).authenticate(
      strategy,
      replay,
    );
  } catch (error) {
    const refused =
      strategy === "password"
        ? isUpstreamError(error, "rejected") && error.code === "invalid_grant"
        : isUpstreamError(error, "unauthorized");
    if (refused) {
      loginOutcomes.inc({ method, outcome: "refused" });
      await overLimit("sign-in", parsed.data.email, context.clientIp, true);
      logger.info({ requestId: context.requestId, strategy }, "sign-in refused");
      const message = strategy === "password" ? MESSAGES.wrongPassword : MESSAGES.wrongCode;
      return formState(401, { status: "refused", message, values: echo });
    }
    loginOutcomes.inc({ method, outcome: "unavailable" });
    logger.error({ requestId: context.requestId, strategy, err: String(error) }, "sign-in failed upstream");
    return formState(503, { status: "unavailable", message: MESSAGES.unavailable, values: echo });
  }

  await getSessionRuntime().rateLimiter.reset(`sign-in:email:${parsed.data.email}`);
  const headers = await beginSession(request, context, tokens);
  if (!headers) {
    loginOutcomes.inc({ method, outcome: "unavailable" });
    return formState(503, { status: "unavailable", message: MESSAGES.unavailable, values: echo });
  }
  loginOutcomes.inc({ method, outcome: "success" });
  logger.info({ requestId: context.requestId, strategy }, "signed in");
  return redirect(safeRedirect(parsed.data.redirectTo), { headers });
}

/**
 * What every way of signing in does once Auth has said yes: a new session (a new
 * id, any old one ended) with the tokens sealed in. The headers carry its cookie;
 * undefined when the session cannot be saved (server-side sessions, store away).
 */
export async function beginSession(request: Request, context: AppLoadContext, tokens: TokenSet): Promise<Headers | undefined> {
  // Name, locale and ad segment for every page, without a Users call on each one.
  const profile = await getServices()
    .users.me(tokens.accessToken, { trace: context.trace, timeoutMs: SECTION_BUDGET_MS })
    .then(profileHints, () => undefined);
  const session = requestSession(request, context);
  await session.start(tokens, profile);
  const headers = new Headers();
  let cookie: string | undefined;
  try {
    cookie = await session.takeCookieHeader();
  } catch (error) {
    // Signing in cannot hold, so the caller says so.
    logger.error({ requestId: context.requestId, err: String(error) }, "session could not be saved");
    return undefined;
  }
  if (cookie) headers.append("Set-Cookie", cookie);
  return headers;
}

/** Step one of passwordless: ask Auth to e-mail a code. Same answer for every address. */
export async function requestCode(request: Request, context: AppLoadContext, { form }: ReadForm): Promise<Response> {
  const values = formValues(form);
  const parsed = codeRequestForm.safeParse(values);
  const echo = { email: values.email, redirectTo: values.redirectTo };
  if (!parsed.success) {
    return formState(400, { status: "invalid", fieldErrors: fieldErrors(parsed.error), values: echo });
  }
  const retryAfter = await overLimit("code", parsed.data.email, context.clientIp, true);
  if (retryAfter !== undefined) return limitedResponse(retryAfter, echo);
  try {
    await getServices().auth.startPasswordless(parsed.data.email, {
      signal: request.signal,
      trace: context.trace,
    });
  } catch (error) {
    logger.error({ requestId: context.requestId, err: String(error) }, "code request failed upstream");
    return formState(503, { status: "unavailable", message: MESSAGES.unavailable, values: echo });
  }
  return Response.json({ status: "code-sent", values: { email: parsed.data.email, redirectTo: values.redirectTo } });
}
