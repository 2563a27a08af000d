/**
 * The importer's SQL: its staging table and the look-ups against the archive, one statement for all the
 * staged rows (SQLite answers each row from the phone, plate and VIN indexes), never one per row.
 */
import { insertMany, jsonParam, type Db, type Param } from './sqlite.js';

/** The chunk of keys, one JSON array parameter. */
const KEYS = 'SELECT value FROM json_each(?)';

// ---------------------------------------------------------------- staging (large imports)

/**
 * A large import stages its checked rows in a TEMP table of the importing connection: the rest of
 * pitstop never reads it (no other connection can see it), writing it takes no lock on the database
 * file (so desks keep writing while a big file is read and checked), it lives in SQLite's temporary
 * file rather than in memory, and it vanishes with the connection, so an import that is killed
 * leaves nothing behind. The rows reach the real tables in one short final transaction (`moveStaged`).
 * Each staged row keeps its file line (the key) and, when a rejected file may be written, its cells.
 */
export type StagedKind = 'customers' | 'vehicles';

const STAGE = { customers: 'temp.import_customers', vehicles: 'temp.import_vehicles' } as const;

export const STAGED_COLUMNS: Record<StagedKind, readonly string[]> = {
  customers: ['line', 'cells', 'name', 'phone', 'kind', 'company', 'address', 'note', 'do_not_contact', 'created_at', 'no_calls', 'no_messages'],
  vehicles: [
    'line', 'cells', 'owner_phone', 'plate', 'vin', 'make', 'model', 'color', 'year', 'purchased_on', 'initial_km',
    'last_service_on', 'last_service_km', 'interval_km', 'interval_months', 'active', 'created_at', 'added_on',
  ],
};

/** A fresh, empty staging table for `kind` on this connection. */
export async function createStaging(db: Db, kind: StagedKind): Promise<void> {
  const [, , ...rest] = STAGED_COLUMNS[kind];
  await db.exec(
    `DROP TABLE IF EXISTS ${STAGE[kind]};
     CREATE TABLE ${STAGE[kind]} (line INTEGER PRIMARY KEY, cells TEXT, ${rest.join(', ')});`,
  );
}

export async function dropStaging(db: Db, kind: StagedKind): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS ${STAGE[kind]}`);
}

/** Add checked rows (values in STAGED_COLUMNS order). Autocommit on a TEMP table: no database lock. */
export function stageRows(db: Db, kind: StagedKind, rows: readonly Param[][]): Promise<void> {
  return insertMany(db, STAGE[kind], STAGED_COLUMNS[kind], rows);
}

export async function stagedCount(db: Db, kind: StagedKind): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${STAGE[kind]}`))!.n;
}

export interface StagedProblem {
  line: number;
  cells: string | null;
  error: string;
}

/** Rows repeating an earlier staged row's `column` (phone, plate, VIN), with the earlier line. */
export async function stagedRepeats(db: Db, kind: StagedKind, column: string): Promise<{ line: number; cells: string | null; key: string; first: number }[]> {
  const t = STAGE[kind];
  return db.all(
    `SELECT s.line, s.cells, s.${column} AS key, g.first
       FROM (SELECT ${column} AS key, min(line) AS first FROM ${t} WHERE ${column} IS NOT NULL GROUP BY ${column} HAVING count(*) > 1) g
       JOIN ${t} s ON s.${column} = g.key AND s.line > g.first
      ORDER BY s.line`,
  );
}

/** Staged customers whose phone is already in the archive. */
export function stagedCustomersTaken(db: Db): Promise<{ line: number; cells: string | null; phone: string; id: number; name: string }[]> {
  return db.all(
    `SELECT s.line, s.cells, s.phone, c.id, c.name FROM ${STAGE.customers} s JOIN main.customers c ON c.phone = s.phone ORDER BY s.line`,
  );
}

/** Staged vehicles whose owner is missing, or whose plate or VIN is already registered. */
export function stagedVehiclesTaken(db: Db): Promise<
  { line: number; cells: string | null; owner_phone: string; plate: string; vin: string | null; owner: number | null; plate_id: number | null; vin_plate: string | null }[]
> {
  return db.all(
    `SELECT * FROM (
       SELECT s.line, s.cells, s.owner_phone, s.plate, s.vin,
              (SELECT c.id FROM main.customers c WHERE c.phone = s.owner_phone) AS owner,
              (SELECT v.id FROM main.vehicles v WHERE v.plate = s.plate) AS plate_id,
              (SELECT v.plate FROM main.vehicles v WHERE s.vin IS NOT NULL AND v.vin = s.vin) AS vin_plate
         FROM ${STAGE.vehicles} s)
      WHERE owner IS NULL OR plate_id IS NOT NULL OR vin_plate IS NOT NULL
      ORDER BY line`,
  );
}

/** Take rows out of the staging table (they were rejected). */
export async function unstage(db: Db, kind: StagedKind, lines: readonly number[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 10_000) {
    await db.run(`DELETE FROM ${STAGE[kind]} WHERE line IN (${KEYS})`, [jsonParam(lines.slice(i, i + 10_000))]);
  }
}

/**
 * Move every staged row into its real table, in file order; call it inside the final write
 * transaction. Returns the rows written. A vehicle whose owner vanished meanwhile is not written, so
 * the caller compares the count with `stagedCount`.
 */
export async function moveStaged(db: Db, kind: StagedKind, columns: readonly string[]): Promise<number> {
  if (kind === 'customers') {
    const r = await db.run(`INSERT INTO main.customers (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${STAGE.customers} ORDER BY line`);
    return r.changes;
  }
  const own = columns.filter((c) => c !== 'customer_id');
  const r = await db.run(
    `INSERT INTO main.vehicles (customer_id, ${own.join(', ')})
     SELECT c.id, ${own.map((c) => `s.${c}`).join(', ')} FROM ${STAGE.vehicles} s JOIN main.customers c ON c.phone = s.owner_phone ORDER BY s.line`,
  );
  return r.changes;
}
