/** revenue-weekly (SPEC §6.5): revenue and arrears of the ISO week before D's (or --week). */
import type { JobDefinition } from './types.js';
import { revenueColumns } from './revenue-columns.js';

const job = {
  name: 'revenue-weekly',
  cadence: 'weekly',
  columns: revenueColumns,
  async *rows({ ctx, day, period }) {
    const { revenueReport, reportPeriod } = await import('../src/app/reports.js');
    yield await revenueReport(ctx, period ?? reportPeriod('weekly', day));
  },
} satisfies JobDefinition;

export default job;
