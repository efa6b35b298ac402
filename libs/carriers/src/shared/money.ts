import type { Money } from '../carrier.model';

/** Minor-unit exponent of an ISO 4217 currency (2 for USD, 0 for JPY), from the runtime's own tables. */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    throw new RangeError(`Unknown currency "${currency}"`);
  }
}

/**
 * Parses a carrier's decimal amount ("8.20", "1.24995", 100) into integer minor units, rounding half
 * away from zero. String arithmetic, so "0.29" never becomes 28 through a float.
 *
 * @example
 * ```ts
 * decimalToMoney('8.20', 'USD'); // { amountMinor: 820, currency: 'USD' }
 * ```
 */
export function decimalToMoney(value: string | number, currency: string): Money {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: "${String(value)}"`);
  const [, sign, whole, fraction = ''] = match;
  const exponent = currencyExponent(currency);
  const kept = fraction.slice(0, exponent).padEnd(exponent, '0');
  const roundUp = fraction.length > exponent && Number(fraction[exponent]) >= 5;
  const minor = Number(whole) * 10 ** exponent + Number(kept || '0') + (roundUp ? 1 : 0);
  return { amountMinor: sign === '-' && minor !== 0 ? -minor : minor, currency };
}

/**
 * Formats minor units as the decimal string carrier APIs expect.
 *
 * @example
 * ```ts
 * moneyToDecimal({ amountMinor: 10000, currency: 'USD' }); // "100.00"
 * ```
 */
export function moneyToDecimal(money: Money): string {
  const exponent = currencyExponent(money.currency);
  const abs = Math.abs(money.amountMinor);
  const whole = Math.floor(abs / 10 ** exponent);
  const fraction = exponent > 0 ? '.' + String(abs % 10 ** exponent).padStart(exponent, '0') : '';
  return `${money.amountMinor < 0 ? '-' : ''}${whole}${fraction}`;
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`Not a finite amount: ${n}`);
  // toFixed avoids exponent notation for the magnitudes money has.
  return Number.isInteger(n) ? String(n) : n.toFixed(10).replace(/0+$/, '');
}
