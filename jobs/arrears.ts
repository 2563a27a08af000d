/**
 * arrears (SPEC §6.8): delivered orders with a balance above zero on D — delivered by the end of D,
 * counting only payments made by the end of D — oldest delivery first. Money owed stays owed when the
 * car is sold or scrapped, so deactivated vehicles stay on this list (SPEC §6's "appear on none" is
 * meant for the calling and reminder lists); it is not a calling list, so do-not-contact customers stay too.
 * Query (streamed from its partial index): src/db/lists/arrears.ts; plan: src/domain/jobs/arrears.ts.
 */
import type { Column, JobDefinition, Row } from './types.js';
import { dayRange, localDayCache } from '../src/domain/time.js';
import { arrearsRows } from '../src/domain/jobs/arrears.js';
import { arrearsPages } from '../src/db/lists/arrears.js';

export { sql } from '../src/db/lists/arrears.js';

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
  { key: 'last_contact', zh: '最近联系', en: 'Last contact', type: 'text' },
] as const satisfies readonly Column[];

export default {
  name: 'arrears',
  columns,
  contact: { list: 'arrears', subjectOf: (row: Row) => `order:${row.order_number}` },
  async *rows({ ctx, day }) {
    const end = dayRange(day, ctx.tz)[1];
    const toDay = localDayCache(ctx.tz);
    for await (const page of arrearsPages(ctx.db, end, end <= ctx.now.toISOString())) yield arrearsRows(page, day, toDay);
  },
} satisfies JobDefinition;
