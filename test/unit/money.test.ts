import { describe, expect, it } from 'vitest';
import { divRoundHalfUp, formatYuan, laborAmount, parseScaled, parseYuan, partAmount } from '../../src/domain/money.js';

describe('parseYuan', () => {
  it.each([
    ['1234.5', 123450],
    ['1234.50', 123450],
    ['1234', 123400],
    ['0.01', 1],
    ['0', 0],
    ['¥88', 8800],
    ['88元', 8800],
    ['１２３４.５', 123450],
    [' 7.05 ', 705],
  ])('%s → %d cents', (text, cents) => expect(parseYuan('price', text)).toBe(cents));

  it.each(['1234.567', '1,234.50', '-5', '1e3', '', 'abc', '.5', '12.', '1234567890123'])('refuses %s naming the field', (text) => {
    expect(() => parseYuan('price', text)).toThrow(/invalid price/);
  });

  it('refuses zero when asked to', () => {
    expect(() => parseYuan('amount', '0.00', { allowZero: false })).toThrow(/more than 0/);
  });
});

describe('formatYuan', () => {
  it.each([
    [123450, '1234.50'],
    [5, '0.05'],
    [-5, '-0.05'],
    [0, '0.00'],
    [100, '1.00'],
    [-123456, '-1234.56'],
  ])('%d → %s', (cents, text) => expect(formatYuan(cents)).toBe(text));
});

describe('line amounts round half up to the cent', () => {
  it.each([
    // hours in hundredths × rate in cents per hour
    [150, 12000, 18000], // 1.5 h × 120.00
    [33, 12000, 3960], // 0.33 h × 120.00
    [1, 12345, 123], // 0.01 × 123.45 = 1.2345 → 1.23
    [1, 12350, 124], // 1.235 → 1.24 (half up)
    [3, 5, 0], // 0.0015 yuan → 0.00
    [10, 5, 1], // 0.005 yuan → 0.01
  ])('laborAmount(%d, %d) = %d', (hours, rate, cents) => expect(laborAmount(hours, rate)).toBe(cents));

  it.each([
    // quantity in thousandths × unit price in cents
    [1000, 4550, 4550],
    [2500, 333, 833], // 2.5 × 3.33 = 8.325 → 8.33
    [1500, 1, 2], // 1.5 × 0.01 = 0.015 → 0.02
    [333, 100, 33], // 0.333 × 1.00 = 0.333 → 0.33
    [500, 1, 1], // 0.005 → 0.01
  ])('partAmount(%d, %d) = %d', (qty, price, cents) => expect(partAmount(qty, price)).toBe(cents));

  it('divRoundHalfUp is exact beyond floating point', () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1);
    expect(divRoundHalfUp(4n, 10n)).toBe(0);
    expect(divRoundHalfUp(-5n, 10n)).toBe(-1);
    expect(divRoundHalfUp(9_007_199_254_740_993n, 1n)).toBe(9_007_199_254_740_992); // only the final Number rounds
  });
});

describe('parseScaled', () => {
  it.each([
    ['1.5', 2, 150],
    ['2', 3, 2000],
    ['0.125', 3, 125],
  ])('%s with %d decimals → %d', (text, decimals, value) => expect(parseScaled('qty', text, decimals)).toBe(value));

  it('refuses too many decimals and out-of-range values', () => {
    expect(() => parseScaled('hours', '1.555', 2)).toThrow(/invalid hours/);
    expect(() => parseScaled('hours', '0', 2, { min: 1 })).toThrow(/at least/);
    expect(() => parseScaled('hours', '100', 2, { max: 9999 })).toThrow(/at most/);
  });
});
