/**
 * The SQL of the period reports and of the maintenance-due and lapsed-customers lists (SPEC §6.3–6.6).
 * Each function takes the database first, reads only, and returns or streams typed rows; the rules
 * live in src/domain/ (maintenance, lapsed, revenue, callbackStats).
 */
import type { Db } from './sqlite.js';
import type { LapsedCustomer } from '../domain/jobs/lapsed-customers.js';
import type { MaintenanceBounds, MaintenanceContact, MaintenanceFacts } from '../domain/jobs/maintenance-due.js';
import { addDays } from '../domain/time.js';
import type { RevenueSums } from '../domain/revenue.js';
import type { CallbackTally } from '../domain/callbackStats.js';

// ---------------------------------------------------------------- maintenance-due (§6.3)

/** What the §6.3 rule needs to know about one vehicle (defined with the plan, src/domain/jobs/maintenance-due.ts). */
export type DbMaintenanceFacts = MaintenanceFacts;
export type DbMaintenanceContact = MaintenanceContact;
export type { MaintenanceBounds };

/** The facts and what the list shows about the vehicle (one row of MAINTENANCE_FACTS_SQL). */
export type DbMaintenanceCandidate = DbMaintenanceFacts & DbMaintenanceContact;

/** SQLite's julianday() of a day's midnight. */
const julianDay = (day: string) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / 86_400_000 + 2440587.5;

/** The largest service interval in months any vehicle has (its own or the default). */
export async function maxIntervalMonths(db: Db, defaultMonths: number): Promise<number> {
  const row = await db.get<{ m: number | null }>('SELECT max(interval_months) AS m FROM vehicles WHERE interval_months IS NOT NULL');
  return Math.max(defaultMonths, row?.m ?? 0);
}

const orNull = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);
const numOrNull = (v: string | undefined): number | null => (v === undefined || v === '' ? null : Number(v));

/** One `|`-joined facts text → its fields ('' is null). None of the fields can hold a `|`. */
export function parseFacts(text: string): DbMaintenanceFacts {
  const p = text.split('|');
  return {
    id: Number(p[0]),
    initial_km: numOrNull(p[1]),
    added_on: orNull(p[2])!,
    last_service_on: orNull(p[3]),
    last_service_km: numOrNull(p[4]),
    interval_km: numOrNull(p[5]),
    interval_months: numOrNull(p[6]),
    service_at: orNull(p[7]),
    service_km: numOrNull(p[8]),
    readings: orNull(p[9]),
  };
}

/**
 * The facts of every vehicle that may be on the maintenance-due list of D: active, owner contactable,
 * no open order, no booked/confirmed booking from D on, not listed in the cooldown, and a due date that
 * can fall in the window. The exact rule runs in JS (src/domain/maintenance.ts) on these rows; the SQL
 * only drops what cannot be listed, with margins for month-end clamping (SQLite's date() overflows
 * instead of clamping: never earlier) and for UTC vs shop-local days (±1):
 * - due by time ≥ D − overdue_days (due_on is never later than the due by time), and
 * - due by time ≤ D + lead_days, or the due by mileage can be: it is at least
 *   last service + interval_km ÷ (the fastest daily_km the readings allow: the default, or the km
 *   spread of the window's readings over their day spread less 2 days of UTC/local slack, at least 30).
 * The last delivered maintenance order comes from vehicles.last_maintenance_at/_km (kept by triggers on
 * orders), so the candidates are one pass over vehicles. Each row's facts are one `|`-joined text
 * (parseFacts): tens of thousands of rows cross into JS far faster as one column than as eleven; plate,
 * model, owner and phone (free text, may hold anything) come as their own columns.
 * CROSS JOIN pins the plan: without statistics SQLite might start from customers.
 */
export const MAINTENANCE_FACTS_SQL = `WITH dated AS (
       SELECT v.id, v.plate, v.model, v.last_maintenance_at AS service_at, v.last_maintenance_km AS service_km, v.customer_id, v.initial_km,
              v.added_on, v.last_service_on, v.last_service_km, v.interval_km AS own_km, v.interval_months AS own_months,
              coalesce(substr(v.last_maintenance_at, 1, 10), v.last_service_on, v.added_on) AS last_on,
              date(coalesce(substr(v.last_maintenance_at, 1, 10), v.last_service_on, v.added_on),
                   '+' || coalesce(v.interval_months, $defaultMonths) || ' months') AS time_due,
              coalesce(v.interval_km, $defaultKm) AS interval_km
         FROM vehicles v
        WHERE v.active = 1
          AND CASE WHEN v.last_maintenance_at IS NOT NULL THEN v.last_maintenance_at >= $serviceFromAt
                   ELSE coalesce(v.last_service_on, v.added_on) >= $serviceFromDay END
     ),
     possible AS (
       SELECT * FROM dated d
        WHERE CASE WHEN d.own_months IS NULL THEN d.last_on >= $lastOnMin ELSE d.time_due >= $timeDueMin END
          AND (CASE WHEN d.own_months IS NULL THEN d.last_on <= $lastOnTimeMax ELSE d.time_due <= $timeDueMax END
               OR CASE WHEN d.own_km IS NULL THEN d.last_on <= $lastOnMileMax
                       ELSE julianday(d.last_on) - 1 + d.interval_km * 1.0 / max($defaultDaily, 0.000001) <= $dueToJd END
               OR julianday(d.last_on) - 1 + d.interval_km * 1.0 / max($defaultDaily,
                    coalesce((SELECT (max(x.km) - min(x.km)) / max(30.0, max(x.jd) - min(x.jd) - 2) FROM (
                        SELECT r.mileage_in AS km, julianday(substr(r.opened_at, 1, 10)) AS jd FROM orders r
                         WHERE r.vehicle_id = d.id AND r.opened_at >= $windowStart AND r.opened_at < $dayEnd AND r.status <> 'cancelled'
                        UNION ALL SELECT d.initial_km, julianday(d.added_on) WHERE d.initial_km IS NOT NULL AND d.added_on BETWEEN $windowFrom AND $day
                        UNION ALL SELECT d.last_service_km, julianday(d.last_service_on) WHERE d.last_service_km IS NOT NULL AND d.last_service_on BETWEEN $windowFrom AND $day) x), 0),
                    0.000001) <= $dueToJd)
     )
     SELECT p.id || '|' || coalesce(p.initial_km, '') || '|' || p.added_on || '|' || coalesce(p.last_service_on, '')
            || '|' || coalesce(p.last_service_km, '') || '|' || coalesce(p.own_km, '') || '|' || coalesce(p.own_months, '')
            || '|' || coalesce(p.service_at, '') || '|' || coalesce(p.service_km, '')
            || '|' || coalesce((SELECT group_concat(r.opened_at || ' ' || r.mileage_in, ',') FROM orders r
                  WHERE r.vehicle_id = p.id AND r.opened_at >= $windowStart AND r.opened_at < $dayEnd AND r.status <> 'cancelled'),
                (SELECT l.opened_at || ' ' || l.mileage_in FROM orders l
                  WHERE l.vehicle_id = p.id AND l.opened_at < $dayEnd AND l.status <> 'cancelled'
                  ORDER BY l.opened_at DESC LIMIT 1), '') AS f,
            p.plate, p.model, c.name AS customer_name, c.phone
       FROM possible p
       CROSS JOIN customers c ON c.id = p.customer_id
      WHERE c.do_not_contact = 0 AND c.no_calls = 0 AND c.phone_bad_at IS NULL
        AND (p.id NOT IN (SELECT jl.subject_id FROM job_listings jl
                           WHERE jl.job = 'maintenance-due' AND jl.run_key BETWEEN $cooldownFrom AND $cooldownTo)
             -- a customer who asked to be called again on D is listed on D, cooldown or not (SPEC §16)
             OR p.id IN (SELECT cl.vehicle_id FROM contact_log cl
                          WHERE cl.list = 'maintenance-due' AND cl.result = 'later' AND cl.later_at >= $dayStart AND cl.later_at < $dayEnd))
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.vehicle_id = p.id AND o.status NOT IN ('delivered', 'cancelled'))
        AND p.id NOT IN (SELECT bk.vehicle_id FROM bookings bk WHERE bk.scheduled_at >= $dayStart AND bk.status IN ('booked', 'confirmed'))`;

/** The named parameters of MAINTENANCE_FACTS_SQL. */
export function maintenanceParams(b: MaintenanceBounds): Record<string, string | number | null> {
  return {
    $serviceFromAt: b.serviceFromAt, $serviceFromDay: b.serviceFromDay, $defaultMonths: b.defaultIntervalMonths,
    $defaultKm: b.defaultIntervalKm, $defaultDaily: b.defaultDailyKm,
    $timeDueMin: addDays(b.dueFrom, -2), $timeDueMax: addDays(b.dueTo, 5), $dueToJd: julianDay(b.dueTo),
    $windowStart: b.windowStart, $windowFrom: b.windowFrom, $day: b.day, $dayStart: b.dayStart, $dayEnd: b.dayEnd,
    $cooldownFrom: b.cooldownFrom, $cooldownTo: b.cooldownTo,
    $lastOnMin: b.lastOnMin, $lastOnTimeMax: b.lastOnTimeMax, $lastOnMileMax: b.lastOnMileMax,
  };
}

/** One row of MAINTENANCE_FACTS_SQL: the facts text (parseFacts) and what the list shows about the vehicle. */
export interface DbMaintenanceRow {
  f: string;
  plate: string;
  model: string | null;
  customer_name: string;
  phone: string;
}

/**
 * The candidates, streamed a page at a time: node-sqlite3 steps the statement on its worker thread
 * while the caller applies the rule to the rows already delivered, so the two overlap.
 */
export function maintenanceCandidates(db: Db, b: MaintenanceBounds): AsyncGenerator<DbMaintenanceRow[]> {
  return db.pages<DbMaintenanceRow>(MAINTENANCE_FACTS_SQL, maintenanceParams(b) as Record<string, string | number | null>);
}

/** A candidate row's facts and contact fields as one object. */
export function candidateOf(r: DbMaintenanceRow): DbMaintenanceCandidate {
  const facts = parseFacts(r.f) as DbMaintenanceCandidate;
  facts.plate = r.plate;
  facts.model = r.model;
  facts.customer_name = r.customer_name;
  facts.phone = r.phone;
  return facts;
}

// ---------------------------------------------------------------- list conversion (§13)

/**
 * Per calling list, for the days `firstDay`…`lastDay` ([from, to) as instants): rows its successful runs
 * listed (job_runs), subjects called (contact_log), of them reached (someone answered: any result but
 * no_answer and wrong_number), and of them with a booking made within 14 days after the call.
 */
export async function listConversion(db: Db, lists: readonly string[], from: string, to: string, firstDay: string, lastDay: string) {
  const out: Array<{ list: string; rows: number; contacted: number; reached: number; booked: number }> = [];
  for (const list of lists) {
    const r = await db.get<{ rows: number; contacted: number; reached: number; booked: number }>(
      `SELECT
         (SELECT coalesce(sum(rows), 0) FROM job_runs WHERE job = $list AND status = 'ok' AND run_key BETWEEN $first AND $last) AS rows,
         (SELECT count(DISTINCT subject) FROM contact_log WHERE list = $list AND at >= $from AND at < $to) AS contacted,
         (SELECT count(DISTINCT subject) FROM contact_log WHERE list = $list AND at >= $from AND at < $to AND result NOT IN ('no_answer', 'wrong_number')) AS reached,
         (SELECT count(DISTINCT c.subject) FROM contact_log c
           WHERE c.list = $list AND c.at >= $from AND c.at < $to
             AND EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = c.customer_id AND b.created_at >= c.at
                           AND julianday(b.created_at) <= julianday(c.at) + 14)) AS booked`,
      { $list: list, $first: firstDay, $last: lastDay, $from: from, $to: to },
    );
    out.push({ list, ...r! });
  }
  return out;
}

// ---------------------------------------------------------------- lapsed-customers (§6.4)

export type DbLapsedCustomer = LapsedCustomer;

/** The core statement of lapsed-customers (also timed alone by the benchmark). */
export const LAPSED_SQL = `SELECT c.id, c.name, c.phone,
            (SELECT o.opened_at FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled'
              ORDER BY o.opened_at DESC, o.id DESC LIMIT 1) AS last_opened_at,
            (SELECT o.number FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled'
              ORDER BY o.opened_at DESC, o.id DESC LIMIT 1) AS last_order_number,
            (SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled') AS visits,
            (SELECT coalesce(sum(o.total_cents), 0) FROM orders o WHERE o.customer_id = c.id AND o.status = 'delivered') AS lifetime_spend_cents,
            (SELECT group_concat(v.plate, char(31)) FROM vehicles v WHERE v.customer_id = c.id AND v.active = 1) AS plates
       FROM customers c
      WHERE c.id IN (SELECT o.customer_id FROM orders o WHERE o.opened_at >= ?1 AND o.opened_at < ?2 AND o.status <> 'cancelled')
        AND c.do_not_contact = 0 AND c.no_calls = 0 AND c.phone_bad_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.opened_at >= ?2 AND o.status <> 'cancelled')
        AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.customer_id = c.id AND b.scheduled_at >= ?3
                          AND b.status IN ('booked', 'confirmed'))`;

/**
 * Contactable customers with a non-cancelled order opened in [from, to) and none opened since `to`,
 * and no booked/confirmed booking starting at or after `dayStart`.
 */
export function lapsedCustomers(db: Db, from: string, to: string, dayStart: string): Promise<DbLapsedCustomer[]> {
  return db.all<DbLapsedCustomer>(LAPSED_SQL, [from, to, dayStart]);
}

/**
 * Customers who, called from lapsed-customers, asked to be called again on the day [dayStart, dayEnd)
 * (SPEC §16: listed once more on that day), still without a visit since that call and without a booking.
 */
export function lapsedCallAgain(db: Db, dayStart: string, dayEnd: string): Promise<DbLapsedCustomer[]> {
  return db.all<DbLapsedCustomer>(
    LAPSED_SQL.replace(
      /WHERE c\.id IN \(SELECT o\.customer_id FROM orders o WHERE o\.opened_at >= \?1 AND o\.opened_at < \?2 AND o\.status <> 'cancelled'\)/,
      `WHERE c.id IN (SELECT cl.customer_id FROM contact_log cl WHERE cl.list = 'lapsed-customers' AND cl.result = 'later'
                        AND cl.later_at >= ?3 AND cl.later_at < ?1
                        AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.customer_id = cl.customer_id AND x.opened_at >= cl.at AND x.status <> 'cancelled'))`,
    ).replace('o.opened_at >= ?2 AND', 'o.opened_at >= ?3 AND'),
    [dayEnd, null, dayStart],
  );
}

// ---------------------------------------------------------------- revenue (§6.5)

/** The characters JavaScript's `trim()` removes (test/unit/revenue.test.ts checks the list). */
export const JS_TRIMMED = [9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279];
const keyOf = (column: string) => `coalesce(nullif(trim(${column}, char(${JS_TRIMMED.join(', ')})), ''), 'unknown')`;
const SUMS = `count(*) AS orders, count(DISTINCT vehicle_id) AS vehicles, coalesce(sum(labor_cents), 0) AS labor,
       coalesce(sum(parts_cents), 0) AS parts, coalesce(sum(fees_cents), 0) AS other,
       coalesce(sum(discount_cents), 0) AS discount, coalesce(sum(paid_cents), 0) AS paid`;

/**
 * An order's money as it stood at the period's end (?2): corrections made after it (order_adjustments,
 * SPEC §16) are taken back out, and only payments made before it count.
 */
const later = (column: string) => `coalesce((SELECT sum(a.${column}) FROM order_adjustments a WHERE a.order_id = o.id AND a.at >= ?2), 0)`;
const ORDER_MONEY = `SELECT o.vehicle_id, o.category, ${keyOf('v.model')} AS model, ${keyOf('s.name')} AS advisor,
                o.labor_cents - ${later('labor_cents')} AS labor_cents, o.parts_cents - ${later('parts_cents')} AS parts_cents,
                o.fees_cents - ${later('fees_cents')} AS fees_cents, o.discount_cents - ${later('discount_cents')} AS discount_cents,
                (SELECT coalesce(sum(p.amount_cents), 0) FROM payments p WHERE p.order_id = o.id AND p.paid_at < ?2) AS paid_cents
           FROM orders o
           JOIN vehicles v ON v.id = o.vehicle_id
           LEFT JOIN staff s ON s.id = o.advisor_id`;

/**
 * The period's `adjustment` rows (SPEC §16), only when there is one: `correction` — what corrections
 * made in the period changed on orders first delivered before it (lines, discounts) and the refunds
 * paid back on them; `forfeit` — booking deposits kept as shop income in the period, like a fee.
 * An order first delivered in this period is in the period's other rows as it stands at the end.
 */
const ADJUSTMENT_SQL = `SELECT 'adjustment', 'correction', count(DISTINCT c.order_id), count(DISTINCT o.vehicle_id),
       coalesce(sum(c.labor), 0), coalesce(sum(c.parts), 0), coalesce(sum(c.fees), 0), coalesce(sum(c.discount), 0), coalesce(sum(c.paid), 0)
  FROM (SELECT a.order_id, a.labor_cents AS labor, a.parts_cents AS parts, a.fees_cents AS fees, a.discount_cents AS discount, 0 AS paid
          FROM order_adjustments a WHERE a.at >= ?1 AND a.at < ?2
        UNION ALL
        SELECT p.order_id, 0, 0, 0, 0, p.amount_cents FROM payments p WHERE p.paid_at >= ?1 AND p.paid_at < ?2 AND p.amount_cents < 0) c
  JOIN orders o ON o.id = c.order_id
 WHERE coalesce(o.first_delivered_at, o.delivered_at) < ?1
HAVING count(*) > 0
UNION ALL
SELECT 'adjustment', 'forfeit', 0, count(DISTINCT b.vehicle_id), 0, 0, coalesce(sum(m.amount_cents), 0), 0, coalesce(sum(m.amount_cents), 0)
  FROM deposit_moves m JOIN bookings b ON b.id = m.booking_id
 WHERE m.kind = 'forfeit' AND m.at >= ?1 AND m.at < ?2
HAVING count(*) > 0`;

/**
 * The core statement of the revenue jobs (also timed alone by the benchmark): the period's sums per
 * dimension and key (domain/revenue `RevenueSums`; keys trimmed as `keyOf` trims them), so a few dozen
 * rows leave SQLite instead of one per order. `paid`: payments made before the period's end.
 */
export const REVENUE_SQL = `WITH delivered AS MATERIALIZED (
         ${ORDER_MONEY}
          WHERE o.delivered_at >= ?1 AND o.delivered_at < ?2 AND o.status = 'delivered'
            AND (o.first_delivered_at IS NULL OR o.first_delivered_at >= ?1)
         UNION ALL
         ${ORDER_MONEY}
          WHERE o.first_delivered_at >= ?1 AND o.first_delivered_at < ?2
            AND (o.delivered_at IS NULL OR o.delivered_at >= ?2 OR o.status <> 'delivered'))
SELECT 'total' AS dimension, 'all' AS key, ${SUMS} FROM delivered
UNION ALL SELECT 'category', category, ${SUMS} FROM delivered GROUP BY category
UNION ALL SELECT 'model', model, ${SUMS} FROM delivered GROUP BY model
UNION ALL SELECT 'advisor', advisor, ${SUMS} FROM delivered GROUP BY advisor
UNION ALL ${ADJUSTMENT_SQL}`;

/** The revenue sums of the orders delivered in [from, to). */
export function revenueSums(db: Db, from: string, to: string): Promise<RevenueSums[]> {
  return db.all<RevenueSums>(REVENUE_SQL, [from, to]);
}

// ---------------------------------------------------------------- callback-stats (§6.6)

/**
 * The core statement of callback-stats (also timed alone by the benchmark): the month's tally
 * (domain/callbackStats `tallyCallbacks`, computed here so that a few rows leave SQLite instead of one
 * per callback). One `totals` row, then one row per distinct reason and suggestion text of a reached
 * callback with its count. `satisfied`: at least one score given and every given score ≥ 4.
 */
export const CALLBACK_STATS_SQL = `WITH delivered AS MATERIALIZED (
         SELECT o.id FROM orders o
          WHERE o.delivered_at >= ?1 AND o.delivered_at < ?2 AND o.status = 'delivered'),
       reached AS MATERIALIZED (
         SELECT cb.order_id, cb.q1, cb.q2, cb.q3, cb.q4, cb.q5, cb.reason, cb.suggestion
           FROM delivered d JOIN callbacks cb ON cb.order_id = d.id
          WHERE cb.result = 'reached')
SELECT 'totals' AS kind, NULL AS text, (SELECT count(*) FROM delivered) AS n,
       count(DISTINCT order_id) AS orders, count(*) AS calls,
       coalesce(sum(coalesce(q1, q2, q3, q4, q5) IS NOT NULL
                    AND coalesce(q1, 4) >= 4 AND coalesce(q2, 4) >= 4 AND coalesce(q3, 4) >= 4
                    AND coalesce(q4, 4) >= 4 AND coalesce(q5, 4) >= 4), 0) AS satisfied,
       coalesce(sum(q1), 0) AS s1, coalesce(sum(q2), 0) AS s2, coalesce(sum(q3), 0) AS s3,
       coalesce(sum(q4), 0) AS s4, coalesce(sum(q5), 0) AS s5,
       count(q1) AS c1, count(q2) AS c2, count(q3) AS c3, count(q4) AS c4, count(q5) AS c5
  FROM reached
UNION ALL
SELECT 'reason', reason, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM reached WHERE reason IS NOT NULL GROUP BY reason
UNION ALL
SELECT 'suggestion', suggestion, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM reached WHERE suggestion IS NOT NULL GROUP BY suggestion`;

interface DbStatsRow {
  kind: 'totals' | 'reason' | 'suggestion';
  text: string | null;
  n: number;
  orders: number | null;
  calls: number | null;
  satisfied: number | null;
  s1: number | null; s2: number | null; s3: number | null; s4: number | null; s5: number | null;
  c1: number | null; c2: number | null; c3: number | null; c4: number | null; c5: number | null;
}

/** The callback tally of the orders delivered in [from, to). */
export async function callbackTally(db: Db, from: string, to: string): Promise<CallbackTally> {
  const rows = await db.all<DbStatsRow>(CALLBACK_STATS_SQL, [from, to]);
  const t = rows.find((r) => r.kind === 'totals')!;
  const texts = (kind: DbStatsRow['kind']) => rows.filter((r) => r.kind === kind).map((r) => [r.text, r.n] as const);
  return {
    delivered: t.n,
    reachedOrders: t.orders ?? 0,
    reachedCalls: t.calls ?? 0,
    satisfied: t.satisfied ?? 0,
    sums: [t.s1, t.s2, t.s3, t.s4, t.s5].map((x) => x ?? 0),
    counts: [t.c1, t.c2, t.c3, t.c4, t.c5].map((x) => x ?? 0),
    reasons: texts('reason'),
    suggestions: texts('suggestion'),
  };
}
