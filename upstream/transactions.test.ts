import { isValidIban } from "./iban";
import { ADA, GRACE, bearer, login, postJson, startTestStandins, type TestStandins } from "./test-support";
import { encodeCursor } from "./transactions";

let standins: TestStandins;

beforeAll(async () => {
  standins = await startTestStandins();
});
afterEach(() => standins.restore());
afterAll(() => standins.close());

interface Page {
  data: { items: { id: string; amount_minor: number; currency: string; booked_at: string; counterparty: { name: string; iban: string }; category: string; raw: object }[] };
  meta: { next_cursor: string | null };
}

function list(accessToken: string, query = ""): Promise<Response> {
  return fetch(`${standins.urls.transactions}/transactions${query}`, { headers: bearer(accessToken) });
}

async function page(accessToken: string, query = ""): Promise<Page> {
  const response = await list(accessToken, query);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

async function all(accessToken: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const body: Page = await page(accessToken, `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    ids.push(...body.data.items.map((item) => item.id));
    cursor = body.meta.next_cursor;
  } while (cursor);
  return ids;
}

describe("GET /transactions", () => {
  it("returns 20 by default, newest first, in the envelope with minor units", async () => {
    const { access_token } = await login(standins);
    const body = await page(access_token);
    expect(Object.keys(body).sort()).toEqual(["data", "meta"]);
    expect(body.data.items).toHaveLength(20);
    expect(typeof body.meta.next_cursor).toBe("string");
    const dates = body.data.items.map((item) => Date.parse(item.booked_at));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    for (const item of body.data.items) {
      expect(Number.isInteger(item.amount_minor)).toBe(true);
      expect(item.currency).toBe("EUR");
      expect(new Date(item.booked_at).toISOString()).toBe(item.booked_at);
      expect(typeof item.counterparty.name).toBe("string");
      expect(isValidIban(item.counterparty.iban)).toBe(true);
      expect(typeof item.category).toBe("string");
      expect(item.raw).toBeTypeOf("object");
    }
    expect(body.data.items.some((item) => item.amount_minor < 0)).toBe(true);
  });

  it("pages through all 60 of Ada's with no duplicates or gaps", async () => {
    const { access_token } = await login(standins);
    const byPages = await all(access_token, 7);
    expect(byPages).toHaveLength(60);
    expect(new Set(byPages).size).toBe(60);
    const oneGo = (await page(access_token, "?limit=100")).data.items.map((item) => item.id);
    expect(byPages).toEqual(oneGo);
  });

  it("ends with next_cursor null, also when the last page is exactly full", async () => {
    const { access_token } = await login(standins);
    const first = await page(access_token, "?limit=30");
    expect(first.meta.next_cursor).not.toBeNull();
    const second = await page(access_token, `?limit=30&cursor=${first.meta.next_cursor}`);
    expect(second.data.items).toHaveLength(30);
    expect(second.meta.next_cursor).toBeNull();
    expect((await page(access_token, "?limit=100")).meta.next_cursor).toBeNull();
  });

  it("Grace has 25, in USD", async () => {
    const { access_token } = await login(standins, GRACE);
    const ids = await all(access_token, 10);
    expect(ids).toHaveLength(25);
    expect((await page(access_token)).data.items.every((item) => item.currency === "USD")).toBe(true);
  });

  it("keeps a cursor stable when a payment is prepended between pages", async () => {
    const { access_token } = await login(standins);
    const reference = (await page(access_token, "?limit=20")).data.items.map((item) => item.id);
    const first = await page(access_token, "?limit=10");
    const pay = await postJson(
      `${standins.urls.payments}/v2/payments`,
      { creditorIban: "DE89370400440532013000", creditorName: "Bob", amount: "1.00", currency: "EUR", remittanceInfo: "x" },
      { ...bearer(access_token), "idempotency-key": "k" },
    );
    expect(pay.status).toBe(201);
    const second = await page(access_token, `?limit=10&cursor=${first.meta.next_cursor}`);
    expect([...first.data.items, ...second.data.items].map((item) => item.id)).toEqual(reference);
    const newest = (await page(access_token, "?limit=1")).data.items[0];
    expect(newest?.category).toBe("transfer");
    expect(newest?.id).not.toBe(reference[0]);
  });

  it.each(["0", "101", "-1", "2.5", "abc", "", "1e1"])("answers limit=%s with 400 invalid_request", async (limit) => {
    const { access_token } = await login(standins);
    const response = await list(access_token, `?limit=${limit}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("accepts limit 1 and 100", async () => {
    const { access_token } = await login(standins);
    expect((await page(access_token, "?limit=1")).data.items).toHaveLength(1);
    expect((await page(access_token, "?limit=100")).data.items).toHaveLength(60);
  });

  it.each([
    ["garbage", "not-a-cursor!"],
    ["base64 of non-JSON", Buffer.from("hello").toString("base64url")],
    ["an unknown transaction", encodeCursor("txn_does_not_exist")],
  ])("answers a bad cursor (%s) with 400 invalid_request", async (_label, cursor) => {
    const { access_token } = await login(standins);
    const response = await list(access_token, `?cursor=${encodeURIComponent(cursor)}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("does not accept another customer's cursor", async () => {
    const ada = await login(standins, ADA);
    const grace = await login(standins, GRACE);
    const { meta } = await page(ada.access_token, "?limit=5");
    expect((await list(grace.access_token, `?cursor=${meta.next_cursor}`)).status).toBe(400);
  });

  it("refuses a missing token with 401 invalid_token", async () => {
    const response = await fetch(`${standins.urls.transactions}/transactions`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_token" });
  });
});
