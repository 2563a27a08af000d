/**
 * Cron expressions as `pitstop cron` fires them (node-cron 4 semantics, five fields: minute hour
 * day-of-month month day-of-week; a time must match every field — node-cron ANDs day-of-month and
 * day-of-week). Pure: fire times are computed from a given instant in a given zone, so `jobs list` can
 * show the next run and the catch-up can list the missed ones without reading the clock.
 */
import { addDays, fromLocal, isoWeekday, localDay, type Day } from '../time.js';
import { offsetFn } from '../zone.js';

export interface CronSpec {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday … 6 = Saturday */
  daysOfWeek: Set<number>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function value(text: string, names: string[] | null, offset: number): number {
  const name = text.toLowerCase().slice(0, 3);
  if (names && /^[a-z]+$/i.test(text)) {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`unknown name "${text}"`);
    return i + offset;
  }
  if (!/^\d+$/.test(text)) throw new Error(`not a number "${text}"`);
  return Number(text);
}

function field(text: string, lo: number, hi: number, names: string[] | null = null, offset = 0): number[] {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^(\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:\/(\d+))?$/i.exec(item);
    if (!m) throw new Error(`invalid cron field "${text}"`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new Error(`invalid step in "${text}"`);
    let from = lo;
    let to = hi;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-');
      from = value(a!, names, offset);
      // `5/15` means from 5 to the end, every 15
      to = b !== undefined ? value(b, names, offset) : m[2] !== undefined ? hi : from;
    }
    if (from < lo || to > hi || from > to) throw new Error(`cron field "${text}" out of range ${lo}-${hi}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`a cron expression has 5 fields: "${expr}"`);
  const dow = field(parts[4]!, 0, 7, WEEKDAYS).map((d) => d % 7);
  return {
    minutes: field(parts[0]!, 0, 59),
    hours: field(parts[1]!, 0, 23),
    daysOfMonth: new Set(field(parts[2]!, 1, 31)),
    months: new Set(field(parts[3]!, 1, 12, MONTHS, 1)),
    daysOfWeek: new Set(dow),
  };
}

function dayMatches(spec: CronSpec, day: Day): boolean {
  const [, m, d] = day.split('-').map(Number);
  return spec.months.has(m!) && spec.daysOfMonth.has(d!) && spec.daysOfWeek.has(isoWeekday(day) % 7);
}

/**
 * The fire instants of one shop-local day, in order, as node-cron's matcher sees them: every instant
 * whose wall clock in the zone matches. A local time the clock skips (a daylight-saving gap) does not
 * fire; one it shows twice (the clock goes back) fires at both.
 */
function firesOn(spec: CronSpec, day: Day, tz: string): Date[] {
  if (!dayMatches(spec, day)) return [];
  const [y, m, d] = day.split('-').map(Number);
  const offset = offsetFn(tz);
  const out: Date[] = [];
  for (const h of spec.hours) {
    for (const mi of spec.minutes) {
      const t = fromLocal(y!, m!, d!, h, mi, tz);
      if (!t) continue;
      out.push(t);
      // the same wall time again under the offset in force after a change that day
      const wall = Date.UTC(y!, m! - 1, d!, h, mi);
      const again = wall - offset(wall + 86_400_000) * 60_000;
      if (again > t.getTime() && again + offset(again) * 60_000 === wall) out.push(new Date(again));
    }
  }
  return out.sort((a, b) => a.getTime() - b.getTime());
}

/** The first fire strictly after `after`, or null when the expression never fires (e.g. `0 0 30 2 *`). */
export function nextFire(expr: string | CronSpec, after: Date, tz: string): Date | null {
  const spec = typeof expr === 'string' ? parseCron(expr) : expr;
  let day = localDay(after, tz);
  // 8 years covers every leap-day and weekday combination
  for (let i = 0; i < 366 * 8; i++, day = addDays(day, 1)) {
    for (const t of firesOn(spec, day, tz)) if (t.getTime() > after.getTime()) return t;
  }
  return null;
}

/** Every fire in (from, to], in order. */
export function firesBetween(expr: string | CronSpec, from: Date, to: Date, tz: string): Date[] {
  const spec = typeof expr === 'string' ? parseCron(expr) : expr;
  const out: Date[] = [];
  const last = localDay(to, tz);
  for (let day = localDay(from, tz); day <= last; day = addDays(day, 1)) {
    for (const t of firesOn(spec, day, tz)) if (t.getTime() > from.getTime() && t.getTime() <= to.getTime()) out.push(t);
  }
  return out;
}
