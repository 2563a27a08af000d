/**
 * The rows of the maintenance-due, lapsed-customers, revenue and callback-stats lists (SPEC §6.3–6.6):
 * SQL (src/db/reports.ts) → pure rule (src/domain/…). The job modules in jobs/ and `pitstop report`
 * both call these, so a report on the terminal and the job's CSV show the same figures.
 */
import type { Ctx } from './context.js';
import type { Settings } from '../domain/settings.js';
import type { Period, Row } from '../../jobs/types.js';
import {
  lapsedCustomers,
  candidateOf,
  maintenanceCandidates,
  maxIntervalMonths,
  revenueSums,
  callbackTally,
  type DbMaintenanceContact,
  type DbMaintenanceFacts,
  type MaintenanceBounds,
} from '../db/reports.js';
import {
  cooldownRunDays,
  earliestCandidateService,
  earliestListableDue,
  firstDayReaching,
  lastDayWithin,
  compileTemplate,
  inDueWindow,
  lastServiceOf,
  serviceDue,
  type OdometerReading,
  type ServiceDue,
} from '../domain/maintenance.js';
import { lapsedVisitDays, isLapsedOn, platesCell } from '../domain/lapsed.js';
import { revenueReportRows, type RevenueRow } from '../domain/revenue.js';
import { statRows, type StatRow } from '../domain/callbackStats.js';
import { addDays, dayRange, daysRange, isoWeek, localDay, localDayCache, monthOf, parseIsoWeek, parseMonth, type Day } from '../domain/time.js';
import { usage } from '../errors.js';


/** What the maintenance rule needs from the settings, read once per run. */
export interface MaintenanceRule {
  day: Day;
  intervalKm: number;
  intervalMonths: number;
  dailyKm: number;
  leadDays: number;
  overdueDays: number;
  template: string;
  shop: string;
  shopPhone: string;
}

export function maintenanceRule(ctx: Ctx, day: Day): MaintenanceRule {
  const s = ctx.settings;
  return {
    day,
    intervalKm: s.int('maintenance.interval_km'),
    intervalMonths: s.int('maintenance.interval_months'),
    dailyKm: s.int('maintenance.daily_km'),
    leadDays: s.int('maintenance.lead_days'),
    overdueDays: s.int('maintenance.overdue_days'),
    template: s.get(`message.maintenance.${s.locale}`),
    shop: s.get('shop.name'),
    shopPhone: s.get('shop.phone'),
  };
}

/** The facts of one vehicle → when it is due, or null when the rule does not list it on the run date. */
export function maintenanceDue(rule: MaintenanceRule, v: DbMaintenanceFacts, toDay: (instant: string) => Day): ServiceDue | null {
  const lastService = lastServiceOf(
    v.service_at ? { delivered_on: toDay(v.service_at), mileage_in: v.service_km ?? 0 } : null,
    v,
  );
  const readings: OdometerReading[] = [];
  if (v.initial_km !== null) readings.push({ km: v.initial_km, on: v.added_on });
  if (v.last_service_on && v.last_service_km !== null) readings.push({ km: v.last_service_km, on: v.last_service_on });
  for (const text of v.readings ? v.readings.split(',') : []) {
    const space = text.indexOf(' ');
    readings.push({ km: Number(text.slice(space + 1)), on: toDay(text.slice(0, space)) });
  }
  const due = serviceDue({
    day: rule.day,
    lastService,
    intervalKm: v.interval_km ?? rule.intervalKm,
    intervalMonths: v.interval_months ?? rule.intervalMonths,
    readings,
    defaultDailyKm: rule.dailyKm,
  });
  return inDueWindow(due.dueOn, rule.day, rule.leadDays, rule.overdueDays) ? due : null;
}

const compiled = new Map<string, (values: Record<string, string | number>) => string>();
function templateOf(template: string) {
  let fill = compiled.get(template);
  if (!fill) compiled.set(template, (fill = compileTemplate(template)));
  return fill;
}

/** A listed vehicle's row, message filled in. */
export function maintenanceRow(rule: MaintenanceRule, v: DbMaintenanceContact, due: ServiceDue): Row {
  const message = templateOf(rule.template)({
    customer: v.customer_name,
    shop: rule.shop,
    plate: v.plate,
    due_on: due.dueOn,
    estimated_km: due.estimatedKm,
    phone: rule.shopPhone,
    model: v.model ?? '',
  });
  return {
    plate: v.plate,
    model: v.model,
    customer_name: v.customer_name,
    phone: v.phone,
    last_service_on: due.lastService.on,
    last_service_km: due.lastService.km,
    estimated_km: due.estimatedKm,
    due_on: due.dueOn,
    due_by: due.dueBy,
    days_until_due: due.daysUntilDue,
    message,
    _subject: v.id,
  };
}

/** The bounds and parameters of the candidates query for `day` (maxMonths: the longest interval any vehicle has). */
export function maintenanceBounds(settings: Settings, tz: string, day: Day, maxMonths: number): MaintenanceBounds {
  const overdue = settings.int('maintenance.overdue_days');
  const serviceFrom = earliestCandidateService(day, overdue, maxMonths);
  const cooldown = cooldownRunDays(day, settings.int('maintenance.cooldown_days'));
  const [dayStart, dayEnd] = dayRange(day, tz);
  const months = settings.int('maintenance.interval_months');
  const dueFrom = earliestListableDue(day, overdue);
  const dueTo = addDays(day, settings.int('maintenance.lead_days'));
  // the delivery's local day is its UTC day ± 1: one day of margin for that, one more for safety
  const km = settings.int('maintenance.interval_km');
  const daily = settings.int('maintenance.daily_km');
  const mileDays = daily > 0 ? Math.floor(1 - km / daily) : null; // as the SQL: last_on − 1 + km / daily ≤ due_to
  return {
    day,
    windowFrom: addDays(day, -365),
    dayStart,
    dayEnd,
    windowStart: dayRange(addDays(day, -365), tz)[0],
    serviceFromAt: dayRange(serviceFrom, tz)[0],
    serviceFromDay: serviceFrom,
    dueFrom: earliestListableDue(day, overdue),
    dueTo: addDays(day, settings.int('maintenance.lead_days')),
    defaultIntervalMonths: settings.int('maintenance.interval_months'),
    defaultIntervalKm: settings.int('maintenance.interval_km'),
    defaultDailyKm: settings.int('maintenance.daily_km'),
    cooldownFrom: cooldown?.from ?? null,
    cooldownTo: cooldown?.to ?? null,
    lastOnMin: addDays(firstDayReaching(dueFrom, months), -2),
    lastOnTimeMax: addDays(lastDayWithin(dueTo, months), 2),
    lastOnMileMax: mileDays === null ? '' : addDays(dueTo, mileDays + 1),
  };
}

/**
 * The maintenance-due list of `day`, in the order the candidates query finds the vehicles: the job
 * streams it into the writer as it comes and has the records sorted (due_on, then plate).
 */
export async function* maintenanceDueRows(ctx: Ctx, day: Day): AsyncGenerator<Row[]> {
  const maxMonths = await maxIntervalMonths(ctx.db, ctx.settings.int('maintenance.interval_months'));
  const toDay = localDayCache(ctx.tz);
  const rule = maintenanceRule(ctx, day);
  for await (const page of maintenanceCandidates(ctx.db, maintenanceBounds(ctx.settings, ctx.tz, day, maxMonths))) {
    const listed: Row[] = [];
    for (const r of page) {
      const v = candidateOf(r);
      const due = maintenanceDue(rule, v, toDay);
      if (due) listed.push(maintenanceRow(rule, v, due));
    }
    yield listed;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------- lapsed-customers

/** Customers whose latest visit + lapsed.months is exactly `day` (last_visit_on, then phone). */
export async function lapsedCustomerRows(ctx: Ctx, day: Day): Promise<Row[]> {
  const months = ctx.settings.int('lapsed.months');
  const visitDays = lapsedVisitDays(day, months);
  if (!visitDays.length) return [];
  const [from, to] = daysRange(visitDays[0]!, visitDays[visitDays.length - 1]!, ctx.tz);
  const found = await lapsedCustomers(ctx.db, from, to, dayRange(day, ctx.tz)[0]);
  const rows: Row[] = [];
  for (const c of found) {
    const lastVisit = localDay(c.last_opened_at, ctx.tz);
    if (!isLapsedOn(lastVisit, day, months)) continue;
    rows.push({
      customer_name: c.name,
      phone: c.phone,
      plates: platesCell(c.plates ? c.plates.split('\u001f') : []),
      last_visit_on: lastVisit,
      last_order_number: c.last_order_number,
      visits: c.visits,
      lifetime_spend: c.lifetime_spend_cents,
      _subject: c.id,
    });
  }
  return rows.sort((a, b) => cmp(a.last_visit_on as string, b.last_visit_on as string) || cmp(a.phone as string, b.phone as string));
}

// ---------------------------------------------------------------- revenue

/** The revenue rows of a period (ISO week or month), in output order. */
export async function revenueReport(ctx: Ctx, period: Period): Promise<RevenueRow[]> {
  const [from, to] = daysRange(period.first, period.last, ctx.tz);
  return revenueReportRows(period.key, await revenueSums(ctx.db, from, to));
}

// ---------------------------------------------------------------- callback-stats

/** The callback-stats rows of a month. */
export async function callbackStatsReport(ctx: Ctx, period: Period): Promise<StatRow[]> {
  const [from, to] = daysRange(period.first, period.last, ctx.tz);
  return statRows(await callbackTally(ctx.db, from, to));
}

/** The period a weekly/monthly job reports on D when none is given: the ISO week / month before D's. */
export function reportPeriod(cadence: 'weekly' | 'monthly', day: Day): Period {
  if (cadence === 'weekly') {
    const w = isoWeek(addDays(isoWeek(day).monday, -7));
    return { key: w.key, first: w.monday, last: w.sunday };
  }
  const m = monthOf(addDays(monthOf(day).first, -1));
  return { key: m.key, first: m.first, last: m.last };
}

/** `--week W` / `--month M` → a period (exit 2 on a bad value). */
export function parsePeriod(week: string | undefined, month: string | undefined): Period | null {
  if (week !== undefined && month !== undefined) throw usage('give either --week or --month, not both');
  if (week !== undefined) {
    const w = parseIsoWeek('--week', week);
    return { key: w.key, first: w.monday, last: w.sunday };
  }
  if (month !== undefined) {
    const m = parseMonth('--month', month);
    return { key: m.key, first: m.first, last: m.last };
  }
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
