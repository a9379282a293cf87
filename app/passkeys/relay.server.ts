import { z } from "zod";
import { problem } from "../api/problem.server";
import { readBody } from "../forms.server";

/** Attestations can carry certificates; nothing legitimate comes near this. */
const MAX_BODY_BYTES = 64 * 1024;

/** The browser's WebAuthn JSON: the envelope is checked, the rest relayed for Auth to verify. */
export const credential = z.looseObject({
  id: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: z.string().max(8192) }),
});

/** A JSON body of the passkey API, size-limited (413 past it) and checked against `schema`; else the 400 to send. */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; data: T } | { ok: false; response: Response }> {
  let value: unknown;
  try {
    value = JSON.parse((await readBody(request, MAX_BODY_BYTES)).toString("utf8"));
  } catch (error) {
    if (error instanceof Response) throw error;
    return { ok: false, response: problem(400, "Bad Request", "The body must be JSON.") };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, response: problem(400, "Bad Request", "That is not a passkey response.") };
  return { ok: true, data: parsed.data };
}
