/** arrears (SPEC §6.8): its query and row type; the rule is in src/domain/jobs/arrears.ts. */
import type { Db } from '../sqlite.js';
import type { ArrearsOrder } from '../../domain/jobs/arrears.js';

/*
 * Candidates: orders unpaid now (total_cents > paid_cents, the denormalized totals), plus — only when
 * D is in the past — orders with a payment after D (paid now, unpaid then). Their balance on D is
 * recomputed from the payments made by the end of D (`paidBy`).
 */
const paidBy = `COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.order_id = o.id AND p.paid_at < $end), 0)`;

/*
 * D today (or to come): the unpaid orders in list order straight from the orders_unpaid_delivered
 * index, so rows stream out while SQLite is still reading (no sort before the first row) and the job
 * formats them on the other core. `paid` is looked up for the filter and again for the output: two
 * index lookups an unpaid order, cheaper than sorting the list.
 */
const sqlToday = `
SELECT number, delivered_at, total_cents, paid, customer_name, phone, plate FROM (
  SELECT o.number, o.delivered_at, o.total_cents, ${paidBy} AS paid, c.name AS customer_name, c.phone, v.plate
    FROM orders o INDEXED BY orders_unpaid_delivered
    JOIN customers c ON c.id = o.customer_id
    JOIN vehicles v ON v.id = o.vehicle_id
   WHERE o.status = 'delivered' AND o.total_cents > o.paid_cents AND o.delivered_at < $end
   ORDER BY o.delivered_at, o.number)
 WHERE total_cents > paid`;

/*
 * A past D (a replay): the candidates come from two sources, so the list is sorted. MATERIALIZED:
 * `paid` is used twice (the filter and the output); inlined, SQLite would run its subquery for each.
 * `+delivered_at`: keep the planner off orders_delivered (all of history) and on the small orders_unpaid.
 */
const unpaidNow = `SELECT id FROM orders WHERE status = 'delivered' AND total_cents > paid_cents AND +delivered_at < $end`;
const paidLater = `SELECT order_id AS id FROM payments WHERE paid_at >= $end`;
const sqlReplay = `
WITH onDay AS MATERIALIZED (
  SELECT o.id, o.number, o.delivered_at, o.total_cents, o.customer_id, o.vehicle_id, ${paidBy} AS paid
    FROM orders o
   WHERE o.id IN (${unpaidNow} UNION ALL ${paidLater})
     AND o.status = 'delivered' AND o.delivered_at < $end)
SELECT d.number, d.delivered_at, d.total_cents, d.paid, c.name AS customer_name, c.phone, v.plate
  FROM onDay d
  JOIN customers c ON c.id = d.customer_id
  JOIN vehicles v ON v.id = d.vehicle_id
 WHERE d.total_cents > d.paid
 ORDER BY d.delivered_at, d.number`;

/** The list's statement: `withLater` when D is in the past. */
export const sql = (withLater: boolean) => (withLater ? sqlReplay : sqlToday);

export type DbArrearsOrder = ArrearsOrder;

/** The list's unpaid orders on the day ending at `end`, a page at a time in list order. `past`: D is before now. */
export function arrearsPages(db: Db, end: string, past: boolean): AsyncGenerator<DbArrearsOrder[]> {
  return db.pages<DbArrearsOrder>(sql(past), { $end: end });
}
