/**
 * IBAN check digits (ISO 13616, mod 97), so that demo IBANs are valid and
 * payments to a mistyped IBAN are refused as a real bank would.
 */

/** Remainder mod 97 of the IBAN's numeric form, computed in chunks to stay within safe integers. */
function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const char of alphanumeric) {
    const code = char.charCodeAt(0);
    const digits = code >= 65 && code <= 90 ? String(code - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** Builds a valid IBAN from a country code and a BBAN (upper-case letters and digits). */
export function makeIban(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, "0")}${bban}`;
}

/** Removes spaces and upper-cases, the forms people type IBANs in. */
export function normalizeIban(iban: string): string {
  return iban.replace(/\s+/g, "").toUpperCase();
}

/** True for a structurally valid IBAN with correct check digits (normalised input expected). */
export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  return mod97(`${iban.slice(4)}${iban.slice(0, 4)}`) === 1;
}
