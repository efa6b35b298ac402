import { TemplateError } from '../template.error';
import { Formatter } from './formatter';

describe(Formatter.name, () => {
  const ja = new Formatter('ja', 'America/Los_Angeles', 'test.template');
  const en = new Formatter('en', 'America/Los_Angeles', 'test.template');

  it.each([
    [{ amountMinor: 1234, currency: 'USD' }, '$12.34'],
    [{ amountMinor: 5, currency: 'USD' }, '$0.05'],
    [{ amountMinor: 123456789, currency: 'USD' }, '$1,234,567.89'],
    [{ amountMinor: 1234, currency: 'JPY' }, '¥1,234'],
    [{ amountMinor: 0, currency: 'JPY' }, '¥0'],
  ])('writes %p as %s in both languages', (money, expected) => {
    expect(ja.money(money)).toBe(expected);
    expect(en.money(money)).toBe(expected);
  });

  it('writes a calendar date with its weekday, unshifted by the zone', () => {
    const tokyo = new Formatter('ja', 'Asia/Tokyo', 't');
    const honolulu = new Formatter('en', 'Pacific/Honolulu', 't');

    expect(ja.date('2026-11-23')).toBe('2026年11月23日(月)');
    expect(tokyo.date('2026-11-23')).toBe('2026年11月23日(月)');
    expect(en.date('2026-11-23')).toBe('Mon, Nov 23, 2026');
    expect(honolulu.date('2026-11-23')).toBe('Mon, Nov 23, 2026');
  });

  it('writes an instant as the date in the customer\u2019s zone', () => {
    // 05:00 UTC on the 24th is still the evening of the 23rd in Los Angeles.
    expect(ja.date('2026-11-24T05:00:00Z')).toBe('2026年11月23日(月)');
    expect(en.date(new Date('2026-11-24T05:00:00Z'))).toBe('Mon, Nov 23, 2026');
  });

  it('writes date and time with the zone named, across the DST change', () => {
    expect(ja.dateTime('2026-11-23T17:30:00Z')).toBe('2026年11月23日(月) 9:30（米国太平洋時間）');
    expect(en.dateTime('2026-11-23T17:30:00Z')).toBe('Mon, Nov 23, 2026, 9:30 AM PST');
    expect(en.dateTime('2026-07-01T17:30:00Z')).toBe('Wed, Jul 1, 2026, 10:30 AM PDT');
  });

  it('writes a same-day window with the date once', () => {
    const window = { start: '2026-11-24T17:00:00Z', end: '2026-11-24T21:00:00Z' };

    expect(ja.window(window)).toBe('2026年11月24日(火) 9:00〜13:00（米国太平洋時間）');
    expect(en.window(window)).toBe('Tue, Nov 24, 2026, 9:00 AM\u20131:00 PM PST');
  });

  it('writes both dates of a window that crosses midnight', () => {
    const window = { start: '2026-11-25T06:00:00Z', end: '2026-11-25T09:00:00Z' };

    expect(ja.window(window)).toBe('2026年11月24日(火) 22:00〜2026年11月25日(水) 1:00（米国太平洋時間）');
  });

  it('names items in Japanese where the shop has a Japanese name', () => {
    const lines = [
      { name: 'Cast-iron teapot', nameJa: '南部鉄器 急須', quantity: 1 },
      { name: 'Sencha 100 g', nameJa: null, quantity: 2 },
    ];

    expect(ja.lines(lines)).toEqual(['南部鉄器 急須（1点）', 'Sencha 100 g（2点）']);
    expect(en.lines(lines)).toEqual(['1 \u00d7 Cast-iron teapot', '2 \u00d7 Sencha 100 g']);
  });

  it('throws missing_param for a value a branch needs', () => {
    expect(() => ja.need(null, 'refundAmount')).toThrow(TemplateError);
    expect(() => ja.need('  ', 'refundAmount')).toThrow(/refundAmount/);
    expect(ja.need(0, 'count')).toBe(0);
  });
});
