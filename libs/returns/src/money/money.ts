/**
 * Money is an integer count of the currency's minor unit (cents for USD, yen for JPY), and
 * every name carries the unit (`refundMinor`). These helpers never produce fractions: splits
 * use the largest-remainder method so the parts always add back to the whole.
 */

/** Minor units per major unit for the currencies the desk sees; others default to 2 decimals. */
const MINOR_DIGITS: Readonly<Record<string, number>> = { JPY: 0, KRW: 0, USD: 2, CAD: 2, EUR: 2, GBP: 2, AUD: 2 };

/** Decimal places of a currency's minor unit (USD 2, JPY 0). */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

/** Throws unless `value` is a safe non-negative integer amount of minor units. */
export function assertMinor(value: number, name = 'amount'): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer of minor units, got ${value}`);
  }
  return value;
}

/** Sum of minor-unit amounts. */
export function sumMinor(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Clamp to [0, max]. */
export function clampMinor(value: number, maxMinor: number): number {
  return Math.max(0, Math.min(value, maxMinor));
}

/**
 * `amountMinor × basisPoints / 10 000`, rounded half up (1 bp = 0.01 %). Example:
 * `percentOfMinor(1999, 1500)` → 300 (15 % of $19.99 = $2.9985).
 */
export function percentOfMinor(amountMinor: number, basisPoints: number): number {
  return Math.floor((amountMinor * basisPoints + 5_000) / 10_000);
}

/** `amountMinor × numerator / denominator`, rounded half up; for pro-rata shares of one amount. */
export function prorateMinor(amountMinor: number, numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  return Math.floor((amountMinor * numerator * 2 + denominator) / (denominator * 2));
}

/**
 * Splits `totalMinor` in proportion to `weights` so the parts add up exactly (largest
 * remainder; ties go to the earlier weight). Example: `allocateMinor(100, [1, 1, 1])` → `[34, 33, 33]`.
 */
export function allocateMinor(totalMinor: number, weights: readonly number[]): number[] {
  const weightSum = sumMinor(weights);
  if (weights.length === 0) return [];
  if (weightSum <= 0) return weights.map((_, i) => (i === 0 ? totalMinor : 0));
  const parts = weights.map((w) => Math.floor((totalMinor * w) / weightSum));
  let left = totalMinor - sumMinor(parts);
  const order = weights
    .map((w, i) => ({ i, r: (totalMinor * w) % weightSum }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]! += 1;
  return parts;
}

/**
 * Human display of a minor amount, e.g. `formatMinor(2350, 'USD')` → `$23.50`,
 * `formatMinor(1200, 'JPY')` → `¥1,200`. Display only; never parse this back.
 */
const currencyFormats = new Map<string, Intl.NumberFormat>();

export function formatMinor(amountMinor: number, currency: string): string {
  const code = currency.toUpperCase();
  const digits = minorDigits(code);
  let f = currencyFormats.get(code);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits });
    currencyFormats.set(code, f);
  }
  return f.format(amountMinor / 10 ** digits);
}

/** Converts a whole-dollar (major unit) rule number into minor units of USD. */
export function usdToMinor(dollars: number): number {
  return Math.round(dollars * 100);
}
