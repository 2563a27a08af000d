import { describe, expect, it } from 'vitest';
import { byCodePoint, isLapsedOn, lapsedVisitDays, platesCell } from '../../src/domain/lapsed.js';

describe('lapsedVisitDays: the visit days that reach D after n calendar months (SPEC §6.4)', () => {
  it.each([
    ['2026-11-23', 6, ['2026-05-23']],
    ['2026-11-30', 6, ['2026-05-30', '2026-05-31']], // November has no 31st: 05-31 clamps to 11-30
    ['2026-11-29', 6, ['2026-05-29']],
    ['2026-02-28', 6, ['2025-08-28', '2025-08-29', '2025-08-30', '2025-08-31']],
    ['2028-02-29', 6, ['2027-08-29', '2027-08-30', '2027-08-31']], // leap year
    ['2028-02-28', 6, ['2027-08-28']], // not the month end in 2028
    ['2027-03-30', 1, []], // February has no 30th, and 02-28 + 1 month is 03-28
    ['2027-03-31', 1, []],
    ['2027-03-28', 1, ['2027-02-28']],
    ['2026-12-31', 6, []], // June has only 30 days: 06-30 + 6 months is 12-30
    ['2026-12-30', 6, ['2026-06-30']],
    ['2027-01-15', 12, ['2026-01-15']],
    ['2026-04-30', 2, []], // 02-28 + 2 months = 04-28
  ])('D = %s, %i months → %j', (day, months, expected) => {
    expect(lapsedVisitDays(day, months)).toEqual(expected);
    // the inverse really is the inverse: brute force over the two years before D
    const brute: string[] = [];
    for (let i = 0; i < 800; i++) {
      const v = new Date(Date.parse(day + 'T00:00:00Z') - i * 86_400_000).toISOString().slice(0, 10);
      if (isLapsedOn(v, day, months)) brute.unshift(v);
    }
    expect(brute).toEqual(expected);
  });
});

describe('plates and code-point order', () => {
  it('sorts plates by code point and joins them with ;', () => {
    expect(platesCell(['沪B12345', '京A12345', '京A02345'])).toBe('京A02345;京A12345;沪B12345');
    expect(platesCell([])).toBe('');
  });
  it('orders by code point, not UTF-16 unit (an astral character sorts after U+FFFF-range ones)', () => {
    expect(['𠀀', '\uFF21'].sort(byCodePoint)).toEqual(['\uFF21', '𠀀']);
    expect(['b', 'a', 'ab'].sort(byCodePoint)).toEqual(['a', 'ab', 'b']);
  });
});
