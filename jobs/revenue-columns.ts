/**
 * What revenue-weekly and revenue-monthly share (SPEC §6.5): the columns (money in cents) and the
 * period's rows — query src/db/reports.ts (REVENUE_SQL), plan src/domain/revenue.ts.
 */
import type { Column, JobContext, Period } from './types.js';
import { revenueSums } from '../src/db/reports.js';
import { revenueReportRows, type RevenueRow } from '../src/domain/revenue.js';
import { daysRange } from '../src/domain/time.js';

export const revenueColumns = [
  { key: 'period', zh: '期间', en: 'Period', type: 'text' },
  { key: 'dimension', zh: '维度', en: 'Dimension', type: 'text' },
  { key: 'key', zh: '项目', en: 'Key', type: 'text' },
  { key: 'orders', zh: '工单数', en: 'Orders', type: 'int' },
  { key: 'vehicles', zh: '车辆数', en: 'Vehicles', type: 'int' },
  { key: 'labor', zh: '工时费', en: 'Labour', type: 'money' },
  { key: 'parts', zh: '材料费', en: 'Parts', type: 'money' },
  { key: 'other', zh: '其他费用', en: 'Other', type: 'money' },
  { key: 'discount', zh: '折扣', en: 'Discount', type: 'money' },
  { key: 'total', zh: '营业收入', en: 'Total', type: 'money' },
  { key: 'paid', zh: '已收款', en: 'Paid', type: 'money' },
  { key: 'outstanding', zh: '欠款', en: 'Outstanding', type: 'money' },
  { key: 'avg_order', zh: '平均单价', en: 'Average order', type: 'money' },
] as const satisfies readonly Column[];

/** The revenue rows of a period (ISO week or month), in output order (also `pitstop report revenue`). */
export async function revenueReport(ctx: Pick<JobContext, 'db' | 'tz'>, period: Period): Promise<RevenueRow[]> {
  const [from, to] = daysRange(period.first, period.last, ctx.tz);
  return revenueReportRows(period.key, await revenueSums(ctx.db, from, to));
}
