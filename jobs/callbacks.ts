/**
 * callbacks (SPEC §6.2): delivered orders whose shop-local delivery day is D − callback.max_days …
 * D − callback.min_days (inclusive) with no callback reached or refused (as of the end of D, so a
 * replayed day lists what was due then). Do-not-contact customers and deactivated vehicles are left
 * out. Priority, reason tags, order and agent rotation: src/domain/jobs/callbacks.ts.
 */
import type { Column, JobDefinition } from './types.js';
import { addDays, daysBetween, daysRange, localDayCache } from '../src/domain/time.js';
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

// orders_delivered index: a few days of deliveries; callbacks/complaints by order; orders_customer for the first visit
export const SQL = `
SELECT o.id, o.number, o.delivered_at, o.category, o.total_cents, o.call_window, o.advisor_id,
       o.repeat_of_order_id, o.qc_failures, c.name AS customer_name, c.phone, v.plate, v.model, s.name AS advisor,
       EXISTS (SELECT 1 FROM complaints k WHERE k.order_id = o.id AND k.status = 'open') AS open_complaint,
       NOT EXISTS (SELECT 1 FROM orders p
                    WHERE p.customer_id = o.customer_id AND p.status = 'delivered' AND p.id <> o.id
                      AND (p.delivered_at < o.delivered_at OR (p.delivered_at = o.delivered_at AND p.id < o.id))) AS first_visit
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

const AGENTS = `SELECT id, name FROM staff WHERE active = 1 AND (',' || role || ',') LIKE '%,agent,%' ORDER BY id`;

interface Found extends CallbackFacts {
  category: string;
  total_cents: number;
  call_window: string | null;
  customer_name: string;
  phone: string;
  plate: string;
  model: string | null;
  advisor: string | null;
}

export default {
  name: 'callbacks',
  cadence: 'daily',
  columns,
  async *rows({ ctx, day }) {
    const [from, to] = daysRange(addDays(day, -ctx.settings.int('callback.max_days')), addDays(day, -ctx.settings.int('callback.min_days')), ctx.tz);
    const asOf = daysRange(day, day, ctx.tz)[1];
    const found = await ctx.db.all<Record<string, unknown>>(SQL, { $from: from, $to: to, $asOf: asOf });
    const candidates: Found[] = found.map((r) => ({
      orderId: r.id as number,
      number: r.number as string,
      deliveredAt: r.delivered_at as string,
      advisorId: r.advisor_id as number | null,
      openComplaint: r.open_complaint === 1,
      repeat: r.repeat_of_order_id !== null,
      qcFailures: r.qc_failures as number,
      firstVisit: r.first_visit === 1,
      category: r.category as string,
      total_cents: r.total_cents as number,
      call_window: r.call_window as string | null,
      customer_name: r.customer_name as string,
      phone: r.phone as string,
      plate: r.plate as string,
      model: r.model as string | null,
      advisor: r.advisor as string | null,
    }));
    const agents = await ctx.db.all<{ id: number; name: string }>(AGENTS);
    const agentName = new Map(agents.map((a) => [a.id, a.name]));
    const defaultWindow = ctx.settings.get('callback.window');
    const toDay = localDayCache(ctx.tz);
    for (const p of planCallbacks(candidates, agents.map((a) => a.id))) {
      const f = p.facts;
      const deliveredOn = toDay(f.deliveredAt);
      yield {
        order_number: f.number,
        delivered_on: deliveredOn,
        days_since_delivery: daysBetween(deliveredOn, day),
        customer_name: f.customer_name,
        phone: f.phone,
        plate: f.plate,
        model: f.model,
        category: f.category,
        total: f.total_cents,
        advisor: f.advisor,
        agent: p.agentId === null ? null : agentName.get(p.agentId),
        call_window: f.call_window || defaultWindow,
        priority: p.priority,
        reason: p.tags.join(';'),
      };
    }
  },
} satisfies JobDefinition;
