/**
 * Decimal strings ↔ integer cents. Balances are kept in integer cents so that
 * payments never meet floating-point rounding.
 */

const AMOUNT = /^(0|[1-9]\d{0,11})(?:\.(\d{1,2}))?$/;

/** "12.50" → 1250; "12" and "12.5" are accepted; anything else (sign, exponent, 3 decimals) → undefined. */
export function parseAmount(decimal: string): number | undefined {
  const match = AMOUNT.exec(decimal);
  if (!match) return undefined;
  const [, whole = "0", fraction = ""] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** 1234567 → "12345.67"; -150 → "-1.50". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
