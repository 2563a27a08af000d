/**
 * overdue (SPEC §10): orders past their promised time and not yet ready, and complaints past their
 * reply-by, measured at the job's scheduled time on D (jobs.overdue.schedule, so a re-run gives the
 * same file), by due time. Query: src/db/lists/overdue.ts; plan: src/domain/jobs/overdue.ts.
 */
import type { Column, JobDefinition } from './types.js';
import { addDays, dayStart } from '../src/domain/time.js';
import { firesBetween } from '../src/domain/jobs/cron.js';
import { overdueRows } from '../src/domain/jobs/overdue.js';
import { overdueCandidates } from '../src/db/lists/overdue.js';

const columns = [
  { key: 'kind', zh: '类型', en: 'Kind', type: 'text' },
  { key: 'reference', zh: '单号', en: 'Reference', type: 'text' },
  { key: 'plate', zh: '车牌', en: 'Plate', type: 'text' },
  { key: 'customer_name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'text' },
  { key: 'advisor', zh: '服务顾问', en: 'Advisor', type: 'text' },
  { key: 'due_at', zh: '应完成时间', en: 'Due at', type: 'datetime' },
  { key: 'overdue_hours', zh: '超时(小时)', en: 'Overdue hours', type: 'decimal1' },
  { key: 'stage', zh: '阶段', en: 'Stage', type: 'text' },
] as const satisfies readonly Column[];

export default {
  name: 'overdue',
  columns,
  async *rows({ ctx, day }) {
    const start = dayStart(day, ctx.tz);
    const next = dayStart(addDays(day, 1), ctx.tz);
    const fire = (expr: string) => firesBetween(expr, new Date(start.getTime() - 1), new Date(next.getTime() - 1), ctx.tz)[0];
    const at = fire(ctx.settings.get('jobs.overdue.schedule')) ?? fire('0 10 * * *')!;
    yield overdueRows(await overdueCandidates(ctx.db, at.toISOString()), at);
  },
} satisfies JobDefinition;
