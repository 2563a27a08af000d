/**
 * UTC offsets of IANA time zones read from the system's zone database — the TZif files (RFC 8536) that
 * glibc reads — so that a command pays neither for loading a time-zone library nor for V8 initialising
 * ICU's zone data on the first Intl call (together ~20 ms of a ~100 ms command). Intl answers only for a
 * zone whose file is missing, unreadable or not understood (no zone database on the machine, a name
 * that is not a plain path); Intl also refuses unknown zones with its RangeError.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { intlOffsets, type OffsetFn } from './domain/zone.js';

export type { OffsetFn };


/** An offset and the instants it holds for: [from, to). */
interface Span {
  from: number;
  to: number;
  offset: number;
}

const DAY_MS = 86_400_000;

/** Offsets in a zone file are in seconds; historical ones (local mean time) may keep their seconds. */
const minutes = (seconds: number) => Math.round(seconds / 60);

// ---------------------------------------------------------------------------------------------------
// POSIX TZ strings (the TZif footer), e.g. `EST5EDT,M3.2.0,M11.1.0`, `<+1030>-10:30<+11>-11,M10.1.0,M4.1.0`

/** A change between standard and daylight time: its day in a year (days since 1970-01-01) and local time. */
interface Change {
  day: (year: number) => number;
  /** seconds after the day's local midnight, in the time in force before the change (RFC 8536: −167…167 h) */
  time: number;
}

/** Offsets in seconds east of UTC; `dst` is null in a zone without daylight-saving time. */
export interface PosixTz {
  std: number;
  dst: { offset: number; start: Change; end: Change } | null;
}

const NAME = '(?:<[A-Za-z0-9+-]+>|[A-Za-z]{3,})';
const HMS = '[+-]?\\d{1,3}(?::\\d{1,2}){0,2}';
const DATE = '(?:J\\d{1,3}|\\d{1,3}|M\\d{1,2}\\.\\d\\.\\d)';
// zic always writes the rule when there is a daylight-saving name, so a string without one is not accepted
const POSIX_TZ = new RegExp(`^${NAME}(${HMS})(?:${NAME}(${HMS})?,(${DATE})(?:/(${HMS}))?,(${DATE})(?:/(${HMS}))?)?$`);

function hms(text: string): number {
  const [h = 0, m = 0, s = 0] = text.replace(/^[+-]/, '').split(':').map(Number);
  return (text.startsWith('-') ? -1 : 1) * (h * 3600 + m * 60 + s);
}

const dayNumber = (year: number, month0: number, day: number) => Date.UTC(year, month0, day) / DAY_MS;
const isLeap = (year: number) => dayNumber(year, 2, 1) - dayNumber(year, 1, 1) === 29;

/** `Jn` (1…365, never counting 29 February), `n` (0…365, counting it) or `Mm.w.d` (week 5 = the last). */
function dateRule(text: string): ((year: number) => number) | null {
  const julian = /^J(\d+)$/.exec(text);
  if (julian) {
    const n = +julian[1]!;
    return n >= 1 && n <= 365 ? (y) => dayNumber(y, 0, n) + (n >= 60 && isLeap(y) ? 1 : 0) : null;
  }
  if (/^\d+$/.test(text)) {
    const n = +text;
    return n <= 365 ? (y) => dayNumber(y, 0, n + 1) : null;
  }
  const [month, week, weekday] = text.slice(1).split('.').map(Number) as [number, number, number];
  if (month < 1 || month > 12 || week < 1 || week > 5 || weekday > 6) return null;
  return (y) => {
    const first = dayNumber(y, month - 1, 1);
    // 1970-01-01 was a Thursday (4)
    const day = first + ((weekday - ((first + 4) % 7) + 14) % 7) + (week - 1) * 7;
    return day < dayNumber(y, month, 1) ? day : day - 7;
  };
}

/** Parse a POSIX TZ string as RFC 8536 extends it; null when it is not one. */
export function parsePosixTz(text: string): PosixTz | null {
  const m = POSIX_TZ.exec(text);
  if (!m) return null;
  // POSIX offsets count west of UTC (and `0 -` keeps UTC0 from being −0)
  const east = (text: string) => 0 - hms(text);
  const std = east(m[1]!);
  if (m[3] === undefined) return { std, dst: null };
  const startDay = dateRule(m[3]);
  const endDay = dateRule(m[5]!);
  if (!startDay || !endDay) return null;
  const twoAm = 2 * 3600;
  return {
    std,
    dst: {
      offset: m[2] === undefined ? std + 3600 : east(m[2]),
      start: { day: startDay, time: m[4] === undefined ? twoAm : hms(m[4]) },
      end: { day: endDay, time: m[6] === undefined ? twoAm : hms(m[6]) },
    },
  };
}

/** The span of a POSIX TZ rule around `ms`. */
function ruleSpan(rule: PosixTz, ms: number): Span {
  const { std, dst } = rule;
  if (!dst) return { from: -Infinity, to: Infinity, offset: minutes(std) };
  const year = new Date(ms).getUTCFullYear();
  const at = (change: Change, y: number, before: number) => (change.day(y) * 86_400 + change.time - before) * 1000;
  // The changes of the years around `ms`, in order; the sort is stable, so when one year's end coincides
  // with the next year's start (`EST5EDT,0/0,J365/25`: daylight time all year) the start wins.
  const changes = [year - 1, year, year + 1]
    .flatMap((y) => [
      { at: at(dst.start, y, std), offset: dst.offset },
      { at: at(dst.end, y, dst.offset), offset: std },
    ])
    .sort((a, b) => a.at - b.at);
  const i = changes.findLastIndex((c) => c.at <= ms);
  return {
    from: changes[i]?.at ?? -Infinity,
    to: changes[i + 1]?.at ?? Infinity,
    offset: minutes(changes[i]?.offset ?? std),
  };
}

// ---------------------------------------------------------------------------------------------------
// TZif files

interface Tzif {
  /** transition instants, epoch ms, ascending */
  times: number[];
  /** minutes east of UTC from each transition on */
  offsets: number[];
  /** minutes east of UTC before the first transition (RFC 8536: time type 0) */
  initial: number;
  /** the footer: offsets after the last transition, or null to keep the last transition's offset */
  rule: PosixTz | null;
}

/**
 * The version 2+ part of a TZif file (64-bit times and the footer), after the version 1 block whose size
 * its header gives. Null for anything else: a version 1 file, leap-second (`right/`) data, a footer that
 * is not a POSIX TZ string, a truncated or inconsistent file.
 */
function parseTzif(buf: Buffer): Tzif | null {
  const counts = (at: number) => {
    if (buf.length < at + 44 || buf.toString('latin1', at, at + 4) !== 'TZif') return null;
    const [isut, isstd, leap, time, type, char] = [20, 24, 28, 32, 36, 40].map((o) => buf.readUInt32BE(at + o)) as number[];
    return { isut: isut!, isstd: isstd!, leap: leap!, time: time!, type: type!, char: char!, version: buf[at + 4]! };
  };
  const v1 = counts(0);
  if (!v1 || v1.version < 0x32) return null;
  const v2At = 44 + v1.time * 5 + v1.type * 6 + v1.char + v1.leap * 8 + v1.isstd + v1.isut;
  const h = counts(v2At);
  if (!h || h.leap > 0 || h.type === 0) return null;
  const timesAt = v2At + 44;
  const indexAt = timesAt + h.time * 8;
  const typesAt = indexAt + h.time;
  const footerAt = typesAt + h.type * 6 + h.char + h.leap * 12 + h.isstd + h.isut;
  const footerEnd = buf.indexOf(0x0a, footerAt + 1);
  if (footerEnd < 0 || buf[footerAt] !== 0x0a) return null;

  const utoff = (type: number) => minutes(buf.readInt32BE(typesAt + type * 6));
  const times: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < h.time; i++) {
    const type = buf[indexAt + i]!;
    if (type >= h.type) return null;
    times.push((buf.readInt32BE(timesAt + i * 8) * 2 ** 32 + buf.readUInt32BE(timesAt + i * 8 + 4)) * 1000);
    offsets.push(utoff(type));
  }
  const footer = buf.toString('latin1', footerAt + 1, footerEnd);
  const rule = footer ? parsePosixTz(footer) : null;
  if (footer && !rule) return null;
  return { times, offsets, initial: utoff(0), rule };
}

/** Index of the last transition at or before `ms`, −1 when there is none. */
function lastAtOrBefore(times: number[], ms: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function tzifSpan(zone: Tzif, ms: number): Span {
  const { times, offsets, rule } = zone;
  const i = lastAtOrBefore(times, ms);
  const last = times.length - 1;
  // RFC 8536: the footer covers the instants after the last transition, or all of them when there is none
  if (rule && i === last) {
    const span = ruleSpan(rule, ms);
    return last < 0 ? span : { ...span, from: Math.max(span.from, times[last]!) };
  }
  return {
    from: i < 0 ? -Infinity : times[i]!,
    to: i < last ? times[i + 1]! : Infinity,
    offset: i < 0 ? zone.initial : offsets[i]!,
  };
}

/**
 * Offsets from a parsed file. Callers ask about instants close together (the rows of one report), so the
 * span of the last answer is kept: most calls are two comparisons.
 */
function tzifOffsets(zone: Tzif): OffsetFn {
  let span: Span = { from: 0, to: 0, offset: 0 };
  return (ms) => {
    if (!(ms >= span.from && ms < span.to)) span = tzifSpan(zone, ms);
    return span.offset;
  };
}

// ---------------------------------------------------------------------------------------------------
// Intl, when there is no file to read

// ---------------------------------------------------------------------------------------------------

// Path segments as IANA names have them: nothing that could climb out of the directory
const ZONE_NAME = /^[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)*$/;

function readTzif(dir: string, zone: string): Tzif | null {
  if (!ZONE_NAME.test(zone)) return null;
  try {
    return parseTzif(readFileSync(join(dir, zone)));
  } catch {
    return null;
  }
}

/** `offsetFn` over the zone files of `dir`, one function per zone kept. */
export function zoneDatabase(dir: string): (zone: string) => OffsetFn {
  const zones = new Map<string, OffsetFn>();
  return (zone) => {
    let fn = zones.get(zone);
    if (!fn) {
      const tzif = readTzif(dir, zone);
      zones.set(zone, (fn = tzif ? tzifOffsets(tzif) : intlOffsets(zone)));
    }
    return fn;
  };
}

/** Minutes east of UTC in `zone`, from the zone database glibc uses (`$TZDIR`, else /usr/share/zoneinfo). */
export const offsetFn = zoneDatabase(process.env.TZDIR || '/usr/share/zoneinfo');
