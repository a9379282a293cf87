import { http, HttpResponse } from "msw";
import type { TransactionListView } from "../../types/views";
import { buildRequest, call } from "../../tests/support/remix";
import { signInAs } from "../../tests/support/session";
import { standins } from "../../tests/support/standins";
import { leaksIn } from "../../tests/support/trimming";
import { loader } from "./transactions";

async function page(cookie: string, cursor?: string | null) {
  const path = cursor ? `/transactions?cursor=${encodeURIComponent(cursor)}` : "/transactions";
  const response = await call(loader, buildRequest(path, { cookie }));
  return { response, view: (await response.json()) as TransactionListView };
}

describe("GET /transactions", () => {
  it("pages through all 60 of Ada's transactions, newest first, with no gaps or repeats", async () => {
    const cookie = await signInAs("ada");
    const seen: string[] = [];
    const dates: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { response, view } = await page(cookie, cursor);
      expect(response.status).toBe(200);
      if (view.transactions.status !== "ok") throw new Error("unavailable");
      seen.push(...view.transactions.data.items.map((item) => item.id));
      dates.push(...view.transactions.data.items.map((item) => item.bookedAt));
      cursor = view.transactions.data.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it("keeps money as integers and formats it for display", async () => {
    const { view } = await page(await signInAs("ada"));
    const item = view.transactions.status === "ok" ? view.transactions.data.items[0] : undefined;
    expect(Number.isInteger(item?.amount.minor)).toBe(true);
    expect(item?.amount.text).toMatch(/^-?€[\d,]+\.\d\d$/);
    expect(item?.direction).toBe((item?.amount.minor ?? 0) < 0 ? "out" : "in");
  });

  it("shows an empty list for a customer without transactions", async () => {
    standins.use(http.get("*/transactions", () => HttpResponse.json({ data: { items: [] }, meta: { next_cursor: null } })));
    const { view } = await page(await signInAs("grace"));
    expect(view.transactions).toEqual({ status: "ok", data: { items: [], nextCursor: null } });
  });

  it("degrades with a message when Transactions fails", async () => {
    const cookie = await signInAs("ada");
    standins.configure({ failureRate: { transactions: 1 } });
    const { response, view } = await page(cookie);
    expect(response.status).toBe(200);
    expect(view.transactions).toEqual({ status: "unavailable", message: "Your transactions are unavailable right now." });
  });

  it("answers a malformed or unknown cursor with 400 and a way back to the newest", async () => {
    const cookie = await signInAs("ada");
    const malformed = await page(cookie, "<script>");
    expect(malformed.response.status).toBe(400);
    const unknown = await page(cookie, "bm9wZQ");
    expect(unknown.response.status).toBe(400);
    expect(unknown.view.transactions).toMatchObject({ status: "unavailable", message: expect.stringContaining("newest") });
  });

  it("never sends upstream-only fields", async () => {
    const { view } = await page(await signInAs("ada"));
    expect(leaksIn(view)).toEqual([]);
  });
});
