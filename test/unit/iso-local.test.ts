/** --json instants carry the shop's offset (SPEC §9): formatIsoLocal. */
import { describe, expect, it } from 'vitest';
import { formatIsoLocal, STORED_INSTANT } from '../../src/domain/time.js';

describe('formatIsoLocal', () => {
  it.each([
    ['2026-11-03T02:00:00.000Z', 'Asia/Shanghai', '2026-11-03T10:00:00+08:00'],
    ['2026-11-02T16:30:00.000Z', 'Asia/Shanghai', '2026-11-03T00:30:00+08:00'],
    ['2026-11-03T02:00:00.250Z', 'Asia/Shanghai', '2026-11-03T10:00:00.250+08:00'],
    ['2026-11-03T02:00:00.000Z', 'Asia/Kolkata', '2026-11-03T07:30:00+05:30'],
    ['2026-07-01T12:00:00.000Z', 'America/New_York', '2026-07-01T08:00:00-04:00'],
    ['2026-12-01T12:00:00.000Z', 'America/New_York', '2026-12-01T07:00:00-05:00'],
    ['2026-12-01T12:00:00.000Z', 'UTC', '2026-12-01T12:00:00+00:00'],
  ])('%s in %s → %s', (instant, zone, text) => {
    expect(formatIsoLocal(instant, zone)).toBe(text);
    expect(Date.parse(text)).toBe(Date.parse(instant));
  });

  it('recognizes stored instants only', () => {
    expect(STORED_INSTANT.test('2026-11-03T02:00:00.000Z')).toBe(true);
    expect(STORED_INSTANT.test('2026-11-03')).toBe(false);
    expect(STORED_INSTANT.test('2026-11-03 10:00')).toBe(false);
    expect(STORED_INSTANT.test('note: 2026-11-03T02:00:00.000Z')).toBe(false);
  });
});
