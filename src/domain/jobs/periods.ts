/** Which run key a job run has: the run date for daily jobs, the reported period for the others. Pure. */
import type { Cadence, Period } from './types.js';
import { addDays, addMonths, isoWeek, monthOf, parseIsoWeek, parseMonth, type Day } from '../time.js';

export type { Cadence };

/** The ISO week before D's week. */
export function previousWeek(day: Day): Period {
  const w = isoWeek(addDays(isoWeek(day).monday, -7));
  return { key: w.key, first: w.monday, last: w.sunday };
}

/** The month before D's month. */
export function previousMonth(day: Day): Period {
  const m = monthOf(addMonths(monthOf(day).first, -1));
  return { key: m.key, first: m.first, last: m.last };
}

export function weekPeriod(text: string): Period {
  const w = parseIsoWeek('--week', text);
  return { key: w.key, first: w.monday, last: w.sunday };
}

export function monthPeriod(text: string): Period {
  const m = parseMonth('--month', text);
  return { key: m.key, first: m.first, last: m.last };
}

/** The period a weekly/monthly job reports when run on D without --week/--month; null for daily jobs. */
export function defaultPeriod(cadence: Cadence, day: Day): Period | null {
  if (cadence === 'weekly') return previousWeek(day);
  if (cadence === 'monthly') return previousMonth(day);
  return null;
}

export function runKeyOf(cadence: Cadence, day: Day): string {
  return defaultPeriod(cadence, day)?.key ?? day;
}
