/** revenue-weekly (SPEC §6.5): revenue and arrears of the ISO week before D's (or --week). */
import type { JobDefinition } from './types.js';
import { defaultPeriod } from '../src/domain/jobs/periods.js';
import { revenueColumns, revenueReport } from './revenue-columns.js';

export default {
  name: 'revenue-weekly',
  columns: revenueColumns,
  async *rows({ ctx, day, period }) {
    yield await revenueReport(ctx, period ?? defaultPeriod('weekly', day)!);
  },
} satisfies JobDefinition;
