/** firstDayReaching / lastDayWithin (maintenance-due's SQL bounds for the default interval) against brute force. */
import { describe, expect, it } from 'vitest';
import { firstDayReaching, lastDayWithin } from '../../src/domain/maintenance.js';
import { addDays, addMonths } from '../../src/domain/time.js';

describe('firstDayReaching / lastDayWithin', () => {
  const targets = ['2026-02-28', '2026-03-01', '2026-03-31', '2024-02-29', '2026-12-31', '2026-09-21', '2027-01-30'];
  it.each([1, 2, 3, 6, 11, 12, 13, 24, 60])('%i months: the first day reaching and the last day within the target', (months) => {
    for (const target of targets) {
      const first = firstDayReaching(target, months);
      expect(addMonths(first, months) >= target, `${target} ${first}`).toBe(true);
      expect(addMonths(addDays(first, -1), months) < target, `${target} ${first}`).toBe(true);
      const last = lastDayWithin(target, months);
      expect(addMonths(last, months) <= target, `${target} ${last}`).toBe(true);
      expect(addMonths(addDays(last, 1), months) > target, `${target} ${last}`).toBe(true);
      // and monotone around them: nothing before `first` reaches, nothing after `last` stays within
      for (let k = 1; k <= 40; k++) {
        expect(addMonths(addDays(first, -k), months) < target).toBe(true);
        expect(addMonths(addDays(last, k), months) > target).toBe(true);
      }
    }
  });
});
