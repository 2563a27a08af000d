/**
 * credits (SPEC §10): what the shop owes customers on D — deposits of cancelled and no-show bookings
 * not yet refunded, forfeited or carried to an order, and orders paid above their total — oldest first,
 * so no refund is forgotten. The arrears list stays what customers owe the shop. Not a calling list.
 * Query: src/db/lists/credits.ts; plan: src/domain/jobs/credits.ts.
 */
import type { Column, JobDefinition, Row } from './types.js';
import { dayRange, localDayCache } from '../src/domain/time.js';
import { creditsRows } from '../src/domain/jobs/credits.js';
import { creditCandidates } from '../src/db/lists/credits.js';

const columns = [
  { key: 'reference', zh: '单号', en: 'Reference', type: 'text' },
  { key: 'since', zh: '起始日期', en: 'Since', type: 'date' },
  { key: 'days_outstanding', zh: '天数', en: 'Days outstanding', type: 'int' },
  { key: 'customer_name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'text' },
  { key: 'plate', zh: '车牌', en: 'Plate', type: 'text' },
  { key: 'amount', zh: '应退金额', en: 'Amount', type: 'money' },
  { key: 'last_contact', zh: '最近联系', en: 'Last contact', type: 'text' },
] as const satisfies readonly Column[];

export default {
  name: 'credits',
  columns,
  contact: { list: 'credits', subjectOf: (row: Row) => (/^RO-/.test(String(row.reference)) ? `order:${row.reference}` : `booking:${row.reference}`) },
  async *rows({ ctx, day }) {
    const end = dayRange(day, ctx.tz)[1];
    yield creditsRows(await creditCandidates(ctx.db, end), end, day, localDayCache(ctx.tz));
  },
} satisfies JobDefinition;
