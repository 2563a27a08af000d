/** revenue-monthly (SPEC §6.5): revenue and arrears of the month before D's (or --month). */
import type { JobDefinition } from './types.js';
import { defaultPeriod } from '../src/domain/jobs/periods.js';
import { revenueColumns, revenueReport } from './revenue-columns.js';

export default {
  name: 'revenue-monthly',
  columns: revenueColumns,
  async *rows({ ctx, day, period }) {
    yield await revenueReport(ctx, period ?? defaultPeriod('monthly', day)!);
  },
} satisfies JobDefinition;
