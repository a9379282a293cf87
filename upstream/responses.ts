import { createHash, timingSafeEqual } from "node:crypto";
import type { Route } from "./routes";

/** Small helpers the five services' handlers share. */

const serialised = new WeakMap<Response, string>();

/**
 * A JSON response. The serialised text is remembered beside it, so the HTTP
 * server writes it without reading the body back through a web stream.
 */
export function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  const text = JSON.stringify(body);
  const response = new Response(text, { status, headers: { "content-type": "application/json", ...headers } });
  serialised.set(response, text);
  return response;
}

/** The text `json()` produced for this response, if it came from `json()` and was not read. */
export function serialisedBody(response: Response): string | undefined {
  return response.bodyUsed ? undefined : serialised.get(response);
}

/** Every service's liveness probe. */
export function healthRoute(): Route {
  return { method: "GET", path: "/health", resolve: () => json(200, { status: "ok" }) };
}

/** The one answer Users, Payments and Transactions give any unacceptable bearer token. */
export function invalidToken(): Response {
  return json(401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
}

/** A parsed JSON body, or undefined when the body is not JSON at all. */
export async function readJson(request: Request): Promise<{ value: unknown } | undefined> {
  try {
    return { value: JSON.parse(await request.text()) as unknown };
  } catch {
    return undefined;
  }
}

/** Constant-time string comparison for secrets (hashing first equalises the lengths). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** JSON with object keys sorted at every level: equal for bodies that differ only in key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  });
}
