import { describe, expect, it } from 'vitest';
import { TZDate } from '@date-fns/tz';
import {
  addDays, addMonths, dayRange, dayStart, daysBetween, formatClock, formatLocal, fromLocal, isDay, isoWeek, isoWeekday, isTimeZone,
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

  it('an unknown shop zone (stored by another tool) is an input error naming it', () => {
    for (const text of ['2026-11-23 09:30', '2026-11-23']) {
      expect(() => parseLocalDayOrTime('--now', text, 'Asia/Shangai')).toThrow(/invalid --now .*time zone "Asia\/Shangai" is not one this machine knows/);
    }
    expect(() => parseLocalDateTime('--now', '2026-11-23 25:00', 'Asia/Shangai')).toThrow(/expected an existing date and time/);
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

describe('shop-local conversion matches the zone database exactly (Intl, through TZDate)', () => {
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

const ZONES = [
  'Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Chatham',
  'Africa/Casablanca', 'Europe/Dublin', 'America/Havana', 'Asia/Tehran', 'America/Sao_Paulo', 'UTC', 'Etc/GMT-14',
];
const HOUR = 3_600_000;
const p2 = (n: number) => String(n).padStart(2, '0');

/** Run `fn` with the process's own zone set to `tz` (Node applies a change of process.env.TZ at once). */
function withMachineZone<T>(tz: string, fn: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    process.env.TZ = saved;
  }
}

type Wall = [y: number, m: number, d: number, h: number, mi: number];

/**
 * TZDate's readings of shop-local times, on a machine running in the shop's zone. On a machine in another
 * zone TZDate's choice for a time the clock shows twice depends on that machine zone (and it even moves
 * some existing times: see below), so the oracle is TZDate at home, where it reads wall times as `Date` does.
 */
function tzDatesAtHome(zone: string, walls: Wall[]): Array<{ ms: number; exists: boolean }> {
  return withMachineZone(zone, () =>
    walls.map(([y, m, d, h, mi]) => {
      const t = new TZDate(y, m - 1, d, h, mi, zone);
      return { ms: t.getTime(), exists: t.getHours() === h && t.getMinutes() === mi };
    }),
  );
}

function* days(from: string, to: string) {
  for (let day = from; day <= to; day = addDays(day, 1)) yield day;
}

const ymd = (day: string) => day.split('-').map(Number) as [number, number, number];
const iso = (ms: number) => new Date(ms).toISOString();

describe('local → UTC matches TZDate', () => {
  const all = [...days('2020-01-01', '2028-01-01')];

  it.each(ZONES)('%s: dayStart and dayRange of every day of 2020–2027, as TZDate gives them here and at home', (zone) => {
    const home = tzDatesAtHome(zone, all.map((day) => [...ymd(day), 0, 0]));
    const here = all.map((day) => new TZDate(ymd(day)[0], ymd(day)[1] - 1, ymd(day)[2], 0, 0, zone).getTime());
    const mismatches: string[] = [];
    for (let i = 0; i < all.length - 1; i++) {
      const [start, end] = dayRange(all[i]!, zone);
      if (dayStart(all[i]!, zone).getTime() !== here[i] || here[i] !== home[i]!.ms || start !== iso(here[i]!) || end !== iso(here[i + 1]!)) {
        mismatches.push(`${all[i]}: ${start} vs TZDate ${iso(here[i]!)} / at home ${iso(home[i]!.ms)}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it.each(ZONES)('%s: parseLocalDateTime at three times of every day of 2020–2027 and every 30 minutes of days with a change', (zone) => {
    const starts = tzDatesAtHome(zone, all.map((day) => [...ymd(day), 0, 0]));
    const walls: Wall[] = [];
    let changeDays = 0;
    for (let i = 0; i < all.length - 1; i++) {
      const change = starts[i + 1]!.ms - starts[i]!.ms !== 24 * HOUR;
      if (change) changeDays++;
      for (const minutes of change ? Array.from({ length: 48 }, (_, k) => k * 30) : [0, 570, 1410]) {
        walls.push([...ymd(all[i]!), Math.floor(minutes / 60), minutes % 60]);
      }
    }
    const expected = tzDatesAtHome(zone, walls);
    const mismatches: string[] = [];
    walls.forEach(([y, m, d, h, mi], i) => {
      const text = `${y}-${p2(m)}-${p2(d)} ${p2(h)}:${p2(mi)}`;
      const want = expected[i]!.exists ? iso(expected[i]!.ms) : 'gap';
      const local = fromLocal(y, m, d, h, mi, zone);
      let parsed: string;
      try {
        parsed = toIso(parseLocalDateTime('at', text, zone));
      } catch (e) {
        parsed = /that time does not exist in .+ \(daylight-saving change\)/.test(String(e)) ? 'gap' : String(e);
      }
      if (parsed !== want || (local ? local.toISOString() : 'gap') !== want) mismatches.push(`${text}: ${parsed} vs TZDate ${want}`);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    // the zones with daylight saving in these years do have change days to look at
    expect(changeDays > 0).toBe(!['Asia/Shanghai', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC', 'Etc/GMT-14'].includes(zone));
  });

  it.each([
    // midnight skipped: the day starts when the clock jumps to 01:00
    ['America/Havana', '2024-03-10', '2024-03-10T05:00:00.000Z', false],
    ['America/Santiago', '2024-09-08', '2024-09-08T04:00:00.000Z', false],
    ['America/Sao_Paulo', '2018-11-04', '2018-11-04T03:00:00.000Z', false],
    ['Asia/Beirut', '2024-03-31', '2024-03-30T22:00:00.000Z', false],
    // midnight shown twice (Havana goes back from 01:00 to 00:00): the first
    ['America/Havana', '2024-11-03', '2024-11-03T04:00:00.000Z', true],
  ])('%s: %s starts at %s', (zone, day, start, midnightExists) => {
    const [y, m, d] = ymd(day);
    expect(toIso(dayStart(day, zone))).toBe(start);
    expect(iso(new TZDate(y, m - 1, d, 0, 0, zone).getTime())).toBe(start);
    if (midnightExists) expect(toIso(parseLocalDateTime('at', `${day} 00:00`, zone))).toBe(start);
    else expect(() => parseLocalDateTime('at', `${day} 00:00`, zone)).toThrow(/does not exist/);
  });

  it.each(['America/Havana', 'America/Santiago', 'America/Sao_Paulo', 'Asia/Beirut', 'Asia/Tehran', 'Asia/Jerusalem'])(
    '%s: dayStart of every day 2000–2019, when midnight was skipped or shown twice more often',
    (zone) => {
      const old = [...days('2000-01-01', '2019-12-31')];
      const home = tzDatesAtHome(zone, old.map((day) => [...ymd(day), 0, 0]));
      const mismatches = old.filter((day, i) => dayStart(day, zone).getTime() !== home[i]!.ms);
      expect(mismatches.slice(0, 5)).toEqual([]);
    },
  );
});

describe('local → UTC does not depend on the machine zone (TZDate did)', () => {
  it('a time shown twice is its first showing, wherever the process runs', () => {
    // London goes back from 02:00 BST to 01:00 GMT on 2026-10-25
    for (const machine of ['America/New_York', 'Europe/London', 'Asia/Shanghai', 'UTC']) {
      expect(withMachineZone(machine, () => toIso(parseLocalDateTime('at', '2026-10-25 01:30', 'Europe/London')))).toBe('2026-10-25T00:30:00.000Z');
    }
    // @date-fns/tz 1.5.0: the first showing at home, the second from New York
    expect(tzDatesAtHome('Europe/London', [[2026, 10, 25, 1, 30]])[0]!.ms).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(new TZDate(2026, 9, 25, 1, 30, 'Europe/London').getTime()).toBe(Date.UTC(2026, 9, 25, 1, 30));
  });

  it('a time that exists is accepted, wherever the process runs', () => {
    // 02:30 exists in Havana on 2024-03-10 (its clocks went forward at 00:00), New York's do not show it
    for (const machine of ['America/New_York', 'America/Havana', 'UTC']) {
      expect(withMachineZone(machine, () => toIso(parseLocalDateTime('at', '2024-03-10 02:30', 'America/Havana')))).toBe('2024-03-10T06:30:00.000Z');
    }
    // @date-fns/tz 1.5.0 from New York moved it to 03:30, so the old code refused it
    expect(new TZDate(2024, 2, 10, 2, 30, 'America/Havana').getHours()).toBe(3);
  });

  it('a skipped time is refused, and its day starts after the jump, wherever the process runs', () => {
    for (const machine of ['America/New_York', 'Asia/Tokyo', 'Pacific/Kiritimati', 'UTC']) {
      withMachineZone(machine, () => {
        expect(() => parseLocalDateTime('at', '2026-03-29 01:30', 'Europe/London')).toThrow(/does not exist in Europe\/London \(daylight-saving change\)/);
        expect(fromLocal(2026, 10, 4, 2, 0, 'Australia/Lord_Howe')).toBeNull();
        expect(dayRange('2026-09-06', 'America/Santiago')).toEqual(['2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
      });
    }
  });
});
