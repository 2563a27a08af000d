/**
 * callback-stats (SPEC §6.6): follow-up quality of the month before D's (or --month).
 * Query: src/db/reports.ts (CALLBACK_STATS_SQL); plan: src/domain/callbackStats.ts.
 */
import type { JobContext, JobDefinition, Period } from './types.js';
import { defaultPeriod } from '../src/domain/jobs/periods.js';
import { callbackTally, listConversion } from '../src/db/reports.js';
import { conversionRows, formatStatValue, statRows, type StatRow } from '../src/domain/callbackStats.js';
import { CONTACT_LISTS } from '../src/domain/contacts.js';
import { daysRange } from '../src/domain/time.js';

/** The callback-stats rows of a month (also `pitstop report callbacks`). */
export async function callbackStatsReport(ctx: Pick<JobContext, 'db' | 'tz'>, period: Period): Promise<StatRow[]> {
  const [from, to] = daysRange(period.first, period.last, ctx.tz);
  // then each calling list's month: listed, called, reached, booked within 14 days (SPEC §13)
  return [...statRows(await callbackTally(ctx.db, from, to)), ...conversionRows(await listConversion(ctx.db, CONTACT_LISTS, from, to, period.first, period.last))];
}

export default {
  name: 'callback-stats',
  columns: [
    { key: 'metric', zh: '指标', en: 'Metric', type: 'text' },
    { key: 'key', zh: '项目', en: 'Key', type: 'text' },
    // counts, 1- and 2-decimal figures in one column: written as the job formats them (never negative,
    // so never formula-guarded) and read by a spreadsheet as numbers
    { key: 'value', zh: '数值', en: 'Value', type: 'text', sheet: 'number' },
  ],
  async *rows({ ctx, day, period }) {
    const rows = await callbackStatsReport(ctx, period ?? defaultPeriod('monthly', day)!);
    yield rows.map((row) => ({ metric: row.metric, key: row.key, value: formatStatValue(row) }));
  },
} satisfies JobDefinition;
