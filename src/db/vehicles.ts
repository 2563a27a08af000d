import type { Db } from './sqlite.js';

export interface DbVehicle {
  id: number;
  customer_id: number;
  plate: string;
  vin: string | null;
  make: string | null;
  model: string | null;
  color: string | null;
  year: number | null;
  purchased_on: string | null;
  initial_km: number | null;
  last_service_on: string | null;
  last_service_km: number | null;
  interval_km: number | null;
  interval_months: number | null;
  active: 0 | 1;
  created_at: string;
  added_on: string;
}

export type NewVehicle = Omit<DbVehicle, 'id'>;

const COLUMNS = [
  'customer_id', 'plate', 'vin', 'make', 'model', 'color', 'year', 'purchased_on', 'initial_km',
  'last_service_on', 'last_service_km', 'interval_km', 'interval_months', 'active', 'created_at', 'added_on',
] as const;
export const VEHICLE_COLUMNS: readonly string[] = COLUMNS;

export async function insertVehicle(db: Db, v: NewVehicle): Promise<number> {
  const r = await db.run(
    `INSERT INTO vehicles (${COLUMNS.join(',')}) VALUES (${COLUMNS.map(() => '?').join(',')})`,
    COLUMNS.map((k) => v[k]),
  );
  return r.lastID;
}

export async function updateVehicle(db: Db, id: number, changes: Partial<NewVehicle>): Promise<void> {
  const keys = Object.keys(changes).filter((k) => (COLUMNS as readonly string[]).includes(k)) as (keyof NewVehicle)[];
  if (!keys.length) return;
  await db.run(`UPDATE vehicles SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k] as string | number | null), id]);
}

export function vehicleByPlate(db: Db, plate: string): Promise<DbVehicle | undefined> {
  return db.get<DbVehicle>('SELECT * FROM vehicles WHERE plate = ?', [plate]);
}

export function vehicleById(db: Db, id: number): Promise<DbVehicle | undefined> {
  return db.get<DbVehicle>('SELECT * FROM vehicles WHERE id = ?', [id]);
}

export function vehicleByVin(db: Db, vin: string): Promise<DbVehicle | undefined> {
  return db.get<DbVehicle>('SELECT * FROM vehicles WHERE vin = ?', [vin]);
}

export function vehiclesOfCustomer(db: Db, customerId: number): Promise<DbVehicle[]> {
  return db.all<DbVehicle>('SELECT * FROM vehicles WHERE customer_id = ? ORDER BY active DESC, plate', [customerId]);
}

export function searchVehicles(db: Db, filter: { customerId?: number; text?: string; limit: number }): Promise<(DbVehicle & { customer_name: string; phone: string })[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.customerId) (where.push('v.customer_id = ?'), params.push(filter.customerId));
  if (filter.text) {
    const like = `%${filter.text.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
    // the owner's name too (SPEC §10: the desk finds a car by its owner)
    where.push(`(v.plate LIKE ? ESCAPE '\\' OR v.vin LIKE ? ESCAPE '\\' OR v.model LIKE ? ESCAPE '\\' OR v.make LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\')`);
    params.push(like, like, like, like, like);
  }
  params.push(filter.limit);
  return db.all(
    `SELECT v.*, c.name AS customer_name, c.phone FROM vehicles v JOIN customers c ON c.id = v.customer_id
     ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY v.id LIMIT ?`,
    params,
  );
}

export interface DbReading {
  km: number;
  /** shop-local day, or an instant (orders) the caller turns into a day */
  on: string | null;
  at: string | null;
  source: 'added' | 'last_service' | 'order';
}

/**
 * Every odometer reading of a vehicle (SPEC §6.3): the mileage given when it was added, the carried-over
 * last service, and each non-cancelled order's check-in mileage.
 */
export function vehicleReadings(db: Db, vehicleId: number): Promise<DbReading[]> {
  return db.all<DbReading>(
    `SELECT initial_km AS km, added_on AS "on", NULL AS at, 'added' AS source FROM vehicles WHERE id = ?1 AND initial_km IS NOT NULL
     UNION ALL
     SELECT last_service_km, last_service_on, NULL, 'last_service' FROM vehicles WHERE id = ?1 AND last_service_km IS NOT NULL AND last_service_on IS NOT NULL
     UNION ALL
     SELECT mileage_in, NULL, opened_at, 'order' FROM orders WHERE vehicle_id = ?1 AND status <> 'cancelled'`,
    [vehicleId],
  );
}
