import { decimalToMoney, moneyToDecimal } from './money';

describe(decimalToMoney.name, () => {
  it.each([
    ['8.20', 'USD', 820],
    ['0.00', 'USD', 0],
    ['100', 'USD', 10000],
    ['0.29', 'USD', 29],
    ['1.24995', 'USD', 125],
    ['1.005', 'USD', 101],
    ['-3.5', 'USD', -350],
    ['1200', 'JPY', 1200],
    [17.6, 'USD', 1760],
  ] as const)('%s %s → %i', (value, currency, minor) => {
    expect(decimalToMoney(value, currency)).toEqual({ amountMinor: minor, currency });
  });

  it('refuses what is not an amount', () => {
    expect(() => decimalToMoney('8,20', 'USD')).toThrow(RangeError);
    expect(() => decimalToMoney('1', 'XXX1')).toThrow(RangeError);
  });
});

describe(moneyToDecimal.name, () => {
  it.each([
    [10000, 'USD', '100.00'],
    [5, 'USD', '0.05'],
    [-350, 'USD', '-3.50'],
    [1200, 'JPY', '1200'],
  ] as const)('%i %s → %s', (minor, currency, text) => {
    expect(moneyToDecimal({ amountMinor: minor, currency })).toBe(text);
  });
});
