/** When is a vehicle due for its next service (SPEC §6.3)? Pure: the caller loads the facts. */
import { addMonths, type Day } from './time.js';
import { ownValue } from './templates.js';

// Day arithmetic on epoch-day numbers, memoized: the maintenance-due job applies this rule to tens of
// thousands of vehicles whose days repeat (same as time.ts addDays / daysBetween, only faster).
const numOfDay = new Map<Day, number>();
const dayOfNum = new Map<number, Day>();

function dayNum(day: Day): number {
  let n = numOfDay.get(day);
  if (n === undefined) {
    n = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / 86_400_000;
    numOfDay.set(day, n);
  }
  return n;
}

function numDay(n: number): Day {
  let day = dayOfNum.get(n);
  if (day === undefined) {
    day = new Date(n * 86_400_000).toISOString().slice(0, 10);
    dayOfNum.set(n, day);
  }
  return day;
}

const addDays = (day: Day, n: number): Day => numDay(dayNum(day) + n);
const daysBetween = (a: Day, b: Day): number => dayNum(b) - dayNum(a);

// time.ts addMonths, memoized by (day, months): the due-by-time days of a run repeat as much as the days.
const monthsLater = new Map<string, Day>();
function addMonthsMemo(day: Day, months: number): Day {
  const key = `${day}+${months}`;
  let out = monthsLater.get(key);
  if (out === undefined) {
    out = addMonths(day, months);
    monthsLater.set(key, out);
  }
  return out;
}

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
  // earliest = lowest km of the earliest day, latest = highest km of the latest day, within D − 365 … D
  let first: OdometerReading | null = null;
  let last: OdometerReading | null = null;
  for (const r of readings) {
    if (r.on < from || r.on > day) continue;
    if (!first || r.on < first.on || (r.on === first.on && r.km < first.km)) first = r;
    if (!last || r.on > last.on || (r.on === last.on && r.km > last.km)) last = r;
  }
  if (first && last && first !== last) {
    const days = daysBetween(first.on, last.on);
    if (days >= 30) return { km: last.km - first.km, days, measured: true };
  }
  return { km: defaultDailyKm, days: 1, measured: false };
}

/** ceil(n / d) for non-negative safe integers, exactly (the float quotient corrected by one multiplication). */
function ceilDiv(n: number, d: number): number {
  const q = Math.floor(n / d);
  return q * d < n ? q + 1 : q;
}

/** n / d rounded half up, for non-negative safe integers, exactly. */
function roundDiv(n: number, d: number): number {
  let q = Math.floor(n / d);
  if (q * d > n) q--;
  else if ((q + 1) * d <= n) q++;
  return 2 * (n - q * d) >= d ? q + 1 : q;
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
  const dueByTime = addMonthsMemo(lastService.on, input.intervalMonths);
  let dueByMileage: Day | null = null;
  // ceil(interval_km / (km/days)) = ceil(interval_km × days / km), exactly (all well inside 2^53)
  if (daily.km > 0) dueByMileage = addDays(lastService.on, ceilDiv(input.intervalKm * daily.days, daily.km));
  const byMileage = dueByMileage !== null && dueByMileage < dueByTime;
  const dueOn = byMileage ? dueByMileage! : dueByTime;
  // latest reading up to D (highest km of its day), carried forward at daily_km
  let latest: OdometerReading | null = null;
  for (const r of input.readings) {
    if (r.on <= day && (!latest || r.on > latest.on || (r.on === latest.on && r.km > latest.km))) latest = r;
  }
  latest ??= { km: lastService.km, on: lastService.on };
  const elapsed = Math.max(0, daysBetween(latest.on, day));
  const perDay = Math.max(0, daily.km);
  const estimatedKm = latest.km + roundDiv(perDay * elapsed, daily.days);
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

/** The earliest day whose `months` later (addMonths, clamped) is on or after `target`. */
export function firstDayReaching(target: Day, months: number): Day {
  let day = addDays(addMonths(target, -months), -4);
  while (addMonthsMemo(day, months) < target) day = addDays(day, 1);
  return day;
}

/** The latest day whose `months` later (addMonths, clamped) is on or before `target`. */
export function lastDayWithin(target: Day, months: number): Day {
  let day = addDays(addMonths(target, -months), 4);
  while (addMonthsMemo(day, months) > target) day = addDays(day, -1);
  return day;
}

/** Fill `{name}` placeholders; unknown ones are left as they are so a typo in a template shows. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const v = ownValue(values, name);
    return v === undefined ? whole : String(v);
  });
}

/** fillTemplate with the template parsed once: the same text for the same values, faster for many rows. */
export function compileTemplate(template: string): (values: Record<string, string | number>) => string {
  const parts = template.split(/\{([a-z_]+)\}/); // literal, name, literal, name, …, literal
  return (values) => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!;
      const v = ownValue(values, name);
      out += (v === undefined ? `{${name}}` : String(v)) + parts[i + 1]!;
    }
    return out;
  };
}

