/**
 * The maintenance-due plan (SPEC §6.3): the facts of a candidate vehicle (src/db/reports.ts
 * MAINTENANCE_FACTS_SQL), the settings slice, the day and the zone → its row, or none. The rule itself
 * is src/domain/maintenance.ts. Pure.
 */
import type { Settings } from '../settings.js';
import type { Row } from './types.js';
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
} from '../maintenance.js';
import { addDays, dayRange, type Day } from '../time.js';

/** What the §6.3 rule needs to know about one vehicle. */
export interface MaintenanceFacts {
  id: number;
  initial_km: number | null;
  added_on: string;
  last_service_on: string | null;
  last_service_km: number | null;
  interval_km: number | null;
  interval_months: number | null;
  /** the latest delivered maintenance order: delivery instant and check-in km (null: none) */
  service_at: string | null;
  service_km: number | null;
  /**
   * non-cancelled orders opened in the reading window, `opened_at km` joined by `,`; when there is none,
   * the latest one opened before (its km is the latest reading up to D)
   */
  readings: string | null;
}

/** What the list shows about a listed vehicle. */
export interface MaintenanceContact {
  id: number;
  plate: string;
  model: string | null;
  customer_name: string;
  phone: string;
}

export interface MaintenanceBounds {
  /** the run date D and D − 365 (the reading window), shop-local days */
  day: string;
  windowFrom: string;
  /** start of the shop-local day D (instant) */
  dayStart: string;
  /** start of the shop-local day D + 1 (instant) */
  dayEnd: string;
  /** start of D − 365 (instant): readings before it do not count */
  windowStart: string;
  /** no last service before this instant / day can be listed (a bound, checked exactly in JS) */
  serviceFromAt: string;
  serviceFromDay: string;
  /** D − overdue_days and D + lead_days: the listing window of due_on */
  dueFrom: string;
  dueTo: string;
  defaultIntervalMonths: number;
  defaultIntervalKm: number;
  defaultDailyKm: number;
  /**
   * The same bounds as last-service days (UTC day of the delivery or the carried-over/added day) for
   * vehicles on the default interval, so most rows need no date()/julianday() in SQL:
   * below lastOnMin the due by time is before D − overdue_days; up to lastOnTimeMax it can be at most
   * D + lead_days; up to lastOnMileMax the due by mileage at the default daily_km can ('' : never).
   */
  lastOnMin: string;
  lastOnTimeMax: string;
  lastOnMileMax: string;
  /** job_listings run keys of the cooldown (null: no cooldown) */
  cooldownFrom: string | null;
  cooldownTo: string | null;
}

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

export function maintenanceRule(s: Settings, day: Day): MaintenanceRule {
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
export function maintenanceDue(rule: MaintenanceRule, v: MaintenanceFacts, toDay: (instant: string) => Day): ServiceDue | null {
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
export function maintenanceRow(rule: MaintenanceRule, v: MaintenanceContact, due: ServiceDue): Row {
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

