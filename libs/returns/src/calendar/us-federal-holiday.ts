/**
 * US federal holidays (5 U.S.C. 6103) for any year, with the observed-date rule federal
 * offices use: a Saturday holiday is observed the Friday before, a Sunday holiday the Monday
 * after. "Working days" in §0 of the rules exclude the observed dates.
 */
import { dayOfWeek, formatYmd, fromDayNumber, type LocalDate, parseYmd, toDayNumber } from './local-date';

/** One federal holiday in a year: its legal date and the date it is observed. */
export interface UsFederalHoliday {
  name: string;
  date: LocalDate;
  observed: LocalDate;
}

/** The n-th (1-based) given weekday of a month; n = -1 means the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): LocalDate {
  if (n > 0) {
    const first = formatYmd(year, month, 1);
    const offset = (weekday - dayOfWeek(first) + 7) % 7;
    return formatYmd(year, month, 1 + offset + (n - 1) * 7);
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = formatYmd(year, month, lastDay);
  const back = (dayOfWeek(last) - weekday + 7) % 7;
  return formatYmd(year, month, lastDay - back);
}

function observedDate(date: LocalDate): LocalDate {
  const dow = dayOfWeek(date);
  if (dow === 6) return fromDayNumber(toDayNumber(date) - 1);
  if (dow === 0) return fromDayNumber(toDayNumber(date) + 1);
  return date;
}

/**
 * The holidays whose legal date falls in `year`, in calendar order. The 1971 Monday-holiday
 * dates are used for every year; MLK Day starts in 1986 and Juneteenth in 2021.
 */
export function usFederalHolidays(year: number): UsFederalHoliday[] {
  const fixed = (name: string, month: number, day: number): UsFederalHoliday => {
    const date = formatYmd(year, month, day);
    return { name, date, observed: observedDate(date) };
  };
  const floating = (name: string, month: number, weekday: number, n: number): UsFederalHoliday => {
    const date = nthWeekday(year, month, weekday, n);
    return { name, date, observed: date };
  };
  const list: UsFederalHoliday[] = [fixed("New Year's Day", 1, 1)];
  if (year >= 1986) list.push(floating('Birthday of Martin Luther King, Jr.', 1, 1, 3));
  list.push(floating("Washington's Birthday", 2, 1, 3), floating('Memorial Day', 5, 1, -1));
  if (year >= 2021) list.push(fixed('Juneteenth National Independence Day', 6, 19));
  list.push(
    fixed('Independence Day', 7, 4),
    floating('Labor Day', 9, 1, 1),
    floating('Columbus Day', 10, 1, 2),
    fixed('Veterans Day', 11, 11),
    floating('Thanksgiving Day', 11, 4, 4),
    fixed('Christmas Day', 12, 25),
  );
  return list;
}

const observedByYear = new Map<number, Map<LocalDate, string>>();

/** Observed holiday dates that fall in `year`; includes next year's New Year's Day observed on Dec 31. */
function observedIn(year: number): Map<LocalDate, string> {
  let set = observedByYear.get(year);
  if (!set) {
    set = new Map();
    for (const y of [year - 1, year, year + 1]) {
      for (const h of usFederalHolidays(y)) {
        if (parseYmd(h.observed).year === year) set.set(h.observed, h.name);
      }
    }
    observedByYear.set(year, set);
  }
  return set;
}

/**
 * True when federal offices are closed for a holiday on `date` (observed date). Example:
 * `isUsFederalHoliday('2021-12-31')` is true (New Year's Day 2022 fell on a Saturday).
 */
export function isUsFederalHoliday(date: LocalDate): boolean {
  return observedIn(parseYmd(date).year).has(date);
}

/** The holiday's name when `date` is an observed federal holiday, else undefined. */
export function usFederalHolidayName(date: LocalDate): string | undefined {
  return observedIn(parseYmd(date).year).get(date);
}

/**
 * Federal Reserve banking holidays: the same list, but a holiday on a Saturday is not moved
 * to Friday (banks open), only a Sunday one to Monday. Used for "banking business days".
 */
export function isUsBankHoliday(date: LocalDate): boolean {
  const { year } = parseYmd(date);
  for (const y of [year, year + 1]) {
    for (const h of usFederalHolidays(y)) {
      const dow = dayOfWeek(h.date);
      if (dow === 6) continue;
      if ((dow === 0 ? observedDate(h.date) : h.date) === date) return true;
    }
  }
  return false;
}
