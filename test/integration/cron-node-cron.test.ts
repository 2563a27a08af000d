/**
 * Issue 11: our fire times (src/domain/jobs/cron.ts: `jobs list`, the catch-up, `jobs run due`) agree
 * with node-cron's own matcher — the code that fires `pitstop cron` — over a whole year of minutes,
 * for every default schedule and a set of awkward ones (daylight-saving gaps and repeats, leap days,
 * day-of-month with day-of-week, names, Sunday as 7, half-hour zones).
 *
 * node-cron's `match` costs ~30 µs a call (Intl), so a year of every minute (525 600) for each
 * expression would take minutes. node-cron's own parser says which minutes of the hour an expression
 * can fire on; every zone's offset is a multiple of 15 minutes, so a UTC minute whose minute-of-hour
 * is not ≡ one of those (mod 15) cannot match in any zone and is skipped. Every other minute of the
 * year is put to node-cron's matcher.
 */
import { describe, expect, it } from 'vitest';
import cron from 'node-cron';
import { firesBetween } from '../../src/domain/jobs/cron.js';
import { DEFAULT_SCHEDULES } from '../../src/domain/settings.js';
import '../../src/app/clock.js'; // the zone files, as the app uses them
import { checkSchedule } from '../../src/app/schedules.js';
import { PitstopError } from '../../src/errors.js';

const MINUTE = 60_000;

function nodeCronFires(expr: string, tz: string, from: number, to: number): number[] {
  const fields = cron.parse(expr);
  const residues = new Set(fields.minute.map((m) => m % 15));
  const task = cron.createTask(expr, () => {}, { timezone: tz });
  const out: number[] = [];
  try {
    for (let t = from; t < to; t += MINUTE) {
      if (!residues.has((t / MINUTE) % 15)) continue;
      if (task.match(new Date(t))) out.push(t);
    }
  } finally {
    void task.destroy();
  }
  return out;
}

function ourFires(expr: string, tz: string, from: number, to: number): number[] {
  return firesBetween(expr, new Date(from - 1), new Date(to - 1), tz).map((d) => d.getTime());
}

const YEAR_2026: [number, number] = [Date.UTC(2025, 11, 31, 0, 0), Date.UTC(2027, 0, 1, 0, 0)];
const LEAP_YEAR: [number, number] = [Date.UTC(2028, 0, 1, 0, 0), Date.UTC(2029, 0, 1, 0, 0)];

const defaults = [...new Set(Object.values(DEFAULT_SCHEDULES))].map((expr) => [expr, 'Asia/Shanghai', YEAR_2026] as const);
const awkward = [
  ['30 1 * * 0', 'America/New_York', YEAR_2026], // 01:30 happens twice on 2026-11-01
  ['30 2 * * *', 'America/New_York', YEAR_2026], // 02:30 does not happen on 2026-03-08
  ['0 2 * * *', 'Australia/Lord_Howe', YEAR_2026], // a 30-minute daylight-saving shift
  ['45 1 * * *', 'Europe/London', YEAR_2026],
  ['0 0 29 2 *', 'Asia/Shanghai', LEAP_YEAR],
  ['0 0 31 * *', 'Asia/Kolkata', YEAR_2026],
  ['0 9 1-7 * 1', 'Asia/Shanghai', YEAR_2026], // node-cron ANDs day-of-month and day-of-week
  ['15,45 */6 * * 1-5', 'Asia/Kathmandu', YEAR_2026],
  ['0 0 * * 7', 'Pacific/Chatham', YEAR_2026],
  ['0 12 * jan,jul sun', 'America/Santiago', YEAR_2026],
  ['5-59/20 8-10 * * *', 'Asia/Shanghai', YEAR_2026],
] as const;

describe('our fire times equal node-cron matcher over a year of minutes', () => {
  it.each([...defaults, ...awkward])('%s in %s', (expr, tz, [from, to]) => {
    const theirs = nodeCronFires(expr, tz, from, to);
    const ours = ourFires(expr, tz, from, to);
    expect(theirs.length).toBeGreaterThan(0);
    const show = (ms: number[]) => ms.slice(0, 3).map((t) => new Date(t).toISOString());
    const extra = ours.filter((t) => !theirs.includes(t));
    const missing = theirs.filter((t) => !ours.includes(t));
    expect({ extra: show(extra), missing: show(missing), n: ours.length }).toEqual({ extra: [], missing: [], n: theirs.length });
  }, 120_000);
});

describe('a schedule is checked with node-cron\'s own parser', () => {
  const now = new Date('2026-11-23T02:00:00.000Z');
  it.each(['0 17 * * *', '*/15 * * * *', '0 12 * jan,jul sun', '0 0 29 2 *'])('accepts %s', (expr) => {
    expect(checkSchedule('jobs.arrears.schedule', expr, now, 'Asia/Shanghai')).toBe(expr);
  });
  it.each([
    ['5/20 8-10 * * *', 'invalid expression for minute'], // our parser took it; node-cron does not
    ['59-0 * * * *', ''],
    ['0 0 31 2 *', 'impossible day of month'], // node-cron's own words
    ['0 0 30 2 *', 'impossible day of month'],
    ['0 0 29 2 1', 'never fires in the next five years'], // 29 February on a Monday: 2044
    ['0 0 0 * * *', ''], // six fields: node-cron reads seconds, our fire times do not
    ['nonsense', ''],
  ])('refuses %s (exit 2 naming the key)', (expr, why) => {
    let err: unknown;
    try {
      checkSchedule('jobs.arrears.schedule', expr, now, 'Asia/Shanghai');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PitstopError);
    expect((err as PitstopError).exitCode).toBe(2);
    expect((err as PitstopError).message).toContain('jobs.arrears.schedule');
    expect((err as PitstopError).message).toContain(why);
  });
});
