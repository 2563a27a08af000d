import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tzOffset } from '@date-fns/tz';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePosixTz, zoneDatabase } from '../../src/tzdb.js';
import { tempDir } from '../helpers.js';

const SYSTEM = '/usr/share/zoneinfo';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const ZONES = [
  'Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Chatham',
  'Africa/Casablanca', 'Europe/Dublin', 'America/Havana', 'Asia/Tehran', 'America/Sao_Paulo', 'UTC', 'Etc/GMT-14',
];

/** Intl's answer, the oracle (and what @date-fns/tz returned before). */
const intl = (zone: string, ms: number) => tzOffset(zone, new Date(ms));

/** What Intl throws for a zone name, to compare error with error. */
function intlError(zone: string): Error {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch (e) {
    return e as Error;
  }
  throw new Error(`Intl knows ${zone}`);
}

function mismatches(zone: string, offset: (ms: number) => number, instants: Iterable<number>): string[] {
  const out: string[] = [];
  for (const ms of instants) {
    if (offset(ms) !== intl(zone, ms)) out.push(`${zone} ${new Date(ms).toISOString()}: ${offset(ms)} vs Intl ${intl(zone, ms)}`);
  }
  return out;
}

function* every(step: number, fromYear: number, toYear: number) {
  for (let ms = Date.UTC(fromYear, 0, 1); ms < Date.UTC(toYear, 0, 1); ms += step) yield ms;
}

// ~6 days and a few hours, so the walk visits every hour of the day in turn
const SPARSE = 6 * DAY + 5 * HOUR + 7 * MIN;

/** A directory whose `tzif/…` names reach the system files but that Intl does not know: only the file can answer. */
function fileOnly(): (zone: string) => (ms: number) => number {
  const dir = tempDir('pitstop-tzdb-');
  symlinkSync(SYSTEM, join(dir, 'tzif'));
  const db = zoneDatabase(dir);
  return (zone) => db(`tzif/${zone}`);
}

/** A TZif version 2 file: UTC offsets (seconds) of its time types, transitions [seconds, type], footer. */
function tzif(footer: string, utoffs: number[] = [0], transitions: Array<[number, number]> = []): Buffer {
  const header = (time: number) => {
    const h = Buffer.alloc(44);
    h.write('TZif2', 0, 'latin1');
    h.writeUInt32BE(time, 32);
    h.writeUInt32BE(utoffs.length, 36);
    h.writeUInt32BE(1, 40);
    return h;
  };
  const types = Buffer.concat(utoffs.map((o) => { const b = Buffer.alloc(6); b.writeInt32BE(o); return b; }));
  const times = Buffer.alloc(transitions.length * 8);
  transitions.forEach(([t], i) => times.writeBigInt64BE(BigInt(t), i * 8));
  return Buffer.concat([
    header(0), types, Buffer.alloc(1), // version 1 block: no transitions, read past
    header(transitions.length), times, Buffer.from(transitions.map(([, type]) => type)), types, Buffer.alloc(1),
    Buffer.from(`\n${footer}\n`, 'latin1'),
  ]);
}

function dirWith(files: Record<string, Buffer | string>): string {
  const dir = tempDir('pitstop-tzdb-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const footerOf = (zone: string) => readFileSync(join(SYSTEM, zone), 'latin1').trimEnd().split('\n').at(-1)!;

describe.skipIf(!existsSync(join(SYSTEM, 'Asia/Shanghai')))('system TZif files agree with Intl', () => {
  const fromFile = fileOnly();

  it.each(ZONES)('%s, every 37 minutes over 2024–2027', (zone) => {
    expect(mismatches(zone, fromFile(zone), every(37 * MIN, 2024, 2028)).slice(0, 5)).toEqual([]);
  });

  it.each(ZONES)('%s, every ~6 days over 1970–2037 and 2038–2060 (the footer rule)', (zone) => {
    const offset = fromFile(zone);
    expect(mismatches(zone, offset, every(SPARSE, 1970, 2038)).slice(0, 5)).toEqual([]);
    expect(mismatches(zone, offset, every(SPARSE, 2038, 2061)).slice(0, 5)).toEqual([]);
  });

  it('answers in any order, not only walking forward', () => {
    const offset = fromFile('America/New_York');
    const instants = [...every(SPARSE, 2000, 2060)];
    // a fixed shuffle: every 7919th of them, wrapping
    const shuffled = instants.map((_, i) => instants[(i * 7919) % instants.length]!);
    expect(mismatches('America/New_York', offset, shuffled).slice(0, 5)).toEqual([]);
  });

  // What Debian's "slim" files leave to the footer: every change after the zone's last rule change.
  it.each([
    ['Asia/Shanghai', 1992], ['America/New_York', 2007], ['Europe/London', 1996], ['Australia/Lord_Howe', 2008], ['Asia/Kolkata', 1946],
    ['America/Santiago', 2023], ['Pacific/Chatham', 2008], ['Europe/Dublin', 1996], ['America/Havana', 2013], ['Asia/Tehran', 2023],
    ['America/Sao_Paulo', 2020], ['UTC', 1970], ['Etc/GMT-14', 1970], ['Asia/Jerusalem', 2013], ['America/Nuuk', 2024],
  ] as const)('%s from its footer alone, from %d to 2060', (zone, since) => {
    const offset = zoneDatabase(dirWith({ 'slim/zone': tzif(footerOf(zone)) }))('slim/zone');
    expect(mismatches(zone, offset, every(SPARSE, since, 2061)).slice(0, 5)).toEqual([]);
    expect(mismatches(zone, offset, every(37 * MIN, 2026, 2028)).slice(0, 5)).toEqual([]);
  });

  it('one function per zone, kept', () => {
    const db = zoneDatabase(SYSTEM);
    expect(db('Asia/Shanghai')).toBe(db('Asia/Shanghai'));
  });
});

describe('POSIX TZ strings (TZif footers)', () => {
  const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY;

  it('standard time only', () => {
    expect(parsePosixTz('CST-8')).toEqual({ std: 8 * 3600, dst: null });
    expect(parsePosixTz('<-03>3')).toEqual({ std: -3 * 3600, dst: null });
    expect(parsePosixTz('<+0545>-5:45')).toEqual({ std: 5 * 3600 + 45 * 60, dst: null });
    expect(parsePosixTz('UTC0')).toEqual({ std: 0, dst: null });
  });

  it('Mm.w.d rules, default 02:00 and one hour ahead', () => {
    const tz = parsePosixTz('EST5EDT,M3.2.0,M11.1.0')!;
    expect(tz.std).toBe(-5 * 3600);
    expect(tz.dst!.offset).toBe(-4 * 3600);
    expect([tz.dst!.start.day(2026), tz.dst!.start.time, tz.dst!.end.day(2026), tz.dst!.end.time]).toEqual([day(2026, 3, 8), 7200, day(2026, 11, 1), 7200]);
    // week 5 is the last such weekday, whether the month has four or five
    const eu = parsePosixTz('GMT0BST,M3.5.0/1,M10.5.0')!;
    expect([eu.dst!.start.day(2026), eu.dst!.end.day(2026), eu.dst!.start.day(2024), eu.dst!.end.day(2024)]).toEqual([
      day(2026, 3, 29), day(2026, 10, 25), day(2024, 3, 31), day(2024, 10, 27),
    ]);
    expect(parsePosixTz('<+1030>-10:30<+11>-11,M10.1.0,M4.1.0')!.dst!.offset).toBe(11 * 3600);
  });

  it('times past 24:00 and before 00:00 (RFC 8536)', () => {
    const il = parsePosixTz('IST-2IDT,M3.4.4/26,M10.5.0')!;
    expect([il.dst!.start.day(2026), il.dst!.start.time]).toEqual([day(2026, 3, 26), 26 * 3600]);
    expect(parsePosixTz('<-02>2<-01>,M3.5.0/-1,M10.5.0/0')!.dst!.start.time).toBe(-3600);
    expect(parsePosixTz('<-04>4<-03>,M9.1.6/24,M4.1.6/24')!.dst!.end.time).toBe(24 * 3600);
    expect(parsePosixTz('XXX3YYY,M3.2.0/-2:30,M11.1.0/167')!.dst!.start.time).toBe(-(2 * 3600 + 30 * 60));
  });

  it('Jn never counts 29 February; n counts it from zero', () => {
    const julian = parsePosixTz('AAA-1BBB,J60/0,J365/25')!.dst!;
    expect([julian.start.day(2024), julian.start.day(2026), julian.end.day(2024)]).toEqual([day(2024, 3, 1), day(2026, 3, 1), day(2024, 12, 31)]);
    const zero = parsePosixTz('AAA-1BBB,59,365')!.dst!;
    expect([zero.start.day(2024), zero.start.day(2026), zero.end.day(2024)]).toEqual([day(2024, 2, 29), day(2026, 3, 1), day(2024, 12, 31)]);
  });

  it.each(['', 'EST5EDT', 'EST', 'EST5EDT,M3.2.0', 'AA5', 'EST5EDT,J0,J365', 'EST5EDT,J1,J366', 'EST5EDT,0,366', 'EST5EDT,M13.1.0,M11.1.0',
    'EST5EDT,M3.6.0,M11.1.0', 'EST5EDT,M3.2.7,M11.1.0', 'EST5EDT,M3.2.0,M11.1.0,', '<EST5'])('refuses %j', (text) => {
    expect(parsePosixTz(text)).toBeNull();
  });

  describe('offsets a footer gives (a file with no transitions)', () => {
    const offsetOf = (footer: string) => zoneDatabase(dirWith({ 'rule/zone': tzif(footer) }))('rule/zone');

    it('Israel: Friday before the last Sunday of March at 02:00 is "Thursday 26:00"', () => {
      const il = offsetOf('IST-2IDT,M3.4.4/26,M10.5.0');
      // 2026-03-27 02:00 +02 = 00:00Z; back on 2026-10-25 02:00 +03 = 23:00Z the day before
      expect([il(Date.UTC(2026, 2, 27) - 1), il(Date.UTC(2026, 2, 27))]).toEqual([120, 180]);
      expect([il(Date.UTC(2026, 9, 24, 23) - 1), il(Date.UTC(2026, 9, 24, 23))]).toEqual([180, 120]);
    });

    it('Greenland: "Sunday −1:00" is Saturday 23:00', () => {
      const gl = offsetOf('<-02>2<-01>,M3.5.0/-1,M10.5.0/0');
      // 2026-03-28 23:00 −02 = 2026-03-29 01:00Z; back on 2026-10-25 00:00 −01 = 01:00Z
      expect([gl(Date.UTC(2026, 2, 29, 1) - 1), gl(Date.UTC(2026, 2, 29, 1))]).toEqual([-120, -60]);
      expect([gl(Date.UTC(2026, 9, 25, 1) - 1), gl(Date.UTC(2026, 9, 25, 1))]).toEqual([-60, -120]);
    });

    it('southern hemisphere and negative daylight saving: the year wraps', () => {
      const ie = offsetOf('IST-1GMT0,M10.5.0,M3.5.0/1');
      expect([ie(Date.UTC(2026, 0, 15)), ie(Date.UTC(2026, 6, 15)), ie(Date.UTC(2026, 11, 31, 23, 59))]).toEqual([0, 60, 0]);
      // summer (IST) from 2026-03-29 01:00Z to 2026-10-25 01:00Z
      expect([ie(Date.UTC(2026, 2, 29, 1) - 1), ie(Date.UTC(2026, 2, 29, 1)), ie(Date.UTC(2026, 9, 25, 1) - 1), ie(Date.UTC(2026, 9, 25, 1))])
        .toEqual([0, 60, 60, 0]);
    });

    it('Jn and n days', () => {
      // +01, +02 from 1 March 00:00 local (J60 never counts 29 February) until 31 December 24:00 local
      const j = offsetOf('AAA-1BBB,J60/0,J365/24');
      expect([j(Date.UTC(2024, 1, 29, 22, 59)), j(Date.UTC(2024, 1, 29, 23)), j(Date.UTC(2024, 11, 31, 21, 59)), j(Date.UTC(2024, 11, 31, 22))])
        .toEqual([60, 120, 120, 60]);
      // zero-based: day 59 is 29 February in a leap year
      const n = offsetOf('AAA-1BBB,59/0,300/0');
      expect([n(Date.UTC(2024, 1, 28, 22, 59)), n(Date.UTC(2024, 1, 28, 23)), n(Date.UTC(2025, 1, 28, 22, 59)), n(Date.UTC(2025, 1, 28, 23))])
        .toEqual([60, 120, 60, 120]);
    });

    it('daylight time all year (RFC 8536: `EST5EDT,0/0,J365/25`)', () => {
      const always = offsetOf('EST5EDT,0/0,J365/25');
      expect([...every(SPARSE, 2020, 2030)].every((ms) => always(ms) === -240)).toBe(true);
      expect(always(Date.UTC(2027, 0, 1, 5))).toBe(-240);
    });
  });
});

describe('TZif structure', () => {
  it('type 0 before the first transition, each transition’s type after, then the footer', () => {
    const t1 = Date.UTC(2000, 0, 1) / 1000;
    const t2 = Date.UTC(2010, 0, 1) / 1000;
    const db = zoneDatabase(dirWith({
      'T/footer': tzif('<+03>-3', [3600, 7200, 10_800], [[t1, 1], [t2, 2]]),
      'T/nofooter': tzif('', [3600, 7200, 10_800], [[t1, 1], [t2, 2]]),
      // LMT-style seconds: +0:44:30 → 45 minutes, −0:44:30 → −44 (Math.round)
      'T/seconds': tzif('', [2670, -2670], [[t1, 1]]),
    }));
    const at = (zone: string) => [t1 * 1000 - 1, t1 * 1000, t2 * 1000 - 1, t2 * 1000, Date.UTC(2050, 0, 1)].map(db(zone));
    expect(at('T/footer')).toEqual([60, 120, 120, 180, 180]);
    expect(at('T/nofooter')).toEqual([60, 120, 120, 180, 180]);
    expect([db('T/seconds')(0), db('T/seconds')(t1 * 1000)]).toEqual([45, -44]);
  });
});

describe('falls back to Intl', () => {
  const instants = [...every(SPARSE, 2020, 2030)];

  it('for a name that is not a plain path, even when it would reach a file', () => {
    const dir = dirWith({ 'zones/placeholder': 'x', evil: readFileSync(join(SYSTEM, 'Asia/Shanghai')) });
    const db = zoneDatabase(join(dir, 'zones'));
    for (const zone of ['../evil', 'Asia/../../evil', '/etc/evil', 'Asia//Shanghai', 'Asia/Shanghai/']) {
      expect(() => db(zone)).toThrow(intlError(zone));
    }
  });

  it('when the directory has no such file', () => {
    const db = zoneDatabase(tempDir('pitstop-tzdb-empty-'));
    for (const zone of ['Asia/Shanghai', 'America/New_York', 'Europe/Dublin', 'asia/shanghai']) {
      expect(mismatches(zone, db(zone), instants).slice(0, 5)).toEqual([]);
    }
    expect(() => db('Asia/Shanghia')).toThrow(intlError('Asia/Shanghia'));
    expect(() => db('')).toThrow(intlError(''));
  });

  it('when the file is not one it understands', () => {
    const ny = readFileSync(join(SYSTEM, 'America/New_York'));
    const db = zoneDatabase(dirWith({
      'America/New_York': 'not a zone file',
      'Europe/London': ny.subarray(0, 120), // truncated
      'Asia/Shanghai': tzif('CST-8CDT'), // a footer without its rule
      'Europe/Dublin': Buffer.concat([Buffer.from('TZif\0'), ny.subarray(5)]), // version 1 only
      'Asia/Tokyo/x': 'a directory where the zone should be',
    }));
    for (const zone of ['America/New_York', 'Europe/London', 'Asia/Shanghai', 'Europe/Dublin', 'Asia/Tokyo']) {
      expect(mismatches(zone, db(zone), instants).slice(0, 5)).toEqual([]);
    }
    expect(() => db('Nowhere/Zone')).toThrow(intlError('Nowhere/Zone'));
  });
});

describe('the default database', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('is $TZDIR when set', async () => {
    // Tokyo's file under Shanghai's name: only reading $TZDIR answers +09:00
    vi.stubEnv('TZDIR', dirWith({ 'Asia/Shanghai': readFileSync(join(SYSTEM, 'Asia/Tokyo')) }));
    vi.resetModules();
    const { offsetFn } = await import('../../src/tzdb.js');
    expect(offsetFn('Asia/Shanghai')(Date.UTC(2026, 0, 1))).toBe(540);
  });

  it('is /usr/share/zoneinfo otherwise, falling back to Intl', async () => {
    vi.stubEnv('TZDIR', '');
    vi.resetModules();
    const { offsetFn } = await import('../../src/tzdb.js');
    expect(offsetFn('Asia/Shanghai')(Date.UTC(2026, 0, 1))).toBe(480);
    expect(() => offsetFn('Asia/Shanghia')).toThrow(intlError('Asia/Shanghia'));
  });
});
