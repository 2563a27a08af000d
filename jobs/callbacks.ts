/**
 * callbacks (SPEC §6.2): delivered orders whose shop-local delivery day is D − callback.max_days …
 * D − callback.min_days (inclusive) with no callback reached or refused (as of the end of D, so a
 * replayed day lists what was due then). Do-not-contact customers and deactivated vehicles are left
 * out. Priority, reason tags, order and agent rotation: src/domain/jobs/callbacks.ts.
 */
import type { Column, JobDefinition, Row } from './types.js';
import { addDays, daysBetween, daysRange, localDayCache, type Day } from '../src/domain/time.js';
import { planCallbacks, type CallbackFacts } from '../src/domain/jobs/callbacks.js';

const columns = [
  { key: 'order_number', zh: '工单号', en: 'Order', type: 'text' },
  { key: 'delivered_on', zh: '交车日期', en: 'Delivered on', type: 'date' },
  { key: 'days_since_delivery', zh: '交车天数', en: 'Days since delivery', type: 'int' },
  { key: 'customer_name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'text' },
  { key: 'plate', zh: '车牌', en: 'Plate', type: 'text' },
  { key: 'model', zh: '车型', en: 'Model', type: 'text' },
  { key: 'category', zh: '维修类别', en: 'Category', type: 'text' },
  { key: 'total', zh: '金额', en: 'Total', type: 'money' },
  { key: 'advisor', zh: '服务顾问', en: 'Advisor', type: 'text' },
  { key: 'agent', zh: '回访专员', en: 'Agent', type: 'text' },
  { key: 'call_window', zh: '回访时段', en: 'Call window', type: 'text' },
  { key: 'priority', zh: '优先级', en: 'Priority', type: 'int' },
  { key: 'reason', zh: '原因', en: 'Reason', type: 'text' },
] as const satisfies readonly Column[];

// orders_delivered index: a few days of deliveries; callbacks/complaints by order; orders_customer for
// the first visit. The candidates come back as one JSON array of tuples: node-sqlite3 would build a JS
// object per row on the main thread (~1 µs a row plus ~0.4 µs a cell: ~20 ms for the large data set's
// 2 869 rows of 15 cells), JSON.parse of the one text takes ~3 ms. planCallbacks sorts the list.
export const SQL = `
SELECT json_group_array(json_array(
         o.number, o.delivered_at, o.category, o.total_cents, o.call_window, o.advisor_id,
         o.repeat_of_order_id IS NOT NULL, o.qc_failures, c.name, c.phone, v.plate, v.model, s.name,
         EXISTS (SELECT 1 FROM complaints k WHERE k.order_id = o.id AND k.status = 'open'),
         NOT EXISTS (SELECT 1 FROM orders p
                      WHERE p.customer_id = o.customer_id AND p.status = 'delivered' AND p.id <> o.id
                        AND (p.delivered_at < o.delivered_at OR (p.delivered_at = o.delivered_at AND p.id < o.id))))) AS t
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN vehicles v ON v.id = o.vehicle_id
  LEFT JOIN staff s ON s.id = o.advisor_id
 WHERE o.delivered_at >= $from AND o.delivered_at < $to
   AND o.status = 'delivered'
   AND c.do_not_contact = 0
   AND v.active = 1
   AND NOT EXISTS (SELECT 1 FROM callbacks cb
                    WHERE cb.order_id = o.id AND cb.result IN ('reached', 'refused') AND cb.attempted_at < $asOf)`;

interface Found extends CallbackFacts {
  category: string;
  totalCents: number;
  callWindow: string | null;
  customerName: string;
  phone: string;
  plate: string;
  model: string | null;
  advisor: string | null;
}

function factsOf(t: Tuple): Found {
  const [number, deliveredAt, category, totalCents, callWindow, advisorId, repeat, qcFailures, customerName, phone, plate, model, advisor, openComplaint, firstVisit] = t;
  return {
    number, deliveredAt, advisorId, openComplaint: openComplaint === 1, repeat: repeat === 1, qcFailures, firstVisit: firstVisit === 1,
    category, totalCents, callWindow, customerName, phone, plate, model, advisor,
  };
}

/** One element of SQL's array. */
type Tuple = [
  number: string, deliveredAt: string, category: string, totalCents: number, callWindow: string | null, advisorId: number | null,
  repeat: 0 | 1, qcFailures: number, customerName: string, phone: string, plate: string, model: string | null, advisor: string | null,
  openComplaint: 0 | 1, firstVisit: 0 | 1,
];

const AGENTS = `SELECT id, name FROM staff WHERE active = 1 AND (',' || role || ',') LIKE '%,agent,%' ORDER BY id`;

export default {
  name: 'callbacks',
  cadence: 'daily',
  columns,
  async *rows({ ctx, day }) {
    const [from, to] = daysRange(addDays(day, -ctx.settings.int('callback.max_days')), addDays(day, -ctx.settings.int('callback.min_days')), ctx.tz);
    const asOf = daysRange(day, day, ctx.tz)[1];
    const found = await ctx.db.get<{ t: string }>(SQL, { $from: from, $to: to, $asOf: asOf });
    const candidates = (JSON.parse(found?.t ?? '[]') as Tuple[]).map(factsOf);
    const agents = await ctx.db.all<{ id: number; name: string }>(AGENTS);
    const agentName = new Map(agents.map((a) => [a.id, a.name]));
    const defaultWindow = ctx.settings.get('callback.window');
    const toDay = localDayCache(ctx.tz);
    const age = new Map<Day, number>();
    const rows: Row[] = [];
    for (const p of planCallbacks(candidates, agents.map((a) => a.id))) {
      const f = p.facts;
      const deliveredOn = toDay(f.deliveredAt);
      let days = age.get(deliveredOn);
      if (days === undefined) age.set(deliveredOn, (days = daysBetween(deliveredOn, day)));
      rows.push({
        order_number: f.number,
        delivered_on: deliveredOn,
        days_since_delivery: days,
        customer_name: f.customerName,
        phone: f.phone,
        plate: f.plate,
        model: f.model,
        category: f.category,
        total: f.totalCents,
        advisor: f.advisor,
        agent: p.agentId === null ? null : agentName.get(p.agentId),
        call_window: f.callWindow || defaultWindow,
        priority: p.priority,
        reason: p.tags.join(';'),
      });
    }
    yield rows;
  },
} satisfies JobDefinition;
