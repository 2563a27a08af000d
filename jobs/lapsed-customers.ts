/**
 * lapsed-customers (SPEC §6.4): customers whose latest visit was exactly `lapsed.months` months before D.
 * Query: src/db/reports.ts (LAPSED_SQL); plan: src/domain/jobs/lapsed-customers.ts.
 */
import type { JobContext, JobDefinition, Row } from './types.js';
import { lapsedCallAgain, lapsedCustomers } from '../src/db/reports.js';
import { lapsedVisitDays } from '../src/domain/lapsed.js';
import { lapsedRows } from '../src/domain/jobs/lapsed-customers.js';
import { dayRange, daysRange, type Day } from '../src/domain/time.js';

/** The list of `day` (also `pitstop report` and the tests). */
export async function lapsedCustomerRows(ctx: Pick<JobContext, 'db' | 'settings' | 'tz'>, day: Day): Promise<Row[]> {
  const months = ctx.settings.int('lapsed.months');
  const visitDays = lapsedVisitDays(day, months);
  const [dayStart, dayEnd] = dayRange(day, ctx.tz);
  // customers who asked to be called again today are listed once more (SPEC §16)
  const again = await lapsedCallAgain(ctx.db, dayStart, dayEnd);
  if (!visitDays.length) return lapsedRows([], day, months, ctx.tz, again);
  const [from, to] = daysRange(visitDays[0]!, visitDays[visitDays.length - 1]!, ctx.tz);
  return lapsedRows(await lapsedCustomers(ctx.db, from, to, dayStart), day, months, ctx.tz, again);
}

export default {
  name: 'lapsed-customers',
  columns: [
    { key: 'customer_name', zh: '客户姓名', en: 'Customer', type: 'text' },
    { key: 'phone', zh: '手机', en: 'Phone', type: 'text' },
    { key: 'plates', zh: '车牌号', en: 'Plates', type: 'text' },
    { key: 'last_visit_on', zh: '上次到店日期', en: 'Last visit', type: 'date' },
    { key: 'last_order_number', zh: '上次工单号', en: 'Last order', type: 'text' },
    { key: 'visits', zh: '到店次数', en: 'Visits', type: 'int' },
    { key: 'lifetime_spend', zh: '累计消费', en: 'Lifetime spend', type: 'money' },
    { key: 'last_contact', zh: '最近联系', en: 'Last contact', type: 'text' },
  ],
  contact: { list: 'lapsed-customers', subjectOf: (row: Row) => `customer:${row._subject}` },
  async *rows({ ctx, day }) {
    yield await lapsedCustomerRows(ctx, day);
  },
} satisfies JobDefinition;
