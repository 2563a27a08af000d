/**
 * arrears (SPEC §6.8): delivered orders with a balance above zero on D — delivered by the end of D,
 * counting only payments made by the end of D — oldest delivery first. Money owed stays owed when the
 * car is sold or scrapped, so deactivated vehicles stay on this list (SPEC §6's "appear on none" is
 * meant for the calling and reminder lists); it is not a calling list, so do-not-contact customers stay too.
 */
import type { Column, JobDefinition } from './types.js';
import { daysBetween, dayRange, localDayCache } from '../src/domain/time.js';

const columns = [
  { key: 'order_number', zh: '工单号', en: 'Order', type: 'text' },
  { key: 'delivered_on', zh: '交车日期', en: 'Delivered on', type: 'date' },
  { key: 'days_outstanding', zh: '欠款天数', en: 'Days outstanding', type: 'int' },
  { key: 'customer_name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'text' },
  { key: 'plate', zh: '车牌', en: 'Plate', type: 'text' },
  { key: 'total', zh: '应收金额', en: 'Total', type: 'money' },
  { key: 'paid', zh: '已付金额', en: 'Paid', type: 'money' },
  { key: 'balance', zh: '欠款', en: 'Balance', type: 'money' },
] as const satisfies readonly Column[];

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

interface Found {
  number: string;
  delivered_at: string;
  total_cents: number;
  paid: number;
  customer_name: string;
  phone: string;
  plate: string;
}

export default {
  name: 'arrears',
  cadence: 'daily',
  columns,
  async *rows({ ctx, day }) {
    const end = dayRange(day, ctx.tz)[1];
    const past = end <= ctx.now.toISOString();
    const toDay = localDayCache(ctx.tz);
    for await (const page of ctx.db.pages<Found>(sql(past), { $end: end })) {
      yield page.map((r) => {
        const deliveredOn = toDay(r.delivered_at);
        return {
          order_number: r.number,
          delivered_on: deliveredOn,
          days_outstanding: daysBetween(deliveredOn, day),
          customer_name: r.customer_name,
          phone: r.phone,
          plate: r.plate,
          total: r.total_cents,
          paid: r.paid,
          balance: r.total_cents - r.paid,
        };
      });
    }
  },
} satisfies JobDefinition;
