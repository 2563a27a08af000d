/**
 * credits (SPEC §10): what the shop owes customers on D — deposits of cancelled and no-show bookings
 * not yet refunded, forfeited or carried to an order, and orders paid above their total — oldest first,
 * so no refund is forgotten. The arrears list stays what customers owe the shop. Not a calling list.
 */
import type { Column, JobDefinition } from './types.js';
import { daysBetween, dayRange, localDayCache } from '../src/domain/time.js';

const columns = [
  { key: 'reference', zh: '单号', en: 'Reference', type: 'text' },
  { key: 'since', zh: '起始日期', en: 'Since', type: 'date' },
  { key: 'days_outstanding', zh: '天数', en: 'Days outstanding', type: 'int' },
  { key: 'customer_name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'text' },
  { key: 'plate', zh: '车牌', en: 'Plate', type: 'text' },
  { key: 'amount', zh: '应退金额', en: 'Amount', type: 'money' },
] as const satisfies readonly Column[];

export default {
  name: 'credits',
  cadence: 'daily',
  columns,
  async *rows({ ctx, day }) {
    const { CREDITS_SQL } = await import('../src/db/corrections.js');
    const { planCredits } = await import('../src/domain/credits.js');
    const end = dayRange(day, ctx.tz)[1];
    const found = await ctx.db.all<import('../src/db/corrections.js').CreditRow>(CREDITS_SQL, { $end: end });
    const toDay = localDayCache(ctx.tz);
    yield planCredits(found, end).map((r) => {
      const since = toDay(r.since);
      return {
        reference: r.reference, since, days_outstanding: daysBetween(since, day),
        customer_name: r.customer_name, phone: r.phone, plate: r.plate, amount: r.amount_cents,
      };
    });
  },
} satisfies JobDefinition;
