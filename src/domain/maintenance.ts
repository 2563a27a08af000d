/** When is a vehicle due for its next service (SPEC §6.3)? Pure: the caller loads the facts. */
import { divRoundHalfUp } from './money.js';
import { addDays, addMonths, daysBetween, type Day } from './time.js';

export interface OdometerReading {
  km: number;
  on: Day;
}

export interface LastService {
  on: Day;
  km: number;
  source: 'order' | 'carried_over' | 'added';
}

/** The latest delivered maintenance order, else the carried-over last service, else the day the vehicle was added. */
export function lastServiceOf(
  order: { delivered_on: Day; mileage_in: number } | null,
  vehicle: { last_service_on: Day | null; last_service_km: number | null; added_on: Day; initial_km: number | null },
): LastService {
  if (order) return { on: order.delivered_on, km: order.mileage_in, source: 'order' };
  if (vehicle.last_service_on) return { on: vehicle.last_service_on, km: vehicle.last_service_km ?? 0, source: 'carried_over' };
  return { on: vehicle.added_on, km: vehicle.initial_km ?? 0, source: 'added' };
}

/** daily_km as an exact fraction km/days, from the readings of the last 365 days. */
export interface DailyKm {
  km: number;
  days: number;
  /** true when estimated from readings, false when it is the setting's default */
  measured: boolean;
}

export function dailyKmOf(readings: readonly OdometerReading[], day: Day, defaultDailyKm: number): DailyKm {
  const from = addDays(day, -365);
  const window = readings.filter((r) => r.on >= from && r.on <= day).sort((a, b) => (a.on === b.on ? a.km - b.km : a.on < b.on ? -1 : 1));
  if (window.length >= 2) {
    const first = window[0]!;
    const last = window[window.length - 1]!;
    const days = daysBetween(first.on, last.on);
    if (days >= 30) return { km: last.km - first.km, days, measured: true };
  }
  return { km: defaultDailyKm, days: 1, measured: false };
}

export interface ServiceDue {
  lastService: LastService;
  dailyKm: number;
  dueByTime: Day;
  dueByMileage: Day | null;
  dueOn: Day;
  dueBy: 'time' | 'mileage';
  estimatedKm: number;
  daysUntilDue: number;
}

export function serviceDue(input: {
  day: Day;
  lastService: LastService;
  intervalKm: number;
  intervalMonths: number;
  readings: readonly OdometerReading[];
  defaultDailyKm: number;
}): ServiceDue {
  const { day, lastService } = input;
  const daily = dailyKmOf(input.readings, day, input.defaultDailyKm);
  const dueByTime = addMonths(lastService.on, input.intervalMonths);
  let dueByMileage: Day | null = null;
  if (daily.km > 0) {
    // ceil(interval_km / (km/days)) = ceil(interval_km × days / km), exactly
    const n = BigInt(input.intervalKm) * BigInt(daily.days);
    const d = BigInt(daily.km);
    dueByMileage = addDays(lastService.on, Number((n + d - 1n) / d));
  }
  const byMileage = dueByMileage !== null && dueByMileage < dueByTime;
  const dueOn = byMileage ? dueByMileage! : dueByTime;
  // latest reading up to D, carried forward at daily_km
  const upTo = input.readings.filter((r) => r.on <= day).sort((a, b) => (a.on === b.on ? a.km - b.km : a.on < b.on ? -1 : 1));
  const latest = upTo[upTo.length - 1] ?? { km: lastService.km, on: lastService.on };
  const elapsed = Math.max(0, daysBetween(latest.on, day));
  const perDay = Math.max(0, daily.km);
  const estimatedKm = latest.km + divRoundHalfUp(BigInt(perDay) * BigInt(elapsed), BigInt(daily.days));
  return {
    lastService,
    dailyKm: daily.km / daily.days,
    dueByTime,
    dueByMileage,
    dueOn,
    dueBy: byMileage ? 'mileage' : 'time',
    estimatedKm,
    daysUntilDue: daysBetween(day, dueOn),
  };
}

/** §6.3 window: listed when D − overdue_days ≤ due_on ≤ D + lead_days. */
export function inDueWindow(dueOn: Day, day: Day, leadDays: number, overdueDays: number): boolean {
  return addDays(day, -overdueDays) <= dueOn && dueOn <= addDays(day, leadDays);
}

/** Run dates whose listing keeps a vehicle off the list on D: D − cooldown_days … D − 1 (null: none). */
export function cooldownRunDays(day: Day, cooldownDays: number): { from: Day; to: Day } | null {
  if (cooldownDays <= 0) return null;
  return { from: addDays(day, -cooldownDays), to: addDays(day, -1) };
}

/**
 * The earliest time-based due day that can still be listed on D (due_on ≤ due by time, so a vehicle
 * whose due by time is before D − overdue_days is never listed). Used to bound the SQL candidates.
 */
export function earliestListableDue(day: Day, overdueDays: number): Day {
  return addDays(day, -overdueDays);
}

/**
 * A last-service day before this cannot give a due by time ≥ earliestListableDue with any interval of
 * at most `maxIntervalMonths` months (the margin covers month-end clamping). A cheap SQL bound.
 */
export function earliestCandidateService(day: Day, overdueDays: number, maxIntervalMonths: number): Day {
  return addDays(addMonths(earliestListableDue(day, overdueDays), -maxIntervalMonths), -4);
}

/** Fill `{name}` placeholders; unknown ones are left as they are so a typo in a template shows. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
