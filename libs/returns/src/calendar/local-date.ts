/**
 * Civil dates (`YYYY-MM-DD`, no time, no zone). Every window in the rules is counted in whole
 * local days, so the engine converts instants to civil dates once (in the ship-to time zone)
 * and then does plain day arithmetic, which cannot drift across DST changes.
 */

/** A civil date `YYYY-MM-DD` in the ship-to time zone. Plain string so decisions stay JSON. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** Days since 1970-01-01 for a civil date. */
export function toDayNumber(date: LocalDate): number {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY);
}

/** The civil date for a day number (inverse of {@link toDayNumber}). */
export function fromDayNumber(dayNumber: number): LocalDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return formatYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function formatYmd(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function parseYmd(date: LocalDate): { year: number; month: number; day: number } {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: LocalDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Plain day shift on a civil date (no business-day logic). */
export function shiftDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * Same day-of-month N months later, clamped to the month's last day (2026-01-31 + 1 month →
 * 2026-02-28): "within 9 months after" ends on that day, and a month has no day 31 to spill into.
 */
export function shiftMonths(date: LocalDate, months: number): LocalDate {
  const { year, month, day } = parseYmd(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatYmd(y, m, Math.min(day, daysInMonth(y, m)));
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  // Zero-padded ISO dates sort lexically.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minLocalDate(...dates: LocalDate[]): LocalDate {
  return dates.reduce((m, d) => (d < m ? d : m));
}

export function maxLocalDate(...dates: LocalDate[]): LocalDate {
  return dates.reduce((m, d) => (d > m ? d : m));
}
