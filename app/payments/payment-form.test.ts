import { isValidIban, formatIban } from "./iban";
import { paymentFormErrors, paymentFormSchema } from "./payment-form";

const valid = { creditorName: "Charles Babbage", creditorIban: "gb82 west 1234 5698 7654 32", amount: "12.50", remittanceInfo: "Parts" };

describe("IBAN", () => {
  it.each(["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300"])(
    "accepts %s",
    (iban) => expect(isValidIban(iban)).toBe(true),
  );
  it.each(["GB82WEST12345698765431", "DE8937040044053201300", "XX", "GB82-WEST", "", "1234567890123456"])(
    "refuses %s",
    (iban) => expect(isValidIban(iban)).toBe(false),
  );
  it("formats for reading", () => expect(formatIban("gb82west12345698765432")).toBe("GB82 WEST 1234 5698 7654 32"));
});

describe("paymentFormSchema", () => {
  it("normalises a valid payment into minor units and a clean IBAN", () => {
    expect(paymentFormSchema("EUR").parse(valid)).toEqual({
      creditorName: "Charles Babbage",
      creditorIban: "GB82WEST12345698765432",
      amount: 1250,
      remittanceInfo: "Parts",
    });
    expect(paymentFormSchema("EUR").parse({ ...valid, amount: "1,234.5" }).amount).toBe(123450);
  });

  it.each([
    [{ creditorName: "" }, "creditorName", "Enter the recipient's name."],
    [{ creditorName: "x".repeat(71) }, "creditorName", "at most 70"],
    [{ creditorIban: "" }, "creditorIban", "Enter the recipient's IBAN."],
    [{ creditorIban: "GB82WEST12345698765431" }, "creditorIban", "valid IBAN"],
    [{ amount: "" }, "amount", "Enter an amount."],
    [{ amount: "0" }, "amount", "more than zero"],
    [{ amount: "0.00" }, "amount", "more than zero"],
    [{ amount: "-5" }, "amount", "at most 2 decimals"],
    [{ amount: "12.345" }, "amount", "at most 2 decimals"],
    [{ amount: "1e3" }, "amount", "at most 2 decimals"],
    [{ amount: "ten" }, "amount", "at most 2 decimals"],
    [{ amount: "99999999999999999999" }, "amount", "more than zero"],
    [{ remittanceInfo: "r".repeat(141) }, "remittanceInfo", "at most 140"],
  ])("refuses %j on %s", (change, field, message) => {
    const result = paymentFormSchema("EUR").safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    if (!result.success) expect(paymentFormErrors(result.error)[field as "amount"]).toContain(message);
  });

  it("allows no decimals for a currency without minor units", () => {
    expect(paymentFormSchema("JPY").safeParse({ ...valid, amount: "12.5" }).success).toBe(false);
    expect(paymentFormSchema("JPY").parse({ ...valid, amount: "1250" }).amount).toBe(1250);
  });
});
