import { formatMinor, isLocalDate, type Language } from '@app/returns';
import { TemplateError } from '../template.error';
import { isAbsent, type DateValue, type Instant, type ItemLine, type MerchantNames, type Money, type TimeWindow } from './template-param';

const cache = new Map<string, Intl.DateTimeFormat>();

function dtf(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
  return f;
}

const DATE_JA: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' };
const DATE_EN: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' };
const TIME_JA: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', hourCycle: 'h23' };
const TIME_EN: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit', hour12: true };

/**
 * Writes parameter values the way each language expects, in the customer's time zone:
 *
 * | value   | ja                                        | en                                  |
 * |---------|-------------------------------------------|-------------------------------------|
 * | date    | 2026年11月23日(月)                        | Mon, Nov 23, 2026                   |
 * | instant | 2026年11月23日(月) 9:00（米国太平洋時間） | Mon, Nov 23, 2026, 9:00 AM PST      |
 * | window  | 2026年11月23日(月) 9:00〜12:00（…）       | Mon, Nov 23, 2026, 9:00 AM–12:00 PM PST |
 * | money   | $12.34 / ¥1,234                           | $12.34 / ¥1,234                     |
 *
 * Money is written with the currency symbol in both languages so the amount reads exactly as on
 * the customer's receipt (`$12.34`, not `12.34ドル`); yen has no minor unit.
 *
 * @example
 * ```ts
 * const f = new Formatter('ja', 'America/Los_Angeles', 'tracking.on_time');
 * f.date('2026-11-23'); // '2026年11月23日(月)'
 * f.money({ amountMinor: 1234, currency: 'USD' }); // '$12.34'
 * ```
 */
export class Formatter {
  constructor(
    readonly language: Language,
    readonly timeZone: string,
    private readonly templateId: string,
  ) {}

  money(value: Money): string {
    return formatMinor(value.amountMinor, value.currency);
  }

  /** A calendar date as is; an instant as its date in the customer's zone. */
  date(value: DateValue): string {
    if (isLocalDate(value)) {
      // Noon UTC keeps the civil date the same whatever zone the formatter is given.
      const [y, m, d] = value.split('-').map(Number) as [number, number, number];
      return this.dateIn(new Date(Date.UTC(y, m - 1, d, 12)), 'UTC');
    }
    return this.dateIn(new Date(value), this.timeZone);
  }

  /** Date and time in the customer's zone, with the zone named. */
  dateTime(value: Instant): string {
    const at = new Date(value);
    if (this.language === 'ja') return `${this.dateIn(at, this.timeZone)} ${this.time(at)}（${this.zoneName(at)}）`;
    return `${this.dateIn(at, this.timeZone)}, ${this.time(at)} ${this.zoneName(at)}`;
  }

  /** A window; the date is written once when both ends fall on the same local day. */
  window(value: TimeWindow): string {
    const start = new Date(value.start);
    const end = new Date(value.end);
    const sameDay = this.dateIn(start, this.timeZone) === this.dateIn(end, this.timeZone);
    const from = `${this.dateIn(start, this.timeZone)}${this.language === 'ja' ? ' ' : ', '}${this.time(start)}`;
    const to = sameDay ? this.time(end) : `${this.dateIn(end, this.timeZone)}${this.language === 'ja' ? ' ' : ', '}${this.time(end)}`;
    if (this.language === 'ja') return `${from}〜${to}（${this.zoneName(end)}）`;
    return `${from}\u2013${to} ${this.zoneName(end)}`;
  }

  /** `value` hours later, for "wait until" times counted from a scan. */
  plusHours(value: Instant, hours: number): Date {
    return new Date(new Date(value).getTime() + hours * 3_600_000);
  }

  /** Item lines as list entries: `テーブルランプ（2点）` / `2 × Table lamp`. */
  lines(lines: readonly ItemLine[]): string[] {
    if (this.language === 'ja') return lines.map((l) => `${isAbsent(l.nameJa) ? l.name : l.nameJa}（${l.quantity}点）`);
    return lines.map((l) => `${l.quantity} \u00d7 ${l.name}`);
  }

  merchant(value: MerchantNames): string {
    return this.language === 'ja' ? value.nameJa : value.nameEn;
  }

  /**
   * A parameter a branch of the template needs although the schema cannot require it (a refund
   * amount when the remedy is a refund). Throws the same error as a missing schema parameter.
   */
  need<T>(value: T | null | undefined, name: string): T {
    if (isAbsent(value)) throw TemplateError.missing(this.templateId, name);
    return value as T;
  }

  private dateIn(at: Date, timeZone: string): string {
    const f = this.language === 'ja' ? dtf('ja-JP', timeZone, DATE_JA) : dtf('en-US', timeZone, DATE_EN);
    return f.format(at);
  }

  private time(at: Date): string {
    return (this.language === 'ja' ? dtf('ja-JP', this.timeZone, TIME_JA) : dtf('en-US', this.timeZone, TIME_EN)).format(at);
  }

  private zoneName(at: Date): string {
    // Japanese: the generic name (米国太平洋時間) reads naturally; English: the usual PST/PDT.
    const options: Intl.DateTimeFormatOptions =
      this.language === 'ja' ? { timeZoneName: 'longGeneric' } : { timeZoneName: 'short' };
    const locale = this.language === 'ja' ? 'ja-JP' : 'en-US';
    const part = dtf(locale, this.timeZone, options)
      .formatToParts(at)
      .find((x) => x.type === 'timeZoneName');
    return part?.value ?? this.timeZone;
  }
}
