import { z } from "zod";
import type { Transaction, TransactionPage } from "../types/domain";
import type { CallContext, ServiceHttp } from "./http.server";
import { bearer } from "./bearer.server";

// Transactions wraps everything in {data, meta} and already counts in minor units.
const itemSchema = z
  .object({
    id: z.string().min(1),
    amount_minor: z.number().int(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    booked_at: z.iso.datetime({ offset: true }),
    counterparty: z.object({ name: z.string(), iban: z.string().nullable().optional() }),
    category: z.string().default("other"),
  })
  .transform(
    (item): Transaction => ({
      id: item.id,
      amount: { minor: item.amount_minor, currency: item.currency },
      bookedAt: new Date(item.booked_at).toISOString(),
      counterpartyName: item.counterparty.name,
      counterpartyIban: item.counterparty.iban ?? null,
      category: item.category,
    }),
  );

const pageSchema = z
  .object({
    data: z.object({ items: z.array(itemSchema) }),
    meta: z.object({ next_cursor: z.string().min(1).nullable() }),
  })
  .transform((page): TransactionPage => ({ items: page.data.items, nextCursor: page.meta.next_cursor }));

export const TRANSACTIONS_MAX_LIMIT = 100;

export function createTransactionsClient(http: ServiceHttp) {
  return {
    async list(
      accessToken: string,
      query: { limit?: number; cursor?: string | null },
      context?: CallContext,
    ): Promise<TransactionPage> {
      const params = new URLSearchParams();
      if (query.limit !== undefined) params.set("limit", String(query.limit));
      if (query.cursor) params.set("cursor", query.cursor);
      const search = params.size > 0 ? `?${params}` : "";
      const { data } = await http.request({
        method: "GET",
        path: `/transactions${search}`,
        headers: bearer(accessToken),
        schema: pageSchema,
        context,
      });
      return data;
    },
  };
}

export type TransactionsClient = ReturnType<typeof createTransactionsClient>;
