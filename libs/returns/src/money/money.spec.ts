import fc from 'fast-check';
import { allocateMinor, assertMinor, formatMinor, percentOfMinor, prorateMinor } from './money';

describe(allocateMinor.name, () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [1000, [6000, 2000], [750, 250]],
    [0, [1, 2], [0, 0]],
    [5, [0, 0], [5, 0]],
    [7, [], []],
  ])('allocates %i over %j as %j', (total, weights, expected) => {
    expect(allocateMinor(total, weights)).toEqual(expected);
  });

  it('always adds back to the total and never goes negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        const parts = allocateMinor(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(parts.every((p) => p >= 0 && Number.isInteger(p))).toBe(true);
      }),
    );
  });
});

describe(percentOfMinor.name, () => {
  it.each([
    [1999, 1500, 300],
    [1000, 1000, 100],
    [1, 5000, 1], // half up
    [1, 4999, 0],
  ])('%i × %i bp → %i', (amount, bp, expected) => {
    expect(percentOfMinor(amount, bp)).toBe(expected);
  });
});

describe(prorateMinor.name, () => {
  it('shares an amount by quantity', () => {
    expect(prorateMinor(180, 1, 2)).toBe(90);
    expect(prorateMinor(181, 1, 2)).toBe(91);
    expect(prorateMinor(100, 0, 0)).toBe(0);
  });
});

describe(formatMinor.name, () => {
  it.each([
    [2350, 'USD', '$23.50'],
    [1200, 'JPY', '¥1,200'],
    [200, 'CAD', 'CA$2.00'],
  ])('%i %s → %s', (amount, currency, expected) => {
    expect(formatMinor(amount, currency)).toBe(expected);
  });
});

describe(assertMinor.name, () => {
  it('rejects fractions and negatives', () => {
    expect(() => assertMinor(1.5)).toThrow(RangeError);
    expect(() => assertMinor(-1)).toThrow(RangeError);
    expect(assertMinor(0)).toBe(0);
  });
});
