/**
 * What the calls recorded from a list (`pitstop contact record`, SPEC §13, §16) do to its next lists:
 * a row whose latest outcome keeps it off on day D (booked/declined/refused within the cooldown, or
 * `later` for a later day) is left out. The rows `later` brings back on D come from the list's own query.
 */
import type { JobContext } from './types.js';
import { latestContacts } from '../src/db/contacts.js';
import { cooldownOutcome } from '../src/domain/contacts.js';
import { dayStart, localDayCache, toIso, type Day } from '../src/domain/time.js';

/** A test of a row's contact subject: false when its latest outcome keeps it off the list on `day`. */
export async function contactAllows(ctx: Pick<JobContext, 'db' | 'tz'>, list: string, day: Day, cooldownDays: number): Promise<(subject: string) => boolean> {
  const latest = await latestContacts(ctx.db, list, toIso(dayStart(day, ctx.tz)));
  if (!latest.size) return () => true;
  const toDay = localDayCache(ctx.tz);
  return (subject) => {
    const c = latest.get(subject);
    if (!c) return true;
    return cooldownOutcome({ on: toDay(c.at), result: c.result, later_on: c.later_at ? toDay(c.later_at) : null }, day, cooldownDays) !== 'skip';
  };
}
