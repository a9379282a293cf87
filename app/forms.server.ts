import type { z } from "zod";

/** No form of this app is anywhere near this; anything bigger is abuse. */
export const MAX_FORM_BYTES = 16 * 1024;

/**
 * Reads a form body with a hard size limit (413 past it, also for chunked bodies
 * that announce no length). Returns the form and a fresh copy of the request for
 * code that must read the body itself (remix-auth strategies).
 */
export interface ReadForm {
  form: FormData;
  /** An unread copy of the request, for code that reads the body itself. */
  replay: Request;
}

export async function readForm(request: Request, maxBytes = MAX_FORM_BYTES): Promise<ReadForm> {
  const body = await readBody(request, maxBytes);
  const headers = new Headers(request.headers);
  const replay = new Request(request.url, { method: request.method, headers, body, signal: request.signal });
  let form: FormData;
  try {
    form = await replay.clone().formData();
  } catch {
    throw new Response("The form could not be read. Please try again.", { status: 400 });
  }
  return { form, replay };
}

/**
 * A request body up to `maxBytes`; past it a thrown 413 (also for chunked bodies
 * that announce no length), without reading the rest.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Buffer<ArrayBuffer>> {
  const announced = Number(request.headers.get("content-length") ?? 0);
  if (announced > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

function tooLarge() {
  return new Response("That form was too large to accept.", { status: 413 });
}

/** Field-level messages from a zod error, first message per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

/** A form's fields as plain strings (files and repeats dropped). */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string" && !(key in values)) values[key] = value;
  return values;
}
