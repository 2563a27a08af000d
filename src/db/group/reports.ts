/**
 * The group reports' SQL on PostgreSQL (SPEC §15): the store jobs' statements (src/db/reports.ts,
 * src/db/lists/arrears.ts) carried over to the group's tables, grouped by store. Each store's period is
 * its own [from, to) in its own zone (push_state.timezone), passed in as arrays, so a store's figures
 * are exactly its own job's. The rules that turn these sums into rows are the stores' own
 * (src/domain/revenue.ts, callbackStats.ts, jobs/arrears.ts).
 */
import type { PgClient } from './pg.js';
import type { RevenueSums } from '../../domain/revenue.js';
import type { CallbackTally, ListConversion } from '../../domain/callbackStats.js';
import type { ArrearsOrder } from '../../domain/jobs/arrears.js';
import { JS_TRIMMED } from '../reports.js';

/** A store's window: [f, t) as stored instant text. */
export interface StoreBounds {
  store: string;
  f: string;
  t: string;
}

/*
 * Each store's rows are read by a LATERAL subquery per store, on the (store, …) index: joined to the
 * stores' windows as a whole, the planner reads every store's history and filters it (1.7 s against
 * 0.4 s for revenue over 20 stores). `OFFSET 0` keeps it from pulling a simple subquery back up.
 */
const BOUNDS = `b AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS x(store, f, t))`;
const boundParams = (bounds: readonly StoreBounds[]) => [bounds.map((b) => b.store), bounds.map((b) => b.f), bounds.map((b) => b.t)];

/** Every store with its zone (the one its last push named; Asia/Shanghai before any push). */
export async function groupStores(client: PgClient): Promise<Array<{ code: string; name: string; timezone: string; pushed_at: string | null }>> {
  return (await client.query(`SELECT s.code, s.name, coalesce(p.timezone, 'Asia/Shanghai') AS timezone, p.pushed_at::text AS pushed_at
      FROM pitstop.stores s LEFT JOIN pitstop.push_state p ON p.store = s.code ORDER BY s.code`)).rows;
}

const TRIMMED = JS_TRIMMED.map((c) => `chr(${c})`).join(' || ');
const keyOf = (column: string) => `coalesce(nullif(btrim(${column}, ${TRIMMED}), ''), 'unknown')`;
const later = (column: string) =>
  `coalesce((SELECT sum(a.${column}) FROM pitstop.order_adjustments a WHERE a.store = o.store AND a.order_id = o.id AND a.at >= b.t), 0)`;
const ORDER_MONEY = `SELECT o.store, o.vehicle_id, o.category, ${keyOf('v.model')} AS model, ${keyOf('s.name')} AS advisor,
         o.labor_cents - ${later('labor_cents')} AS labor_cents, o.parts_cents - ${later('parts_cents')} AS parts_cents,
         o.fees_cents - ${later('fees_cents')} AS fees_cents, o.discount_cents - ${later('discount_cents')} AS discount_cents,
         (SELECT coalesce(sum(p.amount_cents), 0) FROM pitstop.payments p WHERE p.store = o.store AND p.order_id = o.id AND p.paid_at < b.t) AS paid_cents
    FROM pitstop.orders o
    JOIN pitstop.vehicles v ON v.store = o.store AND v.id = o.vehicle_id
    LEFT JOIN pitstop.staff s ON s.store = o.store AND s.id = o.advisor_id`;
const SUMS = `count(*) AS orders, count(DISTINCT vehicle_id) AS vehicles, coalesce(sum(labor_cents), 0) AS labor,
       coalesce(sum(parts_cents), 0) AS parts, coalesce(sum(fees_cents), 0) AS other,
       coalesce(sum(discount_cents), 0) AS discount, coalesce(sum(paid_cents), 0) AS paid`;

/** REVENUE_SQL (src/db/reports.ts) per store. */
export const GROUP_REVENUE_SQL = `WITH ${BOUNDS},
delivered AS MATERIALIZED (
  SELECT d.* FROM b CROSS JOIN LATERAL (
    ${ORDER_MONEY}
     WHERE o.store = b.store AND o.delivered_at >= b.f AND o.delivered_at < b.t AND o.status = 'delivered'
       AND (o.first_delivered_at IS NULL OR o.first_delivered_at >= b.f)
    UNION ALL
    ${ORDER_MONEY}
     WHERE o.store = b.store AND o.first_delivered_at >= b.f AND o.first_delivered_at < b.t
       AND (o.delivered_at IS NULL OR o.delivered_at >= b.t OR o.status <> 'delivered')) d)
SELECT store, 'total' AS dimension, 'all' AS key, ${SUMS} FROM delivered GROUP BY store
UNION ALL SELECT store, 'category', category, ${SUMS} FROM delivered GROUP BY store, category
UNION ALL SELECT store, 'model', model, ${SUMS} FROM delivered GROUP BY store, model
UNION ALL SELECT store, 'advisor', advisor, ${SUMS} FROM delivered GROUP BY store, advisor
UNION ALL
SELECT c.store, 'adjustment', 'correction', count(DISTINCT c.order_id), count(DISTINCT o.vehicle_id),
       coalesce(sum(c.labor), 0), coalesce(sum(c.parts), 0), coalesce(sum(c.fees), 0), coalesce(sum(c.discount), 0), coalesce(sum(c.paid), 0)
  FROM (SELECT a.store, a.order_id, a.labor_cents AS labor, a.parts_cents AS parts, a.fees_cents AS fees, a.discount_cents AS discount, 0 AS paid
          FROM b CROSS JOIN LATERAL (SELECT * FROM pitstop.order_adjustments a WHERE a.store = b.store AND a.at >= b.f AND a.at < b.t OFFSET 0) a
        UNION ALL
        SELECT p.store, p.order_id, 0, 0, 0, 0, p.amount_cents
          FROM b CROSS JOIN LATERAL (SELECT * FROM pitstop.payments p WHERE p.store = b.store AND p.paid_at >= b.f AND p.paid_at < b.t AND p.amount_cents < 0 OFFSET 0) p) c
  JOIN pitstop.orders o ON o.store = c.store AND o.id = c.order_id
  JOIN b ON b.store = c.store
 WHERE coalesce(o.first_delivered_at, o.delivered_at) < b.f
 GROUP BY c.store
UNION ALL
SELECT m.store, 'adjustment', 'forfeit', 0, count(DISTINCT bk.vehicle_id), 0, 0, coalesce(sum(m.amount_cents), 0), 0, coalesce(sum(m.amount_cents), 0)
  FROM b JOIN pitstop.deposit_moves m ON m.store = b.store
  JOIN pitstop.bookings bk ON bk.store = m.store AND bk.id = m.booking_id
 WHERE m.kind = 'forfeit' AND m.at >= b.f AND m.at < b.t
 GROUP BY m.store`;

type Numeric = string | number;
const n = (v: Numeric | null | undefined) => Number(v ?? 0);

/** Each store's revenue sums of the orders delivered in its window. */
export async function groupRevenueSums(client: PgClient, bounds: readonly StoreBounds[]): Promise<Map<string, RevenueSums[]>> {
  const rows = (await client.query<Record<string, Numeric>>(GROUP_REVENUE_SQL, boundParams(bounds))).rows;
  const out = new Map<string, RevenueSums[]>(bounds.map((b) => [b.store, []]));
  for (const r of rows) {
    out.get(String(r.store))?.push({
      dimension: r.dimension as RevenueSums['dimension'], key: String(r.key),
      orders: n(r.orders), vehicles: n(r.vehicles), labor: n(r.labor), parts: n(r.parts), other: n(r.other), discount: n(r.discount), paid: n(r.paid),
    });
  }
  return out;
}

/** CALLBACK_STATS_SQL (src/db/reports.ts) per store. */
export const GROUP_CALLBACK_SQL = `WITH ${BOUNDS},
delivered AS MATERIALIZED (
  SELECT o.store, o.id FROM b CROSS JOIN LATERAL (
    SELECT o.store, o.id FROM pitstop.orders o
     WHERE o.store = b.store AND o.delivered_at >= b.f AND o.delivered_at < b.t AND o.status = 'delivered' OFFSET 0) o),
reached AS MATERIALIZED (
  SELECT cb.store, cb.order_id, cb.q1, cb.q2, cb.q3, cb.q4, cb.q5, cb.reason, cb.suggestion
    FROM delivered d JOIN pitstop.callbacks cb ON cb.store = d.store AND cb.order_id = d.id
   WHERE cb.result = 'reached')
SELECT b.store, 'totals' AS kind, NULL AS text, (SELECT count(*) FROM delivered d WHERE d.store = b.store) AS n,
       count(DISTINCT r.order_id) AS orders, count(r.order_id) AS calls,
       count(*) FILTER (WHERE coalesce(r.q1, r.q2, r.q3, r.q4, r.q5) IS NOT NULL
                    AND coalesce(r.q1, 4) >= 4 AND coalesce(r.q2, 4) >= 4 AND coalesce(r.q3, 4) >= 4
                    AND coalesce(r.q4, 4) >= 4 AND coalesce(r.q5, 4) >= 4) AS satisfied,
       coalesce(sum(r.q1), 0) AS s1, coalesce(sum(r.q2), 0) AS s2, coalesce(sum(r.q3), 0) AS s3,
       coalesce(sum(r.q4), 0) AS s4, coalesce(sum(r.q5), 0) AS s5,
       count(r.q1) AS c1, count(r.q2) AS c2, count(r.q3) AS c3, count(r.q4) AS c4, count(r.q5) AS c5
  FROM b LEFT JOIN reached r ON r.store = b.store
 GROUP BY b.store
UNION ALL
SELECT store, 'reason', reason, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM reached WHERE reason IS NOT NULL GROUP BY store, reason
UNION ALL
SELECT store, 'suggestion', suggestion, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM reached WHERE suggestion IS NOT NULL GROUP BY store, suggestion`;

/** Each store's callback tally of the orders delivered in its window. */
export async function groupCallbackTallies(client: PgClient, bounds: readonly StoreBounds[]): Promise<Map<string, CallbackTally>> {
  const rows = (await client.query<Record<string, Numeric | null>>(GROUP_CALLBACK_SQL, boundParams(bounds))).rows;
  const out = new Map<string, CallbackTally>();
  for (const b of bounds) {
    const mine = rows.filter((r) => r.store === b.store);
    const t = mine.find((r) => r.kind === 'totals');
    const texts = (kind: string) => mine.filter((r) => r.kind === kind).map((r) => [r.text === null ? null : String(r.text), n(r.n)] as const);
    out.set(b.store, {
      delivered: n(t?.n), reachedOrders: n(t?.orders), reachedCalls: n(t?.calls), satisfied: n(t?.satisfied),
      sums: [t?.s1, t?.s2, t?.s3, t?.s4, t?.s5].map(n), counts: [t?.c1, t?.c2, t?.c3, t?.c4, t?.c5].map(n),
      reasons: texts('reason'), suggestions: texts('suggestion'),
    });
  }
  return out;
}

/**
 * listConversion (src/db/reports.ts) per store: per calling list, rows its successful runs listed on
 * the period's days, subjects called, reached, and booked within 14 days (336 hours: SQLite's julianday
 * difference, whatever the session's zone) of the call.
 */
export async function groupListConversion(
  client: PgClient, lists: readonly string[], bounds: readonly StoreBounds[], firstDay: string, lastDay: string,
): Promise<Map<string, ListConversion[]>> {
  const rows = (await client.query<Record<string, Numeric>>(`WITH ${BOUNDS}, l AS (SELECT * FROM unnest($4::text[]) WITH ORDINALITY AS y(list, i))
    SELECT b.store, l.list,
      (SELECT coalesce(sum(j.rows), 0) FROM pitstop.job_runs j WHERE j.store = b.store AND j.job = l.list AND j.status = 'ok' AND j.run_key BETWEEN $5 AND $6) AS rows,
      (SELECT count(DISTINCT c.subject) FROM pitstop.contact_log c WHERE c.store = b.store AND c.list = l.list AND c.at >= b.f AND c.at < b.t) AS contacted,
      (SELECT count(DISTINCT c.subject) FROM pitstop.contact_log c WHERE c.store = b.store AND c.list = l.list AND c.at >= b.f AND c.at < b.t
          AND c.result NOT IN ('no_answer', 'wrong_number')) AS reached,
      (SELECT count(DISTINCT c.subject) FROM pitstop.contact_log c WHERE c.store = b.store AND c.list = l.list AND c.at >= b.f AND c.at < b.t
          AND EXISTS (SELECT 1 FROM pitstop.bookings k WHERE k.store = c.store AND k.customer_id = c.customer_id AND k.created_at >= c.at
                        AND k.created_at::timestamptz <= c.at::timestamptz + interval '336 hours')) AS booked
    FROM b CROSS JOIN l ORDER BY b.store, l.i`, [...boundParams(bounds), lists, firstDay, lastDay])).rows;
  const out = new Map<string, ListConversion[]>(bounds.map((b) => [b.store, []]));
  for (const r of rows) out.get(String(r.store))?.push({ list: String(r.list), rows: n(r.rows), contacted: n(r.contacted), reached: n(r.reached), booked: n(r.booked) });
  return out;
}

/** An unpaid order of the group's arrears, with the latest call about it from the arrears list before D. */
export type GroupArrearsOrder = ArrearsOrder & { contact: { at: string; result: string } | undefined };

/**
 * The arrears statement (src/db/lists/arrears.ts) per store: delivered orders with a balance above
 * zero at the end of D (each store's `t`), counting only payments made by then, in list order per store;
 * with the latest arrears call about the order made before D began (`f`), as the store's job runner
 * finds it for `last_contact` (src/app/jobs.ts, latestContacts).
 */
export async function groupArrears(client: PgClient, bounds: readonly StoreBounds[]): Promise<Map<string, GroupArrearsOrder[]>> {
  const rows = (await client.query<Record<string, Numeric>>(`WITH ${BOUNDS},
    cand AS (
      SELECT o.store, o.id FROM b CROSS JOIN LATERAL (
        SELECT o.store, o.id FROM pitstop.orders o
         WHERE o.store = b.store AND o.status = 'delivered' AND o.total_cents > o.paid_cents AND o.delivered_at < b.t OFFSET 0) o
      UNION
      SELECT p.store, p.order_id FROM b CROSS JOIN LATERAL (
        SELECT p.store, p.order_id FROM pitstop.payments p WHERE p.store = b.store AND p.paid_at >= b.t OFFSET 0) p),
    onday AS MATERIALIZED (
      SELECT o.store, o.number, o.delivered_at, o.total_cents, o.customer_id, o.vehicle_id,
             coalesce((SELECT sum(p.amount_cents) FROM pitstop.payments p WHERE p.store = o.store AND p.order_id = o.id AND p.paid_at < b.t), 0) AS paid
        FROM cand JOIN pitstop.orders o ON o.store = cand.store AND o.id = cand.id JOIN b ON b.store = o.store
       WHERE o.status = 'delivered' AND o.delivered_at < b.t)
    SELECT d.store, d.number, d.delivered_at, d.total_cents, d.paid, c.name AS customer_name, c.phone, v.plate,
           lc.at AS contact_at, lc.result AS contact_result
      FROM onday d
      JOIN b ON b.store = d.store
      JOIN pitstop.customers c ON c.store = d.store AND c.id = d.customer_id
      JOIN pitstop.vehicles v ON v.store = d.store AND v.id = d.vehicle_id
      LEFT JOIN LATERAL (
        SELECT x.at, x.result FROM pitstop.contact_log x
         WHERE x.store = d.store AND x.list = 'arrears' AND x.subject = 'order:' || d.number AND x.at < b.f
         ORDER BY x.at DESC, x.id DESC LIMIT 1) lc ON true
     WHERE d.total_cents > d.paid
     ORDER BY d.store, d.delivered_at, d.number`, boundParams(bounds))).rows;
  const out = new Map<string, GroupArrearsOrder[]>(bounds.map((b) => [b.store, []]));
  for (const r of rows) {
    out.get(String(r.store))?.push({
      number: String(r.number), delivered_at: String(r.delivered_at), total_cents: n(r.total_cents), paid: n(r.paid),
      customer_name: String(r.customer_name), phone: String(r.phone), plate: String(r.plate),
      contact: r.contact_at === null || r.contact_at === undefined ? undefined : { at: String(r.contact_at), result: String(r.contact_result) },
    });
  }
  return out;
}
