/**
 * Bulk look-ups for the importer: one query per 10 000 keys, never one per row. The keys travel as one
 * JSON array (`IN (SELECT value FROM json_each(?))`, which SQLite answers from the column's index).
 */
import { jsonParam, type Db } from './sqlite.js';

async function inChunks<T>(db: Db, sql: string, keys: readonly string[], onRow: (row: T) => void): Promise<void> {
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 10_000) {
    const rows = await db.all<T>(sql, [jsonParam(unique.slice(i, i + 10_000))]);
    rows.forEach(onRow);
  }
}

/** The chunk of keys, one JSON array parameter. */
const KEYS = 'SELECT value FROM json_each(?)';

/** phone → customer id and name, for the phones that exist. */
export async function customersByPhone(db: Db, phones: readonly string[]): Promise<Map<string, { id: number; name: string }>> {
  const found = new Map<string, { id: number; name: string }>();
  await inChunks<{ id: number; name: string; phone: string }>(db, `SELECT id, name, phone FROM customers WHERE phone IN (${KEYS})`, phones, (r) =>
    found.set(r.phone, { id: r.id, name: r.name }),
  );
  return found;
}

/** plate → vehicle id, for the plates that exist. */
export async function vehiclesByPlate(db: Db, plates: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  await inChunks<{ id: number; plate: string }>(db, `SELECT id, plate FROM vehicles WHERE plate IN (${KEYS})`, plates, (r) => found.set(r.plate, r.id));
  return found;
}

/** VIN → plate of the vehicle holding it, for the VINs that exist. */
export async function vehiclesByVin(db: Db, vins: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  await inChunks<{ vin: string; plate: string }>(db, `SELECT vin, plate FROM vehicles WHERE vin IN (${KEYS})`, vins, (r) => found.set(r.vin, r.plate));
  return found;
}
