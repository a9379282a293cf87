import { z } from "zod";
import { currencyDigits, decimalToMinor } from "../../types/money";
import { isValidIban, normalizeIban } from "./iban";

/**
 * The payment form's rules, one schema for the browser (instant messages with
 * JavaScript) and the server (the only check that counts).
 */
export const REFERENCE_MAX = 140;
export const NAME_MAX = 70;

export function paymentFormSchema(currency: string) {
  const digits = currencyDigits(currency);
  return z.object({
    creditorName: z
      .string()
      .trim()
      .min(1, "Enter the recipient's name.")
      .max(NAME_MAX, `The recipient's name can be at most ${NAME_MAX} characters.`),
    creditorIban: z
      .string()
      .trim()
      .min(1, "Enter the recipient's IBAN.")
      .refine(isValidIban, "Enter a valid IBAN, like GB82 WEST 1234 5698 7654 32.")
      .transform(normalizeIban),
    amount: z
      .string()
      .trim()
      .min(1, "Enter an amount.")
      .transform((value) => value.replace(/[\s,_]/g, ""))
      .refine(
        (value) => new RegExp(`^\\d+(\\.\\d{1,${Math.max(digits, 1)}})?$`).test(value) && (digits > 0 || !value.includes(".")),
        digits > 0 ? `Enter an amount like 12.50, with at most ${digits} decimals.` : "Enter a whole amount.",
      )
      .transform((value) => decimalToMinor(value, currency) ?? Number.NaN)
      .refine((minor) => Number.isSafeInteger(minor) && minor > 0, "The amount must be more than zero."),
    remittanceInfo: z
      .string()
      .trim()
      .max(REFERENCE_MAX, `The reference can be at most ${REFERENCE_MAX} characters.`)
      .default(""),
  });
}

export type PaymentFormValues = z.output<ReturnType<typeof paymentFormSchema>>;
export type PaymentFormErrors = Partial<Record<"creditorName" | "creditorIban" | "amount" | "remittanceInfo" | "form", string>>;

/** Field → first message. */
export function paymentFormErrors(error: z.ZodError): PaymentFormErrors {
  const errors: PaymentFormErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (field === "creditorName" || field === "creditorIban" || field === "amount" || field === "remittanceInfo") {
      errors[field] ??= issue.message;
    }
  }
  return errors;
}
