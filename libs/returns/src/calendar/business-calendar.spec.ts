import {
  addBankingDays,
  addCalendarDays,
  addCalendarMonths,
  addWorkingDays,
  isBusinessDay,
  lastBusinessDayOnOrBefore,
} from './business-calendar';

describe(addCalendarDays.name, () => {
  it.each([
    ['2026-03-02', 30, '2026-04-01'], // §0 example
    ['2026-03-02', 0, '2026-03-02'],
    ['2028-02-28', 1, '2028-02-29'], // leap day
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-31', -31, '2025-12-31'],
  ])('%s + %i cd → %s', (anchor, days, expected) => {
    expect(addCalendarDays(anchor, days)).toBe(expected);
  });

  it.each([
    // 03:00Z is still the previous evening on the US west coast, already morning in Tokyo.
    ['America/Los_Angeles', '2026-03-03T03:00:00Z', 1, '2026-03-03'],
    ['America/New_York', '2026-03-03T03:00:00Z', 1, '2026-03-03'],
    ['America/New_York', '2026-03-03T05:00:00Z', 1, '2026-03-04'],
    ['Asia/Tokyo', '2026-03-02T16:00:00Z', 1, '2026-03-04'],
    ['Pacific/Honolulu', '2026-03-03T09:59:00Z', 0, '2026-03-02'],
  ])('dates an instant in %s before counting (%s + %i)', (zone, instant, days, expected) => {
    expect(addCalendarDays(instant, days, zone)).toBe(expected);
  });
});

describe(addWorkingDays.name, () => {
  it.each([
    ['2026-11-20', 7, '2026-12-02'], // Friday; Thanksgiving 11-26 skipped
    ['2026-03-06', 1, '2026-03-09'], // Friday → Monday
    ['2026-03-07', 1, '2026-03-09'], // Saturday anchor does not count
    ['2026-03-09', 0, '2026-03-09'],
    ['2026-07-02', 1, '2026-07-06'], // July 4 (Sat) observed Fri 07-03
    ['2026-12-24', 1, '2026-12-28'], // Christmas Friday
    ['2021-12-30', 1, '2022-01-03'], // New Year 2022 (Sat) observed Fri 2021-12-31
    ['2026-01-16', 1, '2026-01-20'], // MLK Day 2026-01-19
    ['2026-03-09', -1, '2026-03-06'],
  ])('%s + %i wd → %s', (anchor, days, expected) => {
    expect(addWorkingDays(anchor, days)).toBe(expected);
  });

  it('rejects fractional counts', () => {
    expect(() => addWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
  });
});

describe(addBankingDays.name, () => {
  it('keeps a Friday open when the holiday falls on Saturday (Federal Reserve rule)', () => {
    expect(addBankingDays('2026-07-02', 1)).toBe('2026-07-03');
    expect(addWorkingDays('2026-07-02', 1)).toBe('2026-07-06');
  });

  it('moves a Sunday holiday to Monday', () => {
    expect(addBankingDays('2022-12-23', 1)).toBe('2022-12-27'); // Christmas 2022 on Sunday
  });
});

describe(lastBusinessDayOnOrBefore.name, () => {
  it.each([
    ['2026-07-04', '2026-07-02'], // Saturday, Friday observed holiday
    ['2026-05-02', '2026-05-01'], // Saturday
    ['2026-05-03', '2026-05-01'], // Sunday
    ['2026-05-04', '2026-05-04'], // Monday stays
    ['2027-01-01', '2026-12-31'], // Friday holiday
    ['2026-11-26', '2026-11-25'], // Thanksgiving
  ])('%s → %s', (date, expected) => {
    expect(lastBusinessDayOnOrBefore(date)).toBe(expected);
  });
});

describe(isBusinessDay.name, () => {
  it.each([
    ['2026-03-09', true],
    ['2026-03-07', false],
    ['2026-06-19', false],
    ['2020-06-19', true], // before Juneteenth became a federal holiday
  ])('%s → %s', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });
});

describe(addCalendarMonths.name, () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-05', 9, '2026-12-05'],
    ['2026-05-31', 9, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
  ])('%s + %i months → %s', (anchor, months, expected) => {
    expect(addCalendarMonths(anchor, months)).toBe(expected);
  });
});
