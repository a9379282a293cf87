import { DEMO_CUSTOMERS, createAds, createDemoCustomers, PLACEMENTS } from "./data";
import { isValidIban, makeIban, normalizeIban } from "./iban";
import { formatCents, parseAmount } from "./money";

describe("IBANs", () => {
  it("computes the check digits of a known IBAN", () => {
    expect(makeIban("DE", "370400440532013000")).toBe("DE89370400440532013000");
    expect(makeIban("GB", "WEST12345698765432")).toBe("GB82WEST12345698765432");
  });

  it("validates check digits and shape", () => {
    expect(isValidIban("DE89370400440532013000")).toBe(true);
    expect(isValidIban("DE88370400440532013000")).toBe(false);
    expect(isValidIban("DE8937040044")).toBe(false);
    expect(isValidIban(normalizeIban("gb82 west 1234 5698 7654 32"))).toBe(true);
  });

  it("every demo IBAN is valid", () => {
    for (const customer of createDemoCustomers()) {
      expect(isValidIban(customer.account.iban)).toBe(true);
      for (const transaction of customer.transactions) expect(isValidIban(transaction.counterparty.iban)).toBe(true);
    }
  });
});

describe("money", () => {
  it.each([
    ["12.50", 1250],
    ["12.5", 1250],
    ["12", 1200],
    ["0.01", 1],
    ["12345.67", 1234567],
  ])("parses %s as %i cents", (text, cents) => {
    expect(parseAmount(text)).toBe(cents);
  });

  it.each(["", "-1", "1.005", "1e3", "01.00", ".5", "1,5", " 1"])("refuses %j", (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it("formats cents as a decimal string", () => {
    expect(formatCents(1234567)).toBe("12345.67");
    expect(formatCents(5)).toBe("0.05");
    expect(formatCents(0)).toBe("0.00");
    expect(formatCents(-150)).toBe("-1.50");
  });
});

describe("demo data", () => {
  it("is the same on every call (seeded, not random)", () => {
    expect(createDemoCustomers()).toEqual(createDemoCustomers());
    expect(createAds()).toEqual(createAds());
  });

  it("returns fresh objects every call, so state can mutate them", () => {
    const [first] = createDemoCustomers();
    const [second] = createDemoCustomers();
    expect(first).not.toBe(second);
    expect(first?.transactions).not.toBe(second?.transactions);
  });

  it("has the two customers of the contract", () => {
    const [ada, grace] = createDemoCustomers();
    expect(ada).toMatchObject({ email: "ada@example.com", password: "Analytical-Engine-1843" });
    expect(ada?.account).toMatchObject({ currency: "EUR", availableCents: 1_234_567 });
    expect(ada?.transactions).toHaveLength(60);
    expect(grace).toMatchObject({ email: "grace@example.com", password: "Cobol-1959-Compiler" });
    expect(grace?.account).toMatchObject({ currency: "USD", availableCents: 302_150 });
    expect(grace?.transactions).toHaveLength(25);
    expect(DEMO_CUSTOMERS.map((customer) => customer.name)).toEqual(["Ada Lovelace", "Grace Hopper"]);
  });

  it("has unique transaction ids, newest first", () => {
    for (const customer of createDemoCustomers()) {
      const ids = customer.transactions.map((transaction) => transaction.id);
      expect(new Set(ids).size).toBe(ids.length);
      const times = customer.transactions.map((transaction) => Date.parse(transaction.booked_at));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeLessThan(times[i - 1] ?? 0);
    }
  });

  it("has several ads per placement with unique ids", () => {
    const ads = createAds();
    expect(new Set(ads.map((ad) => ad.id)).size).toBe(ads.length);
    for (const placement of PLACEMENTS) expect(ads.filter((ad) => ad.placement === placement).length).toBeGreaterThanOrEqual(3);
  });
});
