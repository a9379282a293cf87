/**
 * Money is an integer count of the currency's minor unit plus its ISO 4217 code.
 * It stays an integer from the service edge until display: never a float.
 */
export interface Money {
  minor: number;
  currency: string;
}

// Building an Intl formatter costs far more than using one (it resolves locale
// data), and a page formats dozens of amounts: each is built once per locale and
// currency. The caches are bounded because locales come from upstream data.
const FORMAT_CACHE_LIMIT = 256;
const currencyFormats = new Map<string, Intl.NumberFormat>();
const digitsByCurrency = new Map<string, number>();

function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency });
    if (currencyFormats.size >= FORMAT_CACHE_LIMIT) currencyFormats.clear();
    currencyFormats.set(key, format);
  }
  return format;
}

/** Digits after the decimal point for a currency (2 for EUR, 0 for JPY). */
export function currencyDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = currencyFormat("en", currency).resolvedOptions().maximumFractionDigits ?? 2;
    if (digitsByCurrency.size >= FORMAT_CACHE_LIMIT) digitsByCurrency.clear();
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * "12345.67" → 1234567. Returns undefined for anything that is not a plain decimal
 * with at most the currency's number of fraction digits, or that exceeds safe integers.
 */
export function decimalToMinor(decimal: string, currency: string): number | undefined {
  const match = DECIMAL.exec(decimal.trim());
  if (!match) return undefined;
  const [, sign, whole = "0", fraction = ""] = match;
  const digits = currencyDigits(currency);
  if (fraction.length > digits) return undefined;
  const minor = Number(whole + fraction.padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) return undefined;
  return sign ? -minor : minor;
}

/** 1234567 → "12345.67": the plain decimal string upstream APIs expect. */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor).toString().padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
}

/** Locale-aware display, e.g. "€12,345.67". */
export function formatMoney(money: Money, locale: string): string {
  const digits = currencyDigits(money.currency);
  return currencyFormat(locale, money.currency).format(money.minor / 10 ** digits);
}
