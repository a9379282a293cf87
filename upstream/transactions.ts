import type { RequestHandler } from "msw";
import { z } from "zod";
import { authenticate } from "./grants";
import { healthRoute, invalidToken, json } from "./responses";
import type { StandinState } from "./state";
import { route, toHandlers, type Route } from "./routes";

/**
 * Transactions: newest first, in an envelope, amounts in minor units, cursor
 * pagination. A cursor names the last item already returned (not a page number),
 * so a payment prepended between two page loads neither repeats nor skips items.
 */

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const cursorSchema = z.object({ v: z.literal(1), after: z.string().min(1) });

export function encodeCursor(afterId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: afterId })).toString("base64url");
}

/** The id a cursor points after, or undefined when the cursor is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) return undefined;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? parsed.data.after : undefined;
  } catch {
    return undefined;
  }
}

function invalidRequest(description: string): Response {
  return json(400, { error: "invalid_request", error_description: description });
}

export function transactionsRoutes(state: StandinState): Route[] {
  return [
    healthRoute(),
    route("GET", "/transactions", async (request) => {
      const customer = await authenticate(state, request);
      if (!customer) return invalidToken();
      const params = new URL(request.url).searchParams;

      const limitText = params.get("limit");
      let limit = DEFAULT_LIMIT;
      if (limitText !== null) {
        if (!/^\d{1,3}$/.test(limitText)) return invalidRequest(`limit must be an integer from 1 to ${MAX_LIMIT}`);
        limit = Number(limitText);
        if (limit < 1 || limit > MAX_LIMIT) return invalidRequest(`limit must be an integer from 1 to ${MAX_LIMIT}`);
      }

      const items = customer.transactions;
      let start = 0;
      const cursor = params.get("cursor");
      if (cursor !== null && cursor !== "") {
        const afterId = decodeCursor(cursor);
        const index = afterId === undefined ? -1 : items.findIndex((item) => item.id === afterId);
        if (index === -1) return invalidRequest("cursor is invalid or has expired");
        start = index + 1;
      }

      const page = items.slice(start, start + limit);
      const last = page[page.length - 1];
      const nextCursor = last && start + limit < items.length ? encodeCursor(last.id) : null;
      return json(
        200,
        { data: { items: page }, meta: { next_cursor: nextCursor } },
        { "cache-control": "private, no-store" },
      );
    }),
  ];
}

/** The service as msw handlers: for in-process use (msw's setupServer) and per-test overrides. */
export function transactionsHandlers(state: StandinState): RequestHandler[] {
  return toHandlers(transactionsRoutes(state));
}
