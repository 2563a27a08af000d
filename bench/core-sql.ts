/**
 * The core SQL of each batch job (SPEC §8: a job should take at most 2× its core SQL run alone in the
 * sqlite3 shell). Every statement is imported from the data layer the job runs it from (src/db/lists/…,
 * src/db/reports.ts, src/db/bookings.ts): the same text, never a copy. Parameters are written in as SQL
 * literals for the shell.
 */
import { addDays, addMonths, dayRange, daysRange, isoWeek, monthOf, type Day } from '../src/domain/time.js';
import { CALLBACK_STATS_SQL, LAPSED_SQL, MAINTENANCE_FACTS_SQL, maintenanceParams, REVENUE_SQL } from '../src/db/reports.js';
import { NO_SHOW_CANDIDATES_SQL } from '../src/db/bookings.js';
import { SQL as REMINDERS_SQL } from '../src/db/lists/appointment-reminders.js';
import { SQL as PREPARATION_SQL } from '../src/db/lists/preparation.js';
import { SQL as CALLBACKS_SQL } from '../src/db/lists/callbacks.js';
import { sql as arrearsSql } from '../src/db/lists/arrears.js';
import { maintenanceBounds } from '../src/domain/jobs/maintenance-due.js';
import { lapsedVisitDays } from '../src/domain/lapsed.js';
import { Settings } from '../src/domain/settings.js';

type Value = string | number | null;

/** Replace `?`, `?N` and `$name` parameters by literals (the queries hold no `?` or `$` in strings). */
export function bindLiterals(sql: string, params: Value[] | Record<string, Value>): string {
  const lit = (v: Value | undefined) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);
  if (!Array.isArray(params)) return sql.replace(/\$([A-Za-z_]\w*)/g, (_, name: string) => lit(params[name] ?? params[`$${name}`]));
  let next = 0;
  return sql.replace(/\?(\d+)?/g, (_, n: string | undefined) => lit(params[n ? Number(n) - 1 : next++]));
}

/**
 * The shell may be an older SQLite than the one node-sqlite3 bundles (here 3.40 against 3.52):
 * `group_concat(x, sep ORDER BY …)` (3.44+) becomes a plain group_concat — the same work, unordered.
 */
export function forOlderShell(sql: string): string {
  return sql.replace(/group_concat\(([^()]*?)\s+ORDER BY[^()]*\)/gi, 'group_concat($1)');
}

/** The core SQL of `job` for run date `day` at `now` (an instant), ready for the sqlite3 shell; null when unknown. */
export async function coreSql(job: string, day: Day, now: Date, tz: string): Promise<string | null> {
  const sql = await coreSqlOf(job, day, now, tz);
  return sql && forOlderShell(sql);
}

async function coreSqlOf(job: string, day: Day, now: Date, tz: string): Promise<string | null> {
  const [dStart, dEnd] = dayRange(day, tz);
  const tomorrow = dayRange(addDays(day, 1), tz);
  switch (job) {
    case 'appointment-reminders':
      return bindLiterals(REMINDERS_SQL, [tomorrow[0], tomorrow[1]]);
    case 'preparation':
      return bindLiterals(PREPARATION_SQL, { start: tomorrow[0], end: tomorrow[1], repeatFrom: dayRange(addDays(day, 1 - 30), tz)[0] });
    case 'callbacks':
      return bindLiterals(CALLBACKS_SQL, { from: dayRange(addDays(day, -7), tz)[0], to: dayRange(addDays(day, -3), tz)[1], asOf: dEnd });
    case 'arrears':
      return bindLiterals(arrearsSql(false), { end: dEnd });
    case 'maintenance-due':
      // The demo vehicles' longest own interval is 12 months.
      return bindLiterals(MAINTENANCE_FACTS_SQL, maintenanceParams(maintenanceBounds(new Settings(new Map()), tz, day, 12)));
    case 'lapsed-customers': {
      const days = lapsedVisitDays(day, 6);
      if (!days.length) return null;
      const [from, to] = daysRange(days[0]!, days[days.length - 1]!, tz);
      return bindLiterals(LAPSED_SQL, [from, to, dStart]);
    }
    case 'revenue-weekly': {
      const week = isoWeek(addDays(day, -7));
      return bindLiterals(REVENUE_SQL, daysRange(week.monday, week.sunday, tz));
    }
    case 'revenue-monthly':
    case 'callback-stats': {
      const month = monthOf(addMonths(`${day.slice(0, 7)}-01`, -1));
      return bindLiterals(job === 'callback-stats' ? CALLBACK_STATS_SQL : REVENUE_SQL, daysRange(month.first, month.last, tz));
    }
    case 'no-shows':
      return bindLiterals(NO_SHOW_CANDIDATES_SQL, [new Date(now.getTime() - 30 * 60_000).toISOString()]);
    default:
      return null;
  }
}
