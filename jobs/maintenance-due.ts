/** maintenance-due (SPEC §6.3): vehicles whose next service falls due around D, to remind their owners. */
import type { JobDefinition, Row } from './types.js';

const job = {
  name: 'maintenance-due',
  cadence: 'daily',
  columns: [
    { key: 'plate', zh: '车牌号', en: 'Plate', type: 'text' },
    { key: 'model', zh: '车型', en: 'Model', type: 'text' },
    { key: 'customer_name', zh: '客户姓名', en: 'Customer', type: 'text' },
    { key: 'phone', zh: '手机', en: 'Phone', type: 'text' },
    { key: 'last_service_on', zh: '上次保养日期', en: 'Last service', type: 'date' },
    { key: 'last_service_km', zh: '上次保养里程', en: 'Last service km', type: 'int' },
    { key: 'estimated_km', zh: '估算当前里程', en: 'Estimated km', type: 'int' },
    { key: 'due_on', zh: '应保养日期', en: 'Due on', type: 'date' },
    { key: 'due_by', zh: '到期依据', en: 'Due by', type: 'text' },
    { key: 'days_until_due', zh: '距到期天数', en: 'Days until due', type: 'int' },
    { key: 'message', zh: '提醒短信', en: 'Message', type: 'text' },
  ],
  async *rows({ ctx, day }) {
    const { maintenanceDueRows } = await import('../src/app/reports.js');
    yield* maintenanceDueRows(ctx, day);
  },
  // due_on (fixed width), then plate; U+0000 (never in a validated plate) sorts a shorter plate first
  orderKey: (row) => `${row.due_on}\u0000${row.plate}`,
  subjectOf: (row: Row) => Number(row._subject),
} satisfies JobDefinition;

export default job;

/**
 * For the benchmark's core-SQL timing (bench/core-sql.ts): the candidates statement and its named
 * parameters for run date `day` with the default settings (maxMonths: the longest vehicle interval).
 */
export { MAINTENANCE_FACTS_SQL as SQL } from '../src/db/reports.js';

export async function sqlParams(day: string, tz: string, maxMonths = 12): Promise<Record<string, string | number | null>> {
  const { maintenanceBounds } = await import('../src/app/reports.js');
  const { maintenanceParams } = await import('../src/db/reports.js');
  const { Settings } = await import('../src/domain/settings.js');
  return maintenanceParams(maintenanceBounds(Settings.defaults(), tz, day, maxMonths));
}
