/**
 * The SQL of the period reports and of the maintenance-due and lapsed-customers lists (SPEC §6.3–6.6).
 * Each function takes the database first, reads only, and returns or streams typed rows; the rules
 * live in src/domain/ (maintenance, lapsed, revenue, callbackStats).
 */
import type { Db } from './sqlite.js';

// ---------------------------------------------------------------- maintenance-due (§6.3)

export interface DbMaintenanceCandidate {
  id: number;
  plate: string;
  model: string | null;
  initial_km: number | null;
  added_on: string;
  last_service_on: string | null;
  last_service_km: number | null;
  interval_km: number | null;
  interval_months: number | null;
  customer_name: string;
  phone: string;
  /** the latest delivered maintenance order: delivery instant and check-in km (null: none found) */
  service_at: string | null;
  service_km: number | null;
  /** non-cancelled orders opened in the reading window: `opened_at km` joined by `,` */
  readings: string | null;
  /** the latest non-cancelled order opened before the end of D: `opened_at km` */
  latest: string | null;
}

export interface MaintenanceBounds {
  /** start of the shop-local day D + 1 (instant) */
  dayEnd: string;
  /** start of the shop-local day D (instant) */
  dayStart: string;
  /** start of D − 365 (instant): readings before it do not count */
  windowStart: string;
  /** no last service before this instant / day can be listed (a bound, checked exactly in JS) */
  serviceFromAt: string;
  serviceFromDay: string;
  /** due by time must be on or after this day (D − overdue_days − 2: a margin for SQLite's date() and UTC days) */
  minTimeDue: string;
  defaultIntervalMonths: number;
  /** job_listings run keys of the cooldown (null: no cooldown) */
  cooldownFrom: string | null;
  cooldownTo: string | null;
}

/** The largest service interval in months any vehicle has (its own or the default). */
export async function maxIntervalMonths(db: Db, defaultMonths: number): Promise<number> {
  const row = await db.get<{ m: number | null }>('SELECT max(interval_months) AS m FROM vehicles');
  return Math.max(defaultMonths, row?.m ?? 0);
}

/**
 * Candidates for the maintenance-due list: active vehicles of contactable customers whose
 * last service is recent enough that the due by time can fall in the window, with no open order, no
 * booked/confirmed booking from D on and no listing in the cooldown. Vehicles with a recent delivered
 * maintenance order come from the delivered_at index; vehicles never serviced here from their
 * carried-over or added day. The exact rule runs in JS on these few rows. (INDEXED BY and CROSS JOIN
 * pin the plan: without statistics SQLite would rather walk all orders by vehicle to group them.)
 */
export function maintenanceCandidates(db: Db, b: MaintenanceBounds): AsyncGenerator<DbMaintenanceCandidate> {
  return db.iterate<DbMaintenanceCandidate>(
    `WITH last_service AS (
       SELECT o.vehicle_id, max(o.delivered_at) AS service_at, o.mileage_in AS service_km
         FROM orders o INDEXED BY orders_delivered
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
       CROSS JOIN vehicles v ON v.id = k.id
       CROSS JOIN customers c ON c.id = v.customer_id
      WHERE v.active = 1 AND c.do_not_contact = 0
        AND date(coalesce(substr(k.service_at, 1, 10), v.last_service_on, v.added_on),
                 '+' || coalesce(v.interval_months, ?6) || ' months') >= ?7
        AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.vehicle_id = v.id AND o.status NOT IN ('delivered', 'cancelled'))
        AND NOT EXISTS (SELECT 1 FROM bookings bk WHERE bk.vehicle_id = v.id AND bk.scheduled_at >= ?5
                          AND bk.status IN ('booked', 'confirmed'))
        AND (?8 IS NULL OR NOT EXISTS (SELECT 1 FROM job_listings jl WHERE jl.job = 'maintenance-due'
                          AND jl.subject_id = v.id AND jl.run_key BETWEEN ?8 AND ?9))`,
    [b.serviceFromAt, b.serviceFromDay, b.windowStart, b.dayEnd, b.dayStart, b.defaultIntervalMonths, b.minTimeDue, b.cooldownFrom, b.cooldownTo],
  );
}

// ---------------------------------------------------------------- lapsed-customers (§6.4)

export interface DbLapsedCustomer {
  id: number;
  name: string;
  phone: string;
  last_opened_at: string;
  last_order_number: string;
  visits: number;
  lifetime_spend_cents: number;
  /** active plates joined by char(31) */
  plates: string | null;
}

/**
 * Contactable customers with a non-cancelled order opened in [from, to) and none opened since `to`,
 * and no booked/confirmed booking starting at or after `dayStart`.
 */
export function lapsedCustomers(db: Db, from: string, to: string, dayStart: string): Promise<DbLapsedCustomer[]> {
  return db.all<DbLapsedCustomer>(
    `SELECT c.id, c.name, c.phone,
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
                          AND b.status IN ('booked', 'confirmed'))`,
    [from, to, dayStart],
  );
}

// ---------------------------------------------------------------- revenue (§6.5)

export interface DbRevenueOrder {
  id: number;
  vehicle_id: number;
  category: string;
  model: string | null;
  advisor: string | null;
  labor_cents: number;
  parts_cents: number;
  fees_cents: number;
  discount_cents: number;
  paid_cents: number;
}

/** Orders delivered in [from, to), with the payments made before `to`. */
export function revenueOrders(db: Db, from: string, to: string): AsyncGenerator<DbRevenueOrder> {
  return db.iterate<DbRevenueOrder>(
    `SELECT o.id, o.vehicle_id, o.category, v.model, s.name AS advisor,
            o.labor_cents, o.parts_cents, o.fees_cents, o.discount_cents,
            (SELECT coalesce(sum(p.amount_cents), 0) FROM payments p WHERE p.order_id = o.id AND p.paid_at < ?2) AS paid_cents
       FROM orders o
       JOIN vehicles v ON v.id = o.vehicle_id
       LEFT JOIN staff s ON s.id = o.advisor_id
      WHERE o.delivered_at >= ?1 AND o.delivered_at < ?2 AND o.status = 'delivered'
      ORDER BY o.delivered_at, o.id`,
    [from, to],
  );
}

// ---------------------------------------------------------------- callback-stats (§6.6)

export interface DbStatsCallback {
  order_id: number;
  result: string | null;
  q1: number | null;
  q2: number | null;
  q3: number | null;
  q4: number | null;
  q5: number | null;
  reason: string | null;
  suggestion: string | null;
}

/** Orders delivered in [from, to), one row per callback (one row with result null when none), by order. */
export function statsCallbacks(db: Db, from: string, to: string): AsyncGenerator<DbStatsCallback> {
  return db.iterate<DbStatsCallback>(
    `SELECT o.id AS order_id, cb.result, cb.q1, cb.q2, cb.q3, cb.q4, cb.q5, cb.reason, cb.suggestion
       FROM orders o
       LEFT JOIN callbacks cb ON cb.order_id = o.id
      WHERE o.delivered_at >= ?1 AND o.delivered_at < ?2 AND o.status = 'delivered'
      ORDER BY o.id, cb.id`,
    [from, to],
  );
}
