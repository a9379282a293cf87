import { decode, type DecodePlugin } from "turbo-stream";

/**
 * Reads a single fetch answer (`/page.data`, turbo-stream) the way Remix's client
 * does, into plain values a test can compare and scan: `{ [routeId]: { data } }`
 * for loaders, `{ data }` for an action, `{ redirect, status, revalidate, … }` for
 * a redirect, errors as `{ error: { name, message } }` or `{ status, data }`.
 * (turbo-stream is the exact version @remix-run/server-runtime pins; the plugins
 * mirror @remix-run/react's decodeViaTurboStream.)
 */
const plugins: DecodePlugin[] = [
  (type, ...rest) => {
    if (type === "SingleFetchRedirect") return { value: { redirect: rest[0] } };
    if (type === "SanitizedError") return { value: { error: { name: rest[0], message: rest[1] } } };
    if (type === "ErrorResponse") return { value: { status: rest[1], data: rest[0] } };
    return undefined;
  },
  (type, value) => {
    if (type === "SingleFetchFallback") return { value: undefined };
    if (type === "SingleFetchClassInstance") return { value };
    return undefined;
  },
];

export async function readSingleFetch(response: Response): Promise<unknown> {
  if (!response.body) throw new Error(`no body (status ${response.status})`);
  const decoded = await decode(response.body, { plugins });
  await decoded.done;
  return decoded.value;
}

/** Where a single fetch answer redirects to (202 with the redirect in the body), or undefined. */
export function redirectOf(value: unknown): { redirect: string; status: number; revalidate: boolean } | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const inner = "redirect" in value && typeof value.redirect === "object" ? value.redirect : value;
  if (typeof inner !== "object" || inner === null || !("redirect" in inner) || typeof inner.redirect !== "string") return undefined;
  const status = "status" in inner && typeof inner.status === "number" ? inner.status : 0;
  const revalidate = "revalidate" in inner && inner.revalidate === true;
  return { redirect: inner.redirect, status, revalidate };
}
