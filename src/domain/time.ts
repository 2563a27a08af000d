/**
 * Days and times in the shop's zone; instants as UTC ISO text. Pure: nothing here reads the clock.
 * A "day" is a `YYYY-MM-DD` string in the shop's calendar; calendar arithmetic on days is done in UTC
 * where no zone can shift it.
 */
import { invalid } from './errors.js';
import { offsetFn } from './zone.js';

export type Day = string; // YYYY-MM-DD

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkDay(y: number, m: number, d: number): boolean {
  return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** A calendar date that exists: `2026-02-30` is refused. */
export function parseDay(field: string, text: string): Day {
  const s = String(text ?? '').normalize('NFKC').trim();
  const m = DAY_RE.exec(s);
  if (!m || !checkDay(+m[1]!, +m[2]!, +m[3]!)) throw invalid(field, text, 'expected an existing date YYYY-MM-DD');
  return s;
}

/**
 * The dates Chinese Excel and WPS write into a CSV — `2024/5/10`, `2024-5-10`, `2024年5月10日`,
 * `2024.5.10` — as `YYYY-MM-DD`; any other text is returned as it is, for parseDay to judge (and
 * refuse with its own message). An impossible date (`2024/2/30`) is not rewritten either.
 */
export function spreadsheetDay(text: string): string {
  const s = String(text ?? '').normalize('NFKC').trim();
  const m = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$/.exec(s);
  if (!m) return text;
  const sep = /年/.test(s) ? 'cn' : s.replace(/[^-/.]/g, '');
  if (sep !== 'cn' && sep[0] !== sep[1]) return text; // 2024-5/10
  if (sep === 'cn' && !/月/.test(s)) return text;
  if (sep !== 'cn' && s.endsWith('日')) return text;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isDay(day) ? day : text;
}

export function isDay(text: string): boolean {
  const m = DAY_RE.exec(text);
  return !!m && checkDay(+m[1]!, +m[2]!, +m[3]!);
}

/** `HH:mm` → minutes after midnight. */
export function parseClock(field: string, text: string): number {
  const s = String(text ?? '').normalize('NFKC').trim();
  const m = TIME_RE.exec(s);
  if (!m || +m[1]! > 23 || +m[2]! > 59) throw invalid(field, text, 'expected a time HH:mm, like 09:30');
  return +m[1]! * 60 + +m[2]!;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Shop-local `YYYY-MM-DD HH:mm` → the instant. Refuses times that do not exist in the zone. */
export function parseLocalDateTime(field: string, text: string, zone: string): Date {
  const s = String(text ?? '').normalize('NFKC').trim();
  const m = DATETIME_RE.exec(s);
  const [y, mo, d, h, mi] = m ? m.slice(1).map(Number) : [];
  if (!m || !checkDay(y!, mo!, d!) || h! > 23 || mi! > 59) {
    throw invalid(field, text, 'expected an existing date and time "YYYY-MM-DD HH:mm"');
  }
  checkZone(field, text, zone);
  const instant = fromLocal(y!, mo!, d!, h!, mi!, zone);
  if (!instant) throw invalid(field, text, `that time does not exist in ${zone} (daylight-saving change)`);
  return instant;
}

/** Parse either a day or a day and time; a bare day means its start. */
export function parseLocalDayOrTime(field: string, text: string, zone: string): Date {
  const s = String(text ?? '').normalize('NFKC').trim();
  if (!DAY_RE.test(s)) return parseLocalDateTime(field, s, zone);
  const day = parseDay(field, s);
  checkZone(field, text, zone);
  return dayStart(day, zone);
}

/**
 * `config set` refuses an unknown zone, but another tool can store one: reading input in it is then an
 * input error (exit 2) that names the zone, not an internal one.
 */
function checkZone(field: string, text: string, zone: string): void {
  try {
    offsetFn(zone);
  } catch {
    throw invalid(field, text, `the shop's time zone "${zone}" is not one this machine knows`);
  }
}

/** Instant → stored text, always `…Z` (PITFALLS.md: TZDate.toISOString gives +08:00). */
export function toIso(instant: Date): string {
  return new Date(instant.getTime()).toISOString();
}

const DAY_MS = 86_400_000;

/** Minutes east of UTC in `zone` at `ms`. */
function offsetAt(ms: number, zone: string): number {
  return offsetFn(zone)(ms);
}

/**
 * The instant of a shop-local wall time, given as the epoch ms its fields would have in UTC. A time the
 * clock shows twice (it goes back) is its first showing; a time it skips (it goes forward) is read with
 * the offset from before the change, so it lands as much later as the clock jumped. Both are how `Date`
 * reads the machine's own local time, and how TZDate read the shop's zone when the machine ran in it
 * (elsewhere TZDate's choice depended on the machine's zone: see time.test.ts).
 * Assumes the offset changes at most once within a day either side, true of every zone since 1900.
 */
function wallToInstant(wall: number, zone: string): number {
  const offset = offsetFn(zone);
  const before = offset(wall - DAY_MS);
  const after = offset(wall + DAY_MS);
  const early = wall - before * 60_000;
  if (offset(early) === before) return early;
  const late = wall - after * 60_000;
  return offset(late) === after ? late : early;
}

/** The instant of a shop-local date and time, or null when the clock skips it (a daylight-saving gap). */
export function fromLocal(year: number, month: number, day: number, hour: number, minute: number, zone: string): Date | null {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const ms = wallToInstant(wall, zone);
  return ms + offsetAt(ms, zone) * 60_000 === wall ? new Date(ms) : null;
}

/** The shop's wall clock at an instant, as `YYYY-MM-DDTHH:mm…` text. */
function wallClock(instant: Date | string, zone: string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(ms + offsetAt(ms, zone) * 60_000).toISOString();
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The shop-local day of an instant. */
export function localDay(instant: Date | string, zone: string): Day {
  return wallClock(instant, zone).slice(0, 10);
}

/**
 * localDay for many stored instants (`…THH:mm…Z` text), for jobs that convert one a row: the zone's
 * offset is looked up once per UTC day (at its start and end); when both agree no transition falls
 * inside and the local day is plain string arithmetic, without parsing or formatting a Date.
 */
export function localDayCache(zone: string): (instant: string) => Day {
  // minutes east of UTC at an instant (the zone files; no Intl start-up)
  const offsetMinutes = offsetFn(zone);
  const days = new Map<string, { offset: number; prev: Day; next: Day } | null>();
  return (instant: string) => {
    const utcDay = instant.slice(0, 10);
    let known = days.get(utcDay);
    if (known === undefined) {
      const start = Date.parse(`${utcDay}T00:00:00.000Z`);
      const offset = offsetMinutes(start);
      known = offset === offsetMinutes(start + DAY_MS - 60_000)
        ? { offset, prev: localDayOf(start - DAY_MS), next: localDayOf(start + DAY_MS) }
        : null;
      days.set(utcDay, known);
    }
    if (known === null || instant.length < 16) return localDay(instant, zone);
    // no offset change that UTC day: the local wall clock is the UTC one shifted by the offset
    const minutes = +instant.slice(11, 13) * 60 + +instant.slice(14, 16) + known.offset;
    return minutes < 0 ? known.prev : minutes >= 1440 ? known.next : utcDay;
  };
}

const localDayOf = (ms: number): Day => new Date(ms).toISOString().slice(0, 10);

/** The shop-local `YYYY-MM-DD HH:mm` of an instant. */
export function formatLocal(instant: Date | string, zone: string): string {
  const wall = wallClock(instant, zone);
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)}`;
}

/**
 * An instant as ISO 8601 with the shop's offset, `2026-11-03T10:00:00+08:00` (machine output: --json).
 * Seconds always, milliseconds only when there are some.
 */
export function formatIsoLocal(instant: Date | string, zone: string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const offset = offsetAt(ms, zone);
  const wall = new Date(ms + offset * 60_000).toISOString();
  const fraction = wall.slice(19, 23) === '.000' ? '' : wall.slice(19, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${wall.slice(0, 19)}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A stored instant (`YYYY-MM-DDTHH:mm:ss[.sss]Z`, the one form pitstop stores). */
export const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** Minutes after local midnight of an instant. */
export function localMinutes(instant: Date | string, zone: string): number {
  const wall = wallClock(instant, zone);
  return +wall.slice(11, 13) * 60 + +wall.slice(14, 16);
}

/** The instant a shop-local day starts: when midnight is skipped, the first instant of the day. */
export function dayStart(day: Day, zone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(wallToInstant(Date.UTC(y!, m! - 1, d!), zone));
}

/** [start, end) of a shop-local day as stored instant text, for range queries. */
export function dayRange(day: Day, zone: string): [string, string] {
  return [toIso(dayStart(day, zone)), toIso(dayStart(addDays(day, 1), zone))];
}

/** [start of `from`, start of the day after `to`) as stored instant text. */
export function daysRange(from: Day, to: Day, zone: string): [string, string] {
  return [toIso(dayStart(from, zone)), toIso(dayStart(addDays(to, 1), zone))];
}

function toUtc(day: Day): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!));
}

function fromUtc(date: Date): Day {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function addDays(day: Day, n: number): Day {
  const d = toUtc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return fromUtc(d);
}

/** Calendar months, the date-fns `addMonths` rule: a day past the month's end becomes its last day. */
export function addMonths(day: Day, n: number): Day {
  const [y, m, d] = day.split('-').map(Number);
  const total = y! * 12 + (m! - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d!, daysInMonth(year, month)))}`;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day. */
function dayNumber(day: Day): number {
  return Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / DAY_MS;
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: Day, b: Day): number {
  return dayNumber(b) - dayNumber(a);
}

/** ISO weekday, Monday 1 … Sunday 7. */
export function isoWeekday(day: Day): number {
  return toUtc(day).getUTCDay() || 7;
}

/** ISO week of a day: `2026-W53`, with its Monday and Sunday. */
export function isoWeek(day: Day): { key: string; monday: Day; sunday: Day } {
  const monday = addDays(day, 1 - isoWeekday(day));
  const thursday = addDays(monday, 3);
  const year = +thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return { key: `${year}-W${pad(week)}`, monday, sunday: addDays(monday, 6) };
}

/** `2026-W05` → its Monday and Sunday. */
export function parseIsoWeek(field: string, text: string): { key: string; monday: Day; sunday: Day } {
  const s = String(text ?? '').normalize('NFKC').trim().toUpperCase();
  const m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (m) {
    const jan4 = `${m[1]}-01-04`;
    const monday = addDays(addDays(jan4, 1 - isoWeekday(jan4)), (+m[2]! - 1) * 7);
    const week = isoWeek(monday);
    if (+m[2]! >= 1 && week.key === s) return week;
  }
  throw invalid(field, text, 'expected an ISO week YYYY-Www that exists, like 2026-W05');
}

/** `2026-10` → its first and last day. */
export function parseMonth(field: string, text: string): { key: string; first: Day; last: Day } {
  const s = String(text ?? '').normalize('NFKC').trim();
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  if (!m || +m[2]! < 1 || +m[2]! > 12) throw invalid(field, text, 'expected a month YYYY-MM');
  return monthOf(`${s}-01`);
}

export function monthOf(day: Day): { key: string; first: Day; last: Day } {
  const first = `${day.slice(0, 7)}-01`;
  return { key: day.slice(0, 7), first, last: addDays(addMonths(first, 1), -1) };
}

/**
 * Is this a time zone the runtime knows? (node-cron accepts a misspelt one and throws later.) Intl decides,
 * not the zone files: node-cron schedules through Intl, so the zone must be one Intl knows (and the files
 * include names Intl refuses, like `posixrules`); this runs when a setting is set or checked and when cron
 * starts, where ICU's start-up cost does not matter.
 */
export function isTimeZone(zone: string): boolean {
  if (!zone || /\s/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
