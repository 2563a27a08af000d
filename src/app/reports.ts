/**
 * The rows of the maintenance-due, lapsed-customers, revenue and callback-stats lists (SPEC §6.3–6.6):
 * SQL (src/db/reports.ts) → pure rule (src/domain/…). The job modules in jobs/ and `pitstop report`
 * both call these, so a report on the terminal and the job's CSV show the same figures.
 */
import type { Ctx } from './context.js';
import type { Period } from '../domain/jobs/types.js';
import { maintenanceRule as planRule, type MaintenanceRule } from '../domain/jobs/maintenance-due.js';
import { defaultPeriod, monthPeriod, weekPeriod } from '../domain/jobs/periods.js';
import type { RevenueRow } from '../domain/revenue.js';
import type { Day } from '../domain/time.js';
import { usage } from '../errors.js';


// The lists' compositions live with their jobs (query in src/db, plan in src/domain, wiring in jobs/);
// `pitstop report` and the tests reach them here under their old names.
export { maintenanceDueRows } from '../../jobs/maintenance-due.js';
export { lapsedCustomerRows } from '../../jobs/lapsed-customers.js';
export { revenueReport } from '../../jobs/revenue-columns.js';
export { callbackStatsReport } from '../../jobs/callback-stats.js';
export { maintenanceBounds, maintenanceDue, maintenanceRow, type MaintenanceRule } from '../domain/jobs/maintenance-due.js';

/** What the maintenance rule needs from the settings, read once per run. */
export function maintenanceRule(ctx: Pick<Ctx, 'settings'>, day: Day): MaintenanceRule {
  return planRule(ctx.settings, day);
}

/** The period a weekly/monthly job reports on D when none is given: the ISO week / month before D's. */
export function reportPeriod(cadence: 'weekly' | 'monthly', day: Day): Period {
  return defaultPeriod(cadence, day)!;
}

/** `--week W` / `--month M` → a period (exit 2 on a bad value). */
export function parsePeriod(week: string | undefined, month: string | undefined): Period | null {
  if (week !== undefined && month !== undefined) throw usage('give either --week or --month, not both');
  if (week !== undefined) return weekPeriod(week);
  if (month !== undefined) return monthPeriod(month);
  return null;
}

const REVENUE_MONEY = ['labor', 'parts', 'other', 'discount', 'total', 'paid', 'outstanding', 'avg_order'] as const;

/** Revenue rows for --json: money fields renamed `<name>_cents` (integer cents). */
export function revenueJson(rows: readonly RevenueRow[]): Array<Record<string, string | number>> {
  return rows.map((r) => {
    const out: Record<string, string | number> = { period: r.period, dimension: r.dimension, key: r.key, orders: r.orders, vehicles: r.vehicles };
    for (const k of REVENUE_MONEY) out[`${k}_cents`] = r[k];
    return out;
  });
}
