import { isUsFederalHoliday, usFederalHolidays } from './us-federal-holiday';

describe(usFederalHolidays.name, () => {
  it('lists the 11 holidays of 2026 with their observed dates', () => {
    expect(usFederalHolidays(2026).map((h) => h.observed)).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-10-12',
      '2026-11-11',
      '2026-11-26',
      '2026-12-25',
    ]);
  });

  it('has 9 holidays before MLK Day existed and 10 before Juneteenth', () => {
    expect(usFederalHolidays(1985)).toHaveLength(9);
    expect(usFederalHolidays(2020)).toHaveLength(10);
  });
});

describe(isUsFederalHoliday.name, () => {
  it.each([
    ['2021-12-31', true], // New Year 2022 on Saturday
    ['2022-01-01', false],
    ['2023-01-02', true], // New Year 2023 on Sunday
    ['2027-06-18', true], // Juneteenth 2027 on Saturday
    ['2026-07-04', false], // the Saturday itself is not the observed day
    ['2026-07-03', true],
    ['2026-11-27', false], // day after Thanksgiving is not federal
    ['2024-11-28', true],
    ['2024-11-29', false],
    ['2032-11-11', true],
    ['2100-12-24', true], // Christmas 2100 is a Saturday
  ])('%s → %s', (date, expected) => {
    expect(isUsFederalHoliday(date)).toBe(expected);
  });
});
