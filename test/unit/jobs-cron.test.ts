import { describe, expect, it } from 'vitest';
import { firesBetween, nextFire, parseCron } from '../../src/domain/jobs/cron.js';
import { formatLocal, parseLocalDateTime } from '../../src/domain/time.js';
import { missedRuns } from '../../src/domain/jobs/catchup.js';
import { defaultPeriod, runKeyOf } from '../../src/domain/jobs/periods.js';

const SH = 'Asia/Shanghai';
const at = (text: string, tz = SH) => parseLocalDateTime('t', text, tz);
const local = (d: Date | null, tz = SH) => (d ? formatLocal(d, tz) : null);

describe('parseCron', () => {
  it('expands lists, ranges, steps and names', () => {
    const s = parseCron('*/15 9-17/4 1,15 jan-mar mon-fri');
    expect(s.minutes).toEqual([0, 15, 30, 45]);
    expect(s.hours).toEqual([9, 13, 17]);
    expect([...s.daysOfMonth]).toEqual([1, 15]);
    expect([...s.months]).toEqual([1, 2, 3]);
    expect([...s.daysOfWeek].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect(parseCron('5/20 * * * *').minutes).toEqual([5, 25, 45]);
  });
  it.each(['0 17 * *', '60 * * * *', '* 24 * * *', '0 0 0 * *', '*/0 * * * *', 'a b c d e'])('refuses %j', (e) => {
    expect(() => parseCron(e)).toThrow();
  });
});

describe('nextFire (shop zone, not the machine zone)', () => {
  it.each([
    // [schedule, now (Shanghai), next (Shanghai)]
    ['0 17 * * *', '2026-11-23 10:00', '2026-11-23 17:00'],
    ['0 17 * * *', '2026-11-23 17:00', '2026-11-24 17:00'], // strictly after
    ['0 17 * * *', '2026-11-23 17:01', '2026-11-24 17:00'],
    ['*/15 * * * *', '2026-11-23 10:07', '2026-11-23 10:15'],
    ['*/15 * * * *', '2026-11-23 23:50', '2026-11-24 00:00'],
    ['0 8 * * 1', '2026-11-23 10:00', '2026-11-30 08:00'], // 23rd is a Monday
    ['0 8 * * 1', '2026-11-22 23:59', '2026-11-23 08:00'],
    ['0 7 1 * *', '2026-12-15 00:00', '2027-01-01 07:00'],
    ['0 0 29 2 *', '2026-03-01 00:00', '2028-02-29 00:00'],
  ])('%s after %s → %s', (expr, now, next) => {
    expect(local(nextFire(expr, at(now), SH))).toBe(next);
  });

  it('never fires: null', () => {
    expect(nextFire('0 0 30 2 *', at('2026-01-01 00:00'), SH)).toBeNull();
  });

  it('skips a local time that does not exist (DST gap) and fires once per real hour', () => {
    const ny = 'America/New_York';
    // 2026-03-08 02:30 does not exist in New York
    expect(local(nextFire('30 2 * * *', at('2026-03-07 03:00', ny), ny), ny)).toBe('2026-03-09 02:30');
  });

  it('firesBetween is (from, to]', () => {
    const fires = firesBetween('0 9,17 * * *', at('2026-11-22 09:00'), at('2026-11-23 17:00'), SH).map((d) => local(d));
    expect(fires).toEqual(['2026-11-22 17:00', '2026-11-23 09:00', '2026-11-23 17:00']);
  });
});

describe('periods', () => {
  it.each([
    ['2026-11-23', 'weekly', '2026-W47'],
    ['2026-11-29', 'weekly', '2026-W47'], // Sunday of W48 reports W47
    ['2027-01-04', 'weekly', '2026-W53'],
    ['2026-11-01', 'monthly', '2026-10'],
    ['2026-01-15', 'monthly', '2025-12'],
    ['2026-11-23', 'daily', '2026-11-23'],
  ] as const)('%s %s → %s', (day, cadence, key) => {
    expect(runKeyOf(cadence, day)).toBe(key);
  });
  it('weekly period spans Monday to Sunday', () => {
    expect(defaultPeriod('weekly', '2026-11-23')).toEqual({ key: '2026-W47', first: '2026-11-16', last: '2026-11-22' });
    expect(defaultPeriod('monthly', '2026-03-10')).toEqual({ key: '2026-02', first: '2026-02-01', last: '2026-02-28' });
  });
});

describe('missedRuns (catch-up)', () => {
  const base = { tz: SH, now: at('2026-11-23 10:00') };
  it.each<[string, 'daily' | 'weekly' | 'monthly', string, string | null, string[]]>([
    // daily at 17:00, last ok 3 days ago: the 20th, 21st, 22nd fired since; today's 17:00 not yet
    ['daily, three missed days', 'daily', '0 17 * * *', '2026-11-19', ['2026-11-20', '2026-11-21', '2026-11-22']],
    ['daily, up to date', 'daily', '0 17 * * *', '2026-11-22', []],
    ['daily, today already fired', 'daily', '0 9 * * *', '2026-11-22', ['2026-11-23']],
    // last ok a month ago: only the last 7 days (fires after 11-16 10:00)
    ['daily, capped at 7 days', 'daily', '0 9 * * *', '2026-10-01', ['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']],
    ['daily, never ran: only the latest', 'daily', '0 17 * * *', null, ['2026-11-22']],
    ['weekly job: the missed week', 'weekly', '0 7 * * 1', '2026-W46', ['2026-W47']],
    ['weekly job: done', 'weekly', '0 7 * * 1', '2026-W47', []],
    ['monthly job: nothing fired in 7 days', 'monthly', '0 7 1 * *', '2026-09', []],
    ['daily job on a weekly schedule (arrears)', 'daily', '0 8 * * 1', '2026-11-16', ['2026-11-23']],
  ])('%s', (_name, cadence, schedule, lastOkKey, keys) => {
    expect(missedRuns({ ...base, cadence, schedule, lastOkKey }).map((m) => m.key)).toEqual(keys);
  });

  it('monthly job on the 3rd: last month is made up, keyed by the period, run on the fire day', () => {
    const missed = missedRuns({ tz: SH, now: at('2026-12-03 12:00'), cadence: 'monthly', schedule: '0 7 1 * *', lastOkKey: '2026-10' });
    expect(missed.map((m) => [m.key, m.day])).toEqual([['2026-11', '2026-12-01']]);
  });
});
