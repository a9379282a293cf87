import * as z from "zod/mini";
import { currencyDigits, decimalToMinor } from "../../types/money";
import { isValidIban, normalizeIban } from "./iban";

/**
 * The payment form's rules, one schema for the browser (instant messages with
 * JavaScript) and the server (the only check that counts). Written with
 * `zod/mini`, whose checks are functions a bundler can leave out when unused:
 * the same rules as full zod for about a tenth of its weight in the page's
 * JavaScript (docs/decisions/014). Server-only code keeps using `zod`.
 */
export const REFERENCE_MAX = 140;
export const NAME_MAX = 70;

export function paymentFormSchema(currency: string) {
  const digits = currencyDigits(currency);
  const amountShape = new RegExp(`^\\d+(\\.\\d{1,${Math.max(digits, 1)}})?$`);
  return z.object({
    creditorName: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, "Enter the recipient's name."),
        z.maxLength(NAME_MAX, `The recipient's name can be at most ${NAME_MAX} characters.`),
      ),
    creditorIban: z.pipe(
      z
        .string()
        .check(
          z.trim(),
          z.minLength(1, "Enter the recipient's IBAN."),
          z.refine(isValidIban, "Enter a valid IBAN, like GB82 WEST 1234 5698 7654 32."),
        ),
      z.transform(normalizeIban),
    ),
    amount: z.pipe(
      z
        .string()
        .check(
          z.trim(),
          z.minLength(1, "Enter an amount."),
          z.overwrite((value) => value.replace(/[\s,_]/g, "")),
          z.refine(
            (value) => amountShape.test(value) && (digits > 0 || !value.includes(".")),
            digits > 0 ? `Enter an amount like 12.50, with at most ${digits} decimals.` : "Enter a whole amount.",
          ),
        ),
      z
        .transform((value: string) => decimalToMinor(value, currency) ?? Number.NaN)
        .check(z.refine((minor) => Number.isSafeInteger(minor) && minor > 0, "The amount must be more than zero.")),
    ),
    remittanceInfo: z._default(
      z.string().check(z.trim(), z.maxLength(REFERENCE_MAX, `The reference can be at most ${REFERENCE_MAX} characters.`)),
      "",
    ),
  });
}

export type PaymentFormValues = z.output<ReturnType<typeof paymentFormSchema>>;
export type PaymentFormErrors = Partial<Record<"creditorName" | "creditorIban" | "amount" | "remittanceInfo" | "form", string>>;

/** Field → first message. */
export function paymentFormErrors(error: z.core.$ZodError): PaymentFormErrors {
  const errors: PaymentFormErrors = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (field === "creditorName" || field === "creditorIban" || field === "amount" || field === "remittanceInfo") {
      errors[field] ??= issue.message;
    }
  }
  return errors;
}
