/**
 * Day counting as the rules define it (us-rules.md §0): calendar days count from the day after
 * the anchor and include day N; working days are Mon–Fri except observed US federal holidays;
 * nothing rolls forward; carrier claims also get a file-by date on the last business day on or
 * before the deadline. Anchors that are instants are first turned into the civil date in the
 * given zone (the ship-to zone).
 */
import { isUsBankHoliday, isUsFederalHoliday } from './us-federal-holiday';
import { isWeekend, type LocalDate, shiftDays, shiftMonths } from './local-date';
import { type DateInput, localDateOf } from './time-zone';

function anchorDate(anchor: DateInput, timeZone: string): LocalDate {
  return localDateOf(anchor, timeZone);
}

/** Mon–Fri and not an observed US federal holiday. */
export function isBusinessDay(date: LocalDate): boolean {
  return !isWeekend(date) && !isUsFederalHoliday(date);
}

/**
 * Last day of an `anchor + N cd` window. Example: `addCalendarDays('2026-03-02', 30)` →
 * `2026-04-01`; an instant anchor is dated in `timeZone` first.
 */
export function addCalendarDays(anchor: DateInput, days: number, timeZone = 'UTC'): LocalDate {
  return shiftDays(anchorDate(anchor, timeZone), days);
}

/**
 * `anchor + N wd`: the N-th working day after the anchor (the anchor itself never counts, even
 * if it is a working day). Example: `addWorkingDays('2026-11-20', 7)` → `2026-12-02`
 * (weekends and Thanksgiving 2026-11-26 skipped). N = 0 returns the anchor date.
 */
export function addWorkingDays(anchor: DateInput, days: number, timeZone = 'UTC'): LocalDate {
  return addCountedDays(anchorDate(anchor, timeZone), days, isBusinessDay);
}

/** Like {@link addWorkingDays} with Federal Reserve holidays ("banking business days"). */
export function addBankingDays(anchor: DateInput, days: number, timeZone = 'UTC'): LocalDate {
  return addCountedDays(anchorDate(anchor, timeZone), days, (d) => !isWeekend(d) && !isUsBankHoliday(d));
}

function addCountedDays(start: LocalDate, days: number, counts: (d: LocalDate) => boolean): LocalDate {
  if (!Number.isInteger(days)) throw new RangeError(`Day count must be an integer: ${days}`);
  const step = days < 0 ? -1 : 1;
  let date = start;
  for (let left = Math.abs(days); left > 0; ) {
    date = shiftDays(date, step);
    if (counts(date)) left--;
  }
  return date;
}

/** `anchor + N months` (same day of month, clamped to month end), for "within 9 months" claims. */
export function addCalendarMonths(anchor: DateInput, months: number, timeZone = 'UTC'): LocalDate {
  return shiftMonths(anchorDate(anchor, timeZone), months);
}

/**
 * The file-by date for a deadline that may fall on a weekend or holiday. Example:
 * `lastBusinessDayOnOrBefore('2026-07-04')` → `2026-07-02` (July 4 is a Saturday, observed Friday July 3).
 */
export function lastBusinessDayOnOrBefore(date: DateInput, timeZone = 'UTC'): LocalDate {
  let d = anchorDate(date, timeZone);
  while (!isBusinessDay(d)) d = shiftDays(d, -1);
  return d;
}

/** The first business day on or after a date. */
export function firstBusinessDayOnOrAfter(date: DateInput, timeZone = 'UTC'): LocalDate {
  let d = anchorDate(date, timeZone);
  while (!isBusinessDay(d)) d = shiftDays(d, 1);
  return d;
}
