import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { isUpstreamError } from "../services/index.server";
import { getEnv } from "./env.server";
import { fieldErrors, formValues, type ReadForm } from "./forms.server";
import { logger } from "./logger.server";
import { getServices } from "./services.server";
import type { RequestSession } from "./session/customer.server";
import { getSessionRuntime } from "./session/runtime.server";

export const passwordChangeForm = z.object({
  currentPassword: z
    .string({ error: "Enter your current password." })
    .min(1, "Enter your current password.")
    .max(1024, "That password is too long."),
  newPassword: z
    .string({ error: "Enter a new password." })
    .min(12, "Use at least 12 characters for your new password.")
    .max(1024, "That password is too long."),
});

/** What the password form gets back. */
export interface PasswordChangeState {
  status: "changed" | "invalid" | "refused" | "limited" | "unavailable";
  message?: string;
  fieldErrors?: Record<string, string>;
}

const MESSAGES = {
  wrongPassword: "That is not your current password.",
  weakPassword: "Use at least 12 characters for your new password.",
  limited: "Too many attempts. Please wait a few minutes and try again.",
  unavailable: "We can't change your password right now. Please try again in a minute.",
} as const;

/**
 * Changes the password at Auth. Auth then ends every other login of the
 * customer and tells us by back-channel logout (the same path as the fraud
 * team's), so this session stays and the others are refused. Wrong current
 * passwords count against a per-customer limit, like sign-in failures: a
 * session left open must not become a password oracle.
 */
export async function changePassword(customer: RequestSession, context: AppLoadContext, { form }: ReadForm): Promise<Response> {
  const parsed = passwordChangeForm.safeParse(formValues(form));
  if (!parsed.success) return state(400, { status: "invalid", fieldErrors: fieldErrors(parsed.error) });

  const session = await customer.get();
  const env = getEnv();
  const { rateLimiter } = getSessionRuntime();
  const limitKey = `password-change:user:${session?.userId ?? session?.id ?? "-"}`;
  const windowMs = env.LOGIN_RATE_LIMIT_WINDOW_S * 1000;
  const limit = await rateLimiter.check(limitKey, env.LOGIN_RATE_LIMIT_PER_EMAIL, windowMs);
  if (!limit.allowed) return state(429, { status: "limited", message: MESSAGES.limited }, { "Retry-After": String(limit.retryAfterS) });

  try {
    await customer.withToken((token, call) => getServices().auth.changePassword(token, parsed.data.currentPassword, parsed.data.newPassword, call));
  } catch (error) {
    if (error instanceof Response) throw error;
    if (isUpstreamError(error, "rejected") && error.code === "invalid_password") {
      await rateLimiter.hit(limitKey, env.LOGIN_RATE_LIMIT_PER_EMAIL, windowMs);
      return state(400, { status: "refused", fieldErrors: { currentPassword: MESSAGES.wrongPassword } });
    }
    if (isUpstreamError(error, "rejected") && error.code === "weak_password") {
      return state(400, { status: "refused", fieldErrors: { newPassword: MESSAGES.weakPassword } });
    }
    logger.error({ requestId: context.requestId, err: String(error) }, "password change failed upstream");
    return state(503, { status: "unavailable", message: MESSAGES.unavailable });
  }
  await rateLimiter.reset(limitKey);
  logger.info({ requestId: context.requestId }, "password changed");
  return state(200, { status: "changed" });
}

function state(status: number, body: PasswordChangeState, headers?: HeadersInit): Response {
  return Response.json(body, { status, headers });
}
