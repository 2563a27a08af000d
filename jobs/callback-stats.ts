/** callback-stats (SPEC §6.6): follow-up quality of the month before D's (or --month). */
import type { JobDefinition } from './types.js';

const job = {
  name: 'callback-stats',
  cadence: 'monthly',
  columns: [
    { key: 'metric', zh: '指标', en: 'Metric', type: 'text' },
    { key: 'key', zh: '项目', en: 'Key', type: 'text' },
    // counts, 1- and 2-decimal figures in one column: written as the job formats them (never negative,
    // so never formula-guarded) and read by a spreadsheet as numbers
    { key: 'value', zh: '数值', en: 'Value', type: 'text', sheet: 'number' },
  ],
  async *rows({ ctx, day, period }) {
    const { callbackStatsReport, reportPeriod } = await import('../src/app/reports.js');
    const { formatStatValue } = await import('../src/domain/callbackStats.js');
    const rows = await callbackStatsReport(ctx, period ?? reportPeriod('monthly', day));
    yield rows.map((row) => ({ metric: row.metric, key: row.key, value: formatStatValue(row) }));
  },
} satisfies JobDefinition;

export default job;
