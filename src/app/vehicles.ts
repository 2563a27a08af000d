import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import {
  checkMileage, cleanSearch, cleanText, describeMileageProblem, normalizePlate, normalizeVin, parseKm,
} from '../domain/identity.js';
import { daysBetween, localDay, parseDay, toIso, type Day } from '../domain/time.js';
import { lastServiceOf, serviceDue, type OdometerReading } from '../domain/maintenance.js';
import {
  insertVehicle, updateVehicle, vehicleByPlate, vehicleByVin, vehicleReadings, searchVehicles, type DbVehicle, type NewVehicle,
} from '../db/vehicles.js';
import { findCustomer } from './customers.js';
import type { Settings } from '../domain/settings.js';
import type { Db } from '../db/sqlite.js';

export interface VehicleInput {
  customer?: string;
  plate?: string;
  vin?: string;
  make?: string;
  model?: string;
  color?: string;
  year?: string;
  purchased?: string;
  mileage?: string;
  intervalKm?: string;
  intervalMonths?: string;
  lastService?: string;
  lastServiceKm?: string;
  force?: boolean;
}

/** What was accepted only because of --force, for the audit log. */
export type Forced = string[];

function intIn(field: string, text: string, min: number, max: number): number {
  const s = String(text).normalize('NFKC').trim();
  if (!/^\d+$/.test(s) || +s < min || +s > max) throw invalid(field, text, `expected a whole number from ${min} to ${max}`);
  return +s;
}

/**
 * Validate the vehicle fields (not the owner). Pure apart from `today`; used by `vehicle add`,
 * `vehicle edit` and the importer. Problems `--force` may override are returned in `forced` when forced.
 */
export function validateVehicleFields(
  input: VehicleInput,
  today: Day,
  settings: Settings,
  partial: boolean,
): { fields: Partial<NewVehicle>; forced: Forced } {
  const fields: Partial<NewVehicle> = {};
  const forced: Forced = [];
  if (input.plate !== undefined) fields.plate = normalizePlate(input.plate);
  else if (!partial) throw usage('missing required --plate');
  if (input.vin !== undefined && input.vin !== '') {
    const r = normalizeVin(input.vin);
    if (r.expectedCheck) {
      if (!input.force) throw invalid('vin', input.vin, `check digit (9th character) should be ${r.expectedCheck}; check the VIN, or use --force`);
      forced.push(`vin check digit ${r.vin[8]} (expected ${r.expectedCheck})`);
    }
    fields.vin = r.vin;
  } else if (input.vin === '') fields.vin = null;
  for (const k of ['make', 'model', 'color'] as const) if (input[k] !== undefined) fields[k] = cleanText(k, input[k], 100);
  if (input.year !== undefined && input.year !== '') fields.year = intIn('year', input.year, 1950, +today.slice(0, 4) + 1);
  if (input.purchased !== undefined && input.purchased !== '') {
    const d = parseDay('purchased', input.purchased);
    if (d > today) throw invalid('purchased', input.purchased, `must not be after today (${today})`);
    fields.purchased_on = d;
  }
  if (input.mileage !== undefined && input.mileage !== '') fields.initial_km = parseKm('mileage', input.mileage);
  if (input.intervalKm !== undefined && input.intervalKm !== '') fields.interval_km = intIn('interval-km', input.intervalKm, 500, 100000);
  if (input.intervalMonths !== undefined && input.intervalMonths !== '') fields.interval_months = intIn('interval-months', input.intervalMonths, 1, 60);
  const hasDay = input.lastService !== undefined && input.lastService !== '';
  const hasKm = input.lastServiceKm !== undefined && input.lastServiceKm !== '';
  if (hasDay !== hasKm) throw usage(hasDay ? 'missing --last-service-km: --last-service needs the mileage of that service' : 'missing --last-service: --last-service-km needs the day of that service');
  if (hasDay) {
    const d = parseDay('last-service', input.lastService!);
    if (d > today) throw invalid('last-service', input.lastService, `must not be after today (${today})`);
    fields.last_service_on = d;
    fields.last_service_km = parseKm('last-service-km', input.lastServiceKm!);
    if (fields.initial_km !== undefined && fields.initial_km !== null) {
      const problem = checkMileage(fields.initial_km, today, { km: fields.last_service_km, day: d }, settings.int('mileage.max_daily_km'), daysBetween(d, today));
      if (problem) {
        if (!input.force) throw conflict(describeMileageProblem(fields.initial_km, problem));
        forced.push(describeMileageProblem(fields.initial_km, problem));
      }
    }
  }
  return { fields, forced };
}

export async function addVehicle(ctx: Ctx, input: VehicleInput): Promise<DbVehicle> {
  if (!input.customer) throw usage('missing required --customer');
  const today = localDay(ctx.now, ctx.tz);
  const { fields, forced } = validateVehicleFields(input, today, ctx.settings, false);
  return ctx.db.transaction(async (db) => {
    const customer = await findCustomer(ctx, input.customer!, 'customer');
    await assertUnique(db, fields.plate!, fields.vin ?? null, null);
    const v: NewVehicle = {
      customer_id: customer.id,
      plate: fields.plate!,
      vin: fields.vin ?? null,
      make: fields.make ?? null,
      model: fields.model ?? null,
      color: fields.color ?? null,
      year: fields.year ?? null,
      purchased_on: fields.purchased_on ?? null,
      initial_km: fields.initial_km ?? null,
      last_service_on: fields.last_service_on ?? null,
      last_service_km: fields.last_service_km ?? null,
      interval_km: fields.interval_km ?? null,
      interval_months: fields.interval_months ?? null,
      active: 1,
      created_at: toIso(ctx.now),
      added_on: today,
    };
    const id = await insertVehicle(db, v);
    await audit(ctx, 'add', 'vehicle', id, { plate: v.plate, customer_id: customer.id, ...(forced.length ? { forced } : {}) });
    return { id, ...v };
  });
}

async function assertUnique(db: Db, plate: string | undefined, vin: string | null | undefined, selfId: number | null): Promise<void> {
  if (plate) {
    const other = await vehicleByPlate(db, plate);
    if (other && other.id !== selfId) throw conflict(`plate ${plate} is already registered (vehicle ${other.id})`);
  }
  if (vin) {
    const other = await vehicleByVin(db, vin);
    if (other && other.id !== selfId) throw conflict(`VIN ${vin} is already registered to ${other.plate}`);
  }
}

export async function findVehicle(ctx: Ctx, plateText: string): Promise<DbVehicle> {
  const plate = normalizePlate(plateText);
  const v = await vehicleByPlate(ctx.db, plate);
  if (!v) throw notFound('vehicle', plate);
  return v;
}

export async function editVehicle(ctx: Ctx, plateText: string, input: VehicleInput): Promise<DbVehicle> {
  const today = localDay(ctx.now, ctx.tz);
  return ctx.db.transaction(async (db) => {
    const current = await findVehicle(ctx, plateText);
    const { fields, forced } = validateVehicleFields({ ...input, mileage: undefined }, today, ctx.settings, true);
    if (input.mileage !== undefined) throw usage('--mileage cannot be edited: readings come from check-ins (pitstop order open --mileage)');
    if (input.customer) fields.customer_id = (await findCustomer(ctx, input.customer, 'customer')).id;
    await assertUnique(db, fields.plate, fields.vin, current.id);
    if (fields.last_service_km != null) {
      // the carried-over service must fit the readings the vehicle already has
      const readings = await readingsOf(ctx, current.id);
      const later = readings.filter((r) => r.on >= fields.last_service_on! && r.km < fields.last_service_km!);
      const earlier = readings.filter((r) => r.on <= fields.last_service_on! && r.km > fields.last_service_km!);
      if ((later.length || earlier.length) && !input.force) {
        const r = (later[0] ?? earlier[0])!;
        throw conflict(`last-service-km ${fields.last_service_km} on ${fields.last_service_on} does not fit the reading ${r.km} km on ${r.on}; use --force if it is right`);
      }
      if (later.length || earlier.length) forced.push('last service reading out of order');
    }
    const changed = Object.fromEntries(Object.entries(fields).filter(([k, v]) => current[k as keyof DbVehicle] !== v));
    if (Object.keys(changed).length) {
      await updateVehicle(db, current.id, changed);
      await audit(ctx, 'edit', 'vehicle', current.id, { ...changed, ...(forced.length ? { forced } : {}) });
    }
    return { ...current, ...changed } as DbVehicle;
  });
}

export async function deactivateVehicle(ctx: Ctx, plateText: string): Promise<DbVehicle> {
  return ctx.db.transaction(async (db) => {
    const v = await findVehicle(ctx, plateText);
    if (!v.active) return v;
    await updateVehicle(db, v.id, { active: 0 });
    await audit(ctx, 'deactivate', 'vehicle', v.id, { plate: v.plate });
    return { ...v, active: 0 };
  });
}

export function listVehicles(ctx: Ctx, filter: { customerId?: number; text?: string; limit: number }) {
  return searchVehicles(ctx.db, { ...filter, text: cleanSearch(filter.text)?.toUpperCase() });
}

/** All odometer readings of a vehicle, each with its shop-local day. */
export async function readingsOf(ctx: Pick<Ctx, 'db' | 'tz'>, vehicleId: number): Promise<OdometerReading[]> {
  const rows = await vehicleReadings(ctx.db, vehicleId);
  return rows.map((r) => ({ km: r.km, on: r.on ?? localDay(r.at!, ctx.tz) }));
}

/** The latest reading (by day, then km): what a new reading may not go below. */
export function latestReading(readings: readonly OdometerReading[], upTo?: Day): OdometerReading | null {
  let best: OdometerReading | null = null;
  for (const r of readings) {
    if (upTo && r.on > upTo) continue;
    if (!best || r.on > best.on || (r.on === best.on && r.km > best.km)) best = r;
  }
  return best;
}

/** Check a new check-in reading against the vehicle's history: exit 4 unless forced. Returns the forced note. */
export async function checkNewReading(ctx: Ctx, vehicleId: number, km: number, day: Day, force: boolean): Promise<string | null> {
  const last = latestReading(await readingsOf(ctx, vehicleId), day);
  const problem = checkMileage(km, day, last ? { km: last.km, day: last.on } : null, ctx.settings.int('mileage.max_daily_km'), last ? daysBetween(last.on, day) : 0);
  if (!problem) return null;
  if (!force) throw conflict(describeMileageProblem(km, problem));
  return describeMileageProblem(km, problem);
}

/** Next service due for one vehicle on `day` (the maintenance-due rule, SPEC §6.3). */
export async function nextServiceDue(ctx: Ctx, v: DbVehicle, day: Day) {
  const order = await ctx.db.get<{ delivered_at: string; mileage_in: number }>(
    `SELECT delivered_at, mileage_in FROM orders WHERE vehicle_id = ? AND category = 'maintenance' AND status = 'delivered'
     ORDER BY delivered_at DESC, id DESC LIMIT 1`,
    [v.id],
  );
  const lastService = lastServiceOf(order ? { delivered_on: localDay(order.delivered_at, ctx.tz), mileage_in: order.mileage_in } : null, v);
  return serviceDue({
    day,
    lastService,
    intervalKm: v.interval_km ?? ctx.settings.int('maintenance.interval_km'),
    intervalMonths: v.interval_months ?? ctx.settings.int('maintenance.interval_months'),
    readings: await readingsOf(ctx, v.id),
    defaultDailyKm: ctx.settings.int('maintenance.daily_km'),
  });
}

/** Everything about one vehicle: owner, service history, open findings, next service due. */
export async function showVehicle(ctx: Ctx, plateText: string) {
  const vehicle = await findVehicle(ctx, plateText);
  const today = localDay(ctx.now, ctx.tz);
  const [owner, history, findings, readings] = await Promise.all([
    ctx.db.get('SELECT id, name, phone, kind, do_not_contact FROM customers WHERE id = ?', [vehicle.customer_id]),
    ctx.db.all(
      `SELECT number, opened_at, category, status, mileage_in, total_cents, paid_cents, delivered_at, complaint
         FROM orders WHERE vehicle_id = ? ORDER BY opened_at DESC LIMIT 50`,
      [vehicle.id],
    ),
    ctx.db.all(
      `SELECT f.id, f.description, f.severity, f.follow_up_on, f.created_at, o.number AS order_number FROM findings f JOIN orders o ON o.id = f.order_id
        WHERE f.vehicle_id = ? AND f.status = 'open' ORDER BY f.created_at`,
      [vehicle.id],
    ),
    readingsOf(ctx, vehicle.id),
  ]);
  const due = vehicle.active ? await nextServiceDue(ctx, vehicle, today) : null;
  const { vehicleInspection } = await import('./inspection.js');
  const inspection = await vehicleInspection(ctx, vehicle.id);
  return { vehicle, owner, history, open_findings: findings, inspection, readings: readings.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.km - b.km)), next_service: due };
}
