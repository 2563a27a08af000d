/** Bulk look-ups for the importer: one query per 500 keys, never one per row. */
import type { Db, Param } from './sqlite.js';

async function inChunks<T>(db: Db, sql: (marks: string) => string, keys: readonly Param[], onRow: (row: T) => void): Promise<void> {
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await db.all<T>(sql(chunk.map(() => '?').join(',')), chunk);
    rows.forEach(onRow);
  }
}

/** phone → customer id and name, for the phones that exist. */
export async function customersByPhone(db: Db, phones: readonly string[]): Promise<Map<string, { id: number; name: string }>> {
  const found = new Map<string, { id: number; name: string }>();
  await inChunks<{ id: number; name: string; phone: string }>(db, (m) => `SELECT id, name, phone FROM customers WHERE phone IN (${m})`, phones, (r) =>
    found.set(r.phone, { id: r.id, name: r.name }),
  );
  return found;
}

/** plate → vehicle id, for the plates that exist. */
export async function vehiclesByPlate(db: Db, plates: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  await inChunks<{ id: number; plate: string }>(db, (m) => `SELECT id, plate FROM vehicles WHERE plate IN (${m})`, plates, (r) => found.set(r.plate, r.id));
  return found;
}

/** VIN → plate of the vehicle holding it, for the VINs that exist. */
export async function vehiclesByVin(db: Db, vins: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  await inChunks<{ vin: string; plate: string }>(db, (m) => `SELECT vin, plate FROM vehicles WHERE vin IN (${m})`, vins, (r) => found.set(r.vin, r.plate));
  return found;
}
