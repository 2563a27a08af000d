/**
 * The core SQL of each batch job (SPEC §8: a job should take at most 2× its core SQL run alone in the
 * sqlite3 shell). Where a job module exports its query (`SQL`, or `sql()` for arrears) that text is used,
 * so the benchmark follows the job; otherwise the query below is a copy of the one the job's data layer
 * runs (src/db/reports.ts, src/db/bookings.ts) — keep them in step when those change.
 * Parameters are written in as SQL literals for the shell.
 */
import { addDays, addMonths, dayRange, daysRange, isoWeek, monthOf, type Day } from '../src/domain/time.js';
import { CALLBACK_STATS_SQL, LAPSED_SQL, REVENUE_SQL } from '../src/db/reports.js';
import { NO_SHOW_CANDIDATES_SQL } from '../src/db/bookings.js';

type Value = string | number | null;

/** Replace `?`, `?N` and `$name` parameters by literals (the queries hold no `?` or `$` in strings). */
export function bindLiterals(sql: string, params: Value[] | Record<string, Value>): string {
  const lit = (v: Value | undefined) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);
  if (!Array.isArray(params)) return sql.replace(/\$([A-Za-z_]\w*)/g, (_, name: string) => lit(params[name] ?? params[`$${name}`]));
  let next = 0;
  return sql.replace(/\?(\d+)?/g, (_, n: string | undefined) => lit(params[n ? Number(n) - 1 : next++]));
}

async function exported(job: string, name: string, arg?: unknown): Promise<string | null> {
  try {
    const m = (await import(`../jobs/${job}.js`)) as Record<string, unknown>;
    const v = m[name];
    if (typeof v === 'string') return v;
    if (typeof v === 'function') return String((v as (a: unknown) => string)(arg));
  } catch {
    /* not available */
  }
  return null;
}

async function domain<T>(module: string, name: string): Promise<T | null> {
  try {
    const m = (await import(`../src/domain/${module}.js`)) as Record<string, unknown>;
    return (m[name] as T) ?? null;
  } catch {
    return null;
  }
}

/**
 * The shell may be an older SQLite than the one node-sqlite3 bundles (here 3.40 against 3.52):
 * `group_concat(x, sep ORDER BY …)` (3.44+) becomes a plain group_concat — the same work, unordered.
 */
export function forOlderShell(sql: string): string {
  return sql.replace(/group_concat\(([^()]*?)\s+ORDER BY[^()]*\)/gi, 'group_concat($1)');
}

async function liveMaintenanceSql(day: Day, tz: string): Promise<string | null> {
  try {
    const db = (await import('../src/db/reports.js')) as Record<string, unknown>;
    const app = (await import('../src/app/reports.js')) as Record<string, unknown>;
    const { Settings } = (await import('../src/domain/settings.js')) as { Settings: new (m: Map<string, string>) => unknown };
    const sql = db.MAINTENANCE_FACTS_SQL;
    const params = db.maintenanceParams as ((b: unknown) => Record<string, Value>) | undefined;
    const bounds = app.maintenanceBounds as ((s: unknown, tz: string, day: Day, maxMonths: number) => unknown) | undefined;
    if (typeof sql !== 'string' || !params || !bounds) return null;
    // The demo vehicles' longest own interval is 12 months.
    return bindLiterals(sql, params(bounds(new Settings(new Map()), tz, day, 12)));
  } catch {
    return null;
  }
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
    case 'appointment-reminders': {
      const sql = await exported(job, 'SQL');
      return sql && bindLiterals(sql, [tomorrow[0], tomorrow[1]]);
    }
    case 'preparation': {
      const sql = await exported(job, 'SQL');
      return sql && bindLiterals(sql, { start: tomorrow[0], end: tomorrow[1], repeatFrom: dayRange(addDays(day, 1 - 30), tz)[0] });
    }
    case 'callbacks': {
      const sql = await exported(job, 'SQL');
      return sql && bindLiterals(sql, { from: dayRange(addDays(day, -7), tz)[0], to: dayRange(addDays(day, -3), tz)[1], asOf: dEnd });
    }
    case 'arrears': {
      const sql = await exported(job, 'sql', false);
      return sql && bindLiterals(sql, { end: dEnd });
    }
    case 'maintenance-due': {
      return liveMaintenanceSql(day, tz);
    }
    case 'lapsed-customers': {
      const lapsedVisitDays = await domain<(d: Day, m: number) => Day[]>('lapsed', 'lapsedVisitDays');
      const days = lapsedVisitDays ? lapsedVisitDays(day, 6) : [addMonths(day, -6)];
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
