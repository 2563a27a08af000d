/**
 * maintenance-due (SPEC §6.3): vehicles whose next service falls due around D, to remind their owners.
 * Query: src/db/reports.ts (MAINTENANCE_FACTS_SQL, streamed a page at a time); plan:
 * src/domain/jobs/maintenance-due.ts. Rows are formatted while SQLite reads and sorted at the end.
 */
import type { JobContext, JobDefinition, Row } from './types.js';
import { candidateOf, maintenanceCandidates, maintenanceParams, maxIntervalMonths } from '../src/db/reports.js';
import { maintenanceBounds, maintenanceDue, maintenanceRow, maintenanceRule } from '../src/domain/jobs/maintenance-due.js';
import { Settings } from '../src/domain/settings.js';
import { contactAllows } from './contact-outcomes.js';
import { localDayCache, type Day } from '../src/domain/time.js';

/**
 * The maintenance-due list of `day`, in the order the candidates query finds the vehicles: the job
 * streams it into the writer as it comes and has the records sorted (due_on, then plate).
 */
export async function* maintenanceDueRows(ctx: Pick<JobContext, 'db' | 'settings' | 'tz'>, day: Day): AsyncGenerator<Row[]> {
  const maxMonths = await maxIntervalMonths(ctx.db, ctx.settings.int('maintenance.interval_months'));
  const toDay = localDayCache(ctx.tz);
  const rule = maintenanceRule(ctx.settings, day);
  const allows = await contactAllows(ctx, 'maintenance-due', day, ctx.settings.int('maintenance.cooldown_days'));
  for await (const page of maintenanceCandidates(ctx.db, maintenanceBounds(ctx.settings, ctx.tz, day, maxMonths))) {
    const listed: Row[] = [];
    for (const r of page) {
      const v = candidateOf(r);
      const due = maintenanceDue(rule, v, toDay);
      if (due) {
        const row = maintenanceRow(rule, v, due);
        if (allows(`vehicle:${row._subject}`)) listed.push(row);
      }
    }
    yield listed;
  }
}

export default {
  name: 'maintenance-due',
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
    { key: 'last_contact', zh: '最近联系', en: 'Last contact', type: 'text' },
  ],
  contact: { list: 'maintenance-due', subjectOf: (row: Row) => `vehicle:${row._subject}` },
  rows: ({ ctx, day }) => maintenanceDueRows(ctx, day),
  // due_on (fixed width), then plate; U+0000 (never in a validated plate) sorts a shorter plate first
  orderKey: (row) => `${row.due_on}\u0000${row.plate}`,
  subjectOf: (row: Row) => Number(row._subject),
} satisfies JobDefinition;

/**
 * For the benchmark's core-SQL timing (bench/core-sql.ts): the candidates statement and its named
 * parameters for run date `day` with the default settings (maxMonths: the longest vehicle interval).
 */
export { MAINTENANCE_FACTS_SQL as SQL } from '../src/db/reports.js';

export async function sqlParams(day: string, tz: string, maxMonths = 12): Promise<Record<string, string | number | null>> {
  return maintenanceParams(maintenanceBounds(Settings.defaults(), tz, day, maxMonths));
}
