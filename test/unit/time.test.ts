import { describe, expect, it } from 'vitest';
import {
  addDays, addMonths, dayRange, dayStart, daysBetween, formatClock, formatLocal, isDay, isoWeek, isoWeekday, isTimeZone,
  localDay, localMinutes, monthOf, parseClock, parseDay, parseIsoWeek, parseLocalDateTime, parseLocalDayOrTime, parseMonth, toIso,
} from '../../src/domain/time.js';

const SH = 'Asia/Shanghai';

describe('parseDay', () => {
  it.each(['2026-02-28', '2028-02-29', '2026-12-31', '２０２６-０１-０１'])('accepts %s', (d) => expect(isDay(parseDay('day', d))).toBe(true));
  it.each(['2026-02-30', '2026-02-29', '2100-02-29', '2026-13-01', '2026-00-10', '2026-1-5', '26-01-05', '2026/01/05', ''])(
    'refuses %s naming field and value',
    (d) => expect(() => parseDay('purchased', d)).toThrow(/invalid purchased/),
  );
});

describe('parseLocalDateTime (shop zone, whatever the process TZ)', () => {
  it('the test runs under a different TZ than the shop', () => {
    expect(process.env.TZ).toBe('America/New_York');
  });

  it.each([
    ['2026-11-23 09:30', SH, '2026-11-23T01:30:00.000Z'],
    ['2026-11-23 00:00', SH, '2026-11-22T16:00:00.000Z'],
    ['2026-11-23T07:05', SH, '2026-11-22T23:05:00.000Z'],
    ['2026-07-01 12:00', 'America/New_York', '2026-07-01T16:00:00.000Z'],
    ['2026-12-01 12:00', 'Europe/London', '2026-12-01T12:00:00.000Z'],
  ])('%s in %s → %s', (text, zone, iso) => {
    expect(toIso(parseLocalDateTime('at', text, zone))).toBe(iso);
  });

  it.each(['2026-02-30 10:00', '2026-11-23 24:00', '2026-11-23 10:60', '2026-11-23', '2026-11-23 9:30', 'tomorrow'])('refuses %s', (text) => {
    expect(() => parseLocalDateTime('--at', text, SH)).toThrow(/invalid --at/);
  });

  it('refuses a local time skipped by a daylight-saving change', () => {
    expect(() => parseLocalDateTime('at', '2026-03-08 02:30', 'America/New_York')).toThrow(/does not exist/);
  });

  it('a bare day means its start', () => {
    expect(toIso(parseLocalDayOrTime('from', '2026-11-23', SH))).toBe('2026-11-22T16:00:00.000Z');
  });
});

describe('instants back to the shop calendar', () => {
  it.each([
    ['2026-11-22T16:00:00.000Z', '2026-11-23', '2026-11-23 00:00', 0],
    ['2026-11-22T15:59:00.000Z', '2026-11-22', '2026-11-22 23:59', 1439],
    ['2026-11-23T09:30:00.000Z', '2026-11-23', '2026-11-23 17:30', 1050],
  ])('%s → %s', (iso, day, local, minutes) => {
    expect(localDay(iso, SH)).toBe(day);
    expect(formatLocal(iso, SH)).toBe(local);
    expect(localMinutes(new Date(iso), SH)).toBe(minutes);
  });

  it('day start and range', () => {
    expect(toIso(dayStart('2026-11-23', SH))).toBe('2026-11-22T16:00:00.000Z');
    expect(dayRange('2026-11-23', SH)).toEqual(['2026-11-22T16:00:00.000Z', '2026-11-23T16:00:00.000Z']);
    // a 23-hour day in New York
    expect(dayRange('2026-03-08', 'America/New_York')).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-11-23', 6, '2027-05-23'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-15', -13, '2024-12-15'],
  ])('addMonths(%s, %d) = %s', (day, n, expected) => expect(addMonths(day, n)).toBe(expected));

  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-08', 1, '2026-03-09'],
  ])('addDays(%s, %d) = %s', (day, n, expected) => expect(addDays(day, n)).toBe(expected));

  it('daysBetween counts calendar days, not hours', () => {
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
    expect(daysBetween('2026-11-23', '2026-11-16')).toBe(-7);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it.each([
    ['2026-11-23', 1],
    ['2026-11-29', 7],
    ['2027-01-01', 5],
  ])('isoWeekday(%s) = %d', (day, n) => expect(isoWeekday(day)).toBe(n));
});

describe('ISO weeks', () => {
  it.each([
    ['2026-12-28', '2026-W53', '2026-12-28', '2027-01-03'],
    ['2027-01-03', '2026-W53', '2026-12-28', '2027-01-03'],
    ['2027-01-04', '2027-W01', '2027-01-04', '2027-01-10'],
    ['2026-01-01', '2026-W01', '2025-12-29', '2026-01-04'],
    ['2024-12-30', '2025-W01', '2024-12-30', '2025-01-05'],
    ['2026-11-23', '2026-W48', '2026-11-23', '2026-11-29'],
  ])('isoWeek(%s) = %s', (day, key, monday, sunday) => {
    expect(isoWeek(day)).toEqual({ key, monday, sunday });
  });

  it.each([
    ['2026-W53', '2026-12-28'],
    ['2027-W01', '2027-01-04'],
    ['2026-w05', '2026-01-26'],
    ['2025-W01', '2024-12-30'],
  ])('parseIsoWeek(%s) starts %s', (text, monday) => expect(parseIsoWeek('week', text).monday).toBe(monday));

  it.each(['2027-W53', '2026-W00', '2026-W54', '2026-53', 'W05'])('parseIsoWeek refuses %s', (text) => {
    expect(() => parseIsoWeek('week', text)).toThrow(/invalid week/);
  });
});

describe('months and clocks', () => {
  it('parseMonth', () => {
    expect(parseMonth('month', '2026-02')).toEqual({ key: '2026-02', first: '2026-02-01', last: '2026-02-28' });
    expect(monthOf('2028-02-10').last).toBe('2028-02-29');
    expect(() => parseMonth('month', '2026-13')).toThrow(/invalid month/);
  });

  it('clock', () => {
    expect(parseClock('open', '08:30')).toBe(510);
    expect(formatClock(510)).toBe('08:30');
    expect(() => parseClock('open', '24:00')).toThrow(/invalid open/);
    expect(() => parseClock('open', '8:30')).toThrow(/invalid open/);
  });

  it('time zones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Asia/Shanghia')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('calendar arithmetic agrees with date-fns (the rule SPEC §6.4 names)', () => {
  it('addMonths matches date-fns addMonths for every day of 2023–2028 and -13…+13 months', async () => {
    const dateFns = await import('date-fns');
    const { TZDate } = await import('@date-fns/tz');
    const mismatches: string[] = [];
    for (let day = '2023-01-01'; day <= '2028-12-31'; day = addDays(day, 1)) {
      for (const n of [-13, -6, -1, 1, 2, 6, 12, 13]) {
        const [y, m, d] = day.split('-').map(Number);
        const theirs = dateFns.addMonths(new TZDate(y!, m! - 1, d!, 'UTC'), n);
        const expected = `${theirs.getFullYear()}-${String(theirs.getMonth() + 1).padStart(2, '0')}-${String(theirs.getDate()).padStart(2, '0')}`;
        if (addMonths(day, n) !== expected) mismatches.push(`${day} ${n}: ${addMonths(day, n)} vs ${expected}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('isoWeek matches date-fns getISOWeek / getISOWeekYear', async () => {
    const { getISOWeek, getISOWeekYear } = await import('date-fns');
    for (let day = '2020-12-20'; day <= '2027-01-10'; day = addDays(day, 1)) {
      const [y, m, d] = day.split('-').map(Number);
      const date = new Date(y!, m! - 1, d!, 12);
      expect(isoWeek(day).key).toBe(`${getISOWeekYear(date)}-W${String(getISOWeek(date)).padStart(2, '0')}`);
    }
  });
});

describe('shop-local conversion matches the zone database exactly (offsets cached per UTC day)', () => {
  it.each(['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'])('%s, every 37 minutes over two years', async (zone) => {
    const { TZDate } = await import('@date-fns/tz');
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const mismatches: string[] = [];
    for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 60_000) {
      const t = new TZDate(ms, zone);
      const expected = `${p(t.getFullYear(), 4)}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}`;
      const iso = new Date(ms).toISOString();
      if (formatLocal(iso, zone) !== expected || localDay(new Date(ms), zone) !== expected.slice(0, 10)
        || localMinutes(iso, zone) !== t.getHours() * 60 + t.getMinutes()) mismatches.push(`${iso}: ${formatLocal(iso, zone)} vs ${expected}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('daysBetween counts calendar days across month, year and leap-day boundaries', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2027-01-01', '2026-12-31')).toBe(-1);
    expect(daysBetween('2016-11-23', '2026-11-23')).toBe(3652);
  });
});
