/** revenue-monthly (SPEC §6.5): revenue and arrears of the month before D's (or --month). */
import type { JobDefinition } from './types.js';
import { revenueColumns } from './revenue-columns.js';

const job = {
  name: 'revenue-monthly',
  cadence: 'monthly',
  columns: revenueColumns,
  async *rows({ ctx, day, period }) {
    const { revenueReport, reportPeriod } = await import('../src/app/reports.js');
    yield await revenueReport(ctx, period ?? reportPeriod('monthly', day));
  },
} satisfies JobDefinition;

export default job;
