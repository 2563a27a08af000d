/** Lapsed customers (SPEC §6.4): latest visit + `lapsed.months` calendar months is exactly D. Pure. */
import { addDays, addMonths, type Day } from './time.js';

/** Is a customer whose latest visit was `lastVisit` lapsed on `day`? */
export function isLapsedOn(lastVisit: Day, day: Day, months: number): boolean {
  return addMonths(lastVisit, months) === day;
}

/**
 * Every visit day v with addMonths(v, months) = D, oldest first: the inverse of the rule, so the job
 * only looks at orders opened on these days. Usually one day; when D is the last day of its month,
 * every later day of the visit month clamps to it too (2026-05-30 and 2026-05-31 + 6 months are both
 * 2026-11-30; D = 2026-02-28 takes 2025-08-28 … 2025-08-31); none when D is not a month end and its
 * day does not exist in the visit month (D = 2026-09-30 is fine; D = 2027-03-30 with 1 month: none,
 * since February has no 30th and 02-28 + 1 month is 03-28).
 */
export function lapsedVisitDays(day: Day, months: number): Day[] {
  const first = addMonths(`${day.slice(0, 7)}-01`, -months);
  const days: Day[] = [];
  for (let v = first; v.slice(0, 7) === first.slice(0, 7); v = addDays(v, 1)) {
    if (isLapsedOn(v, day, months)) days.push(v);
  }
  return days;
}

/** Compare strings by Unicode code point (not UTF-16 unit, not locale). */
export function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Active plates, sorted, `;`-separated. */
export function platesCell(plates: readonly string[]): string {
  return [...plates].sort(byCodePoint).join(';');
}
