/**
 * The core SQL of each batch job (SPEC §8: a job should take at most 2× its core SQL run alone in the
 * sqlite3 shell). Where a job module exports its query (`SQL`, or `sql()` for arrears) that text is used,
 * so the benchmark follows the job; otherwise the query below is a copy of the one the job's data layer
 * runs (src/db/reports.ts, src/db/bookings.ts) — keep them in step when those change.
 * Parameters are written in as SQL literals for the shell.
 */
import { addDays, addMonths, dayRange, daysRange, isoWeek, monthOf, type Day } from '../src/domain/time.js';

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

const MAINTENANCE_SQL = `WITH last_service AS (
  SELECT o.vehicle_id, max(o.delivered_at) AS service_at, o.mileage_in AS service_km
    FROM orders o
   WHERE o.delivered_at >= ?1 AND o.status = 'delivered' AND o.category = 'maintenance'
   GROUP BY o.vehicle_id
),
candidates AS (
  SELECT vehicle_id AS id, service_at, service_km FROM last_service
  UNION ALL
  SELECT v.id, NULL, NULL FROM vehicles v
   WHERE v.active = 1 AND coalesce(v.last_service_on, v.added_on) >= ?2
     AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.vehicle_id = v.id AND o.status = 'delivered' AND o.category = 'maintenance')
)
SELECT v.id, v.plate, v.model, v.initial_km, v.added_on, v.last_service_on, v.last_service_km,
       v.interval_km, v.interval_months, c.name AS customer_name, c.phone,
       k.service_at, k.service_km,
       (SELECT group_concat(r.opened_at || ' ' || r.mileage_in, ',') FROM orders r
         WHERE r.vehicle_id = v.id AND r.opened_at >= ?3 AND r.opened_at < ?4 AND r.status <> 'cancelled') AS readings,
       (SELECT l.opened_at || ' ' || l.mileage_in FROM orders l
         WHERE l.vehicle_id = v.id AND l.opened_at < ?4 AND l.status <> 'cancelled'
         ORDER BY l.opened_at DESC LIMIT 1) AS latest
  FROM candidates k
  JOIN vehicles v ON v.id = k.id
  JOIN customers c ON c.id = v.customer_id
 WHERE v.active = 1 AND c.do_not_contact = 0
   AND date(coalesce(substr(k.service_at, 1, 10), v.last_service_on, v.added_on),
            '+' || coalesce(v.interval_months, ?6) || ' months') >= ?7
   AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.vehicle_id = v.id AND o.status NOT IN ('delivered', 'cancelled'))
   AND NOT EXISTS (SELECT 1 FROM bookings bk WHERE bk.vehicle_id = v.id AND bk.scheduled_at >= ?5
                     AND bk.status IN ('booked', 'confirmed'))
   AND (?8 IS NULL OR NOT EXISTS (SELECT 1 FROM job_listings jl WHERE jl.job = 'maintenance-due'
                     AND jl.subject_id = v.id AND jl.run_key BETWEEN ?8 AND ?9))
 ORDER BY v.id`;

const LAPSED_SQL = `SELECT c.id, c.name, c.phone,
       (SELECT o.opened_at FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled'
         ORDER BY o.opened_at DESC, o.id DESC LIMIT 1) AS last_opened_at,
       (SELECT o.number FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled'
         ORDER BY o.opened_at DESC, o.id DESC LIMIT 1) AS last_order_number,
       (SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled') AS visits,
       (SELECT coalesce(sum(o.total_cents), 0) FROM orders o WHERE o.customer_id = c.id AND o.status = 'delivered') AS lifetime_spend_cents,
       (SELECT group_concat(v.plate, char(31)) FROM vehicles v WHERE v.customer_id = c.id AND v.active = 1) AS plates
  FROM customers c
 WHERE c.id IN (SELECT o.customer_id FROM orders o WHERE o.opened_at >= ?1 AND o.opened_at < ?2 AND o.status <> 'cancelled')
   AND c.do_not_contact = 0
   AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.opened_at >= ?2 AND o.status <> 'cancelled')
   AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = c.id AND b.scheduled_at >= ?3
                     AND b.status IN ('booked', 'confirmed'))`;

const REVENUE_SQL = `SELECT o.id, o.vehicle_id, o.category, v.model, s.name AS advisor,
       o.labor_cents, o.parts_cents, o.fees_cents, o.discount_cents,
       (SELECT coalesce(sum(p.amount_cents), 0) FROM payments p WHERE p.order_id = o.id AND p.paid_at < ?2) AS paid_cents
  FROM orders o
  JOIN vehicles v ON v.id = o.vehicle_id
  LEFT JOIN staff s ON s.id = o.advisor_id
 WHERE o.delivered_at >= ?1 AND o.delivered_at < ?2 AND o.status = 'delivered'
 ORDER BY o.delivered_at, o.id`;

const STATS_SQL = `SELECT o.id AS order_id, cb.result, cb.q1, cb.q2, cb.q3, cb.q4, cb.q5, cb.reason, cb.suggestion
  FROM orders o
  LEFT JOIN callbacks cb ON cb.order_id = o.id
 WHERE o.delivered_at >= ?1 AND o.delivered_at < ?2 AND o.status = 'delivered'
 ORDER BY o.id, cb.id`;

const NO_SHOWS_SQL = `SELECT id, status, scheduled_at FROM bookings
 WHERE status IN ('booked', 'confirmed') AND scheduled_at <= ?1 ORDER BY scheduled_at, id`;

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
      // The data layer exports its query and parameters (src/db/reports.ts); the copy below is the fallback.
      const live = await liveMaintenanceSql(day, tz);
      if (live) return live;
      const earliestCandidateService = await domain<(d: Day, o: number, m: number) => Day>('maintenance', 'earliestCandidateService');
      const earliestListableDue = await domain<(d: Day, o: number) => Day>('maintenance', 'earliestListableDue');
      const cooldownRunDays = await domain<(d: Day, c: number) => { from: Day; to: Day } | null>('maintenance', 'cooldownRunDays');
      // Defaults: overdue 60 days, interval 6 months (12 at most among the demo vehicles), cooldown 30 days.
      const serviceFrom = earliestCandidateService ? earliestCandidateService(day, 60, 12) : addDays(addMonths(day, -12), -62);
      const cooldown = cooldownRunDays ? cooldownRunDays(day, 30) : { from: addDays(day, -30), to: addDays(day, -1) };
      const minDue = addDays(earliestListableDue ? earliestListableDue(day, 60) : addDays(day, -60), -2);
      return bindLiterals(MAINTENANCE_SQL, [
        dayRange(serviceFrom, tz)[0], serviceFrom, dayRange(addDays(day, -365), tz)[0], dEnd, dStart, 6, minDue,
        cooldown?.from ?? null, cooldown?.to ?? null,
      ]);
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
      return bindLiterals(job === 'callback-stats' ? STATS_SQL : REVENUE_SQL, daysRange(month.first, month.last, tz));
    }
    case 'no-shows':
      return bindLiterals(NO_SHOWS_SQL, [new Date(now.getTime() - 30 * 60_000).toISOString()]);
    default:
      return null;
  }
}
