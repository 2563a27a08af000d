/**
 * The SQL of `pitstop doctor`, `backup` and `restore`: integrity and foreign-key checks, orphan rows,
 * odometer readings that go backwards, denormalized order totals that drifted from their lines.
 * Every query here reads only; big tables are scanned once by SQLite, never loaded into memory.
 */
import type { Db } from './sqlite.js';

/** The tables of SPEC §7 a pitstop database must have. */
export const REQUIRED_TABLES = [
  'settings', 'audit_log', 'customers', 'vehicles', 'staff', 'bookings', 'orders', 'order_lines',
  'findings', 'payments', 'callbacks', 'complaints', 'job_runs', 'job_listings',
] as const;

/** The tables whose rows are the shop's data (a restore over them needs --force). */
export const DATA_TABLES = [
  'customers', 'vehicles', 'staff', 'bookings', 'orders', 'order_lines', 'payments', 'callbacks', 'complaints', 'audit_log',
] as const;

export async function tableNames(db: Db): Promise<string[]> {
  const rows = await db.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`);
  return rows.map((r) => r.name);
}

/** Row counts of the given tables (that exist). */
export async function tableCounts(db: Db, tables: readonly string[]): Promise<Record<string, number>> {
  const present = new Set(await tableNames(db));
  const counts: Record<string, number> = {};
  for (const t of tables) {
    if (!present.has(t)) continue;
    const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${t}"`);
    counts[t] = row?.n ?? 0;
  }
  return counts;
}

/** Does any data table hold a row? (cheap: one LIMIT 1 probe a table) */
export async function hasData(db: Db): Promise<boolean> {
  const present = new Set(await tableNames(db));
  for (const t of DATA_TABLES) {
    if (!present.has(t)) continue;
    if (await db.get(`SELECT 1 FROM "${t}" LIMIT 1`)) return true;
  }
  return false;
}

/**
 * PRAGMA integrity_check: `['ok']` when sound, else up to `max` messages. `quick` runs quick_check
 * instead (no index-content check: much faster on a big file, still finds damaged pages).
 */
export async function integrityCheck(db: Db, max = 20, quick = false): Promise<string[]> {
  const pragma = quick ? 'quick_check' : 'integrity_check';
  const out: string[] = [];
  try {
    // row by row: on a badly damaged file SQLite reports some problems, then stops with an error
    for await (const r of db.iterate<Record<string, string>>(`PRAGMA ${pragma}(${Math.max(1, Math.floor(max))})`)) {
      out.push(...r[pragma]!.split('\n').filter((line) => line && !line.startsWith('*** in database')));
    }
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    // damage is this check's finding; anything else (a lock, a missing file) is the caller's error
    if (!/damaged|malformed|corrupt/i.test(message)) throw err;
    out.push(`the check stopped: ${message.replace(/^storage unavailable: /, '')}`);
  }
  return out;
}

export interface ForeignKeyProblem {
  table: string;
  rowid: number | null;
  parent: string;
}

export async function foreignKeyCheck(db: Db, max = 1000): Promise<ForeignKeyProblem[]> {
  const out: ForeignKeyProblem[] = [];
  for await (const r of db.iterate<{ table: string; rowid: number | null; parent: string }>('PRAGMA foreign_key_check')) {
    out.push({ table: r.table, rowid: r.rowid, parent: r.parent });
    if (out.length >= max) break;
  }
  return out;
}

export interface OrphanRule {
  /** e.g. "vehicles without a customer" */
  label: string;
  table: string;
  sql: string;
}

/**
 * Rows pointing at a parent that is not there. foreign_key_check finds these too when the schema
 * declares the key; these rules also catch the links an outside tool may have broken with
 * foreign keys off, and name them in words.
 */
export const ORPHAN_RULES: readonly OrphanRule[] = [
  { label: 'vehicles without a customer', table: 'vehicles', sql: 'SELECT v.id FROM vehicles v WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = v.customer_id)' },
  { label: 'bookings without a vehicle', table: 'bookings', sql: 'SELECT b.id FROM bookings b WHERE NOT EXISTS (SELECT 1 FROM vehicles v WHERE v.id = b.vehicle_id)' },
  { label: 'bookings without a customer', table: 'bookings', sql: 'SELECT b.id FROM bookings b WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = b.customer_id)' },
  { label: 'orders without a vehicle', table: 'orders', sql: 'SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM vehicles v WHERE v.id = o.vehicle_id)' },
  { label: 'orders without a customer', table: 'orders', sql: 'SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)' },
  { label: 'order lines without an order', table: 'order_lines', sql: 'SELECT l.id FROM order_lines l WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = l.order_id)' },
  { label: 'payments without an order', table: 'payments', sql: 'SELECT p.id FROM payments p WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = p.order_id)' },
  { label: 'findings without a vehicle', table: 'findings', sql: 'SELECT f.id FROM findings f WHERE NOT EXISTS (SELECT 1 FROM vehicles v WHERE v.id = f.vehicle_id)' },
  { label: 'findings without an order', table: 'findings', sql: 'SELECT f.id FROM findings f WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = f.order_id)' },
  { label: 'callbacks without an order', table: 'callbacks', sql: 'SELECT c.id FROM callbacks c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = c.order_id)' },
  { label: 'complaints without a customer', table: 'complaints', sql: 'SELECT c.id FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM customers u WHERE u.id = c.customer_id)' },
  { label: 'order events without an order', table: 'order_events', sql: 'SELECT e.id FROM order_events e WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = e.order_id)' },
];

export interface OrphanResult {
  label: string;
  count: number;
  /** the first few ids */
  ids: number[];
}

export async function orphanRows(db: Db, sample = 5): Promise<OrphanResult[]> {
  const present = new Set(await tableNames(db));
  const results: OrphanResult[] = [];
  for (const rule of ORPHAN_RULES) {
    if (!present.has(rule.table)) continue;
    const count = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (${rule.sql})`))?.n ?? 0;
    if (!count) continue;
    const ids = (await db.all<{ id: number }>(`${rule.sql} ORDER BY 1 LIMIT ?`, [sample])).map((r) => r.id);
    results.push({ label: rule.label, count, ids });
  }
  return results;
}

export async function storedSettings(db: Db): Promise<Array<{ key: string; value: string }>> {
  return db.all<{ key: string; value: string }>('SELECT key, value FROM settings ORDER BY key');
}

export interface BackwardReading {
  vehicle_id: number;
  plate: string;
  /** shop-local day of the reading that goes backwards */
  day: string;
  km: number;
  /** where it came from: added, last_service or order <number> */
  source: string;
  /** the highest reading on an earlier day */
  previous_km: number;
}

/**
 * Odometer readings lower than a reading of an earlier day, per vehicle: the mileage given when the
 * vehicle was added (added_on), the carried-over last service, and every non-cancelled order's
 * check-in mileage (its opened_at turned into a shop-local day with `offsetMinutes`, the shop's UTC
 * offset). Readings of the same day are not compared with each other. A reading accepted with --force
 * (its audit row says "forced": a replaced odometer) is not a problem, and starts afresh: later
 * readings are compared with it and what follows, not with the old odometer.
 */
export async function backwardReadings(db: Db, offsetMinutes: number, max = 1000): Promise<{ count: number; forced: number; rows: BackwardReading[] }> {
  const shift = `${offsetMinutes >= 0 ? '+' : '-'}${Math.abs(Math.round(offsetMinutes))} minutes`;
  const forcedVehicle = (actions: string) =>
    `EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'vehicle' AND a.entity_id = CAST(v.id AS TEXT) AND a.action IN (${actions}) AND a.details LIKE '%"forced"%')`;
  const sql = `
    WITH readings AS (
      SELECT v.id AS vehicle_id, v.initial_km AS km, v.added_on AS day, 'added' AS source, ${forcedVehicle("'add'")} AS forced
        FROM vehicles v WHERE v.initial_km IS NOT NULL
      UNION ALL
      SELECT v.id, v.last_service_km, v.last_service_on, 'last_service', ${forcedVehicle("'add', 'edit'")}
        FROM vehicles v WHERE v.last_service_km IS NOT NULL AND v.last_service_on IS NOT NULL
      UNION ALL
      SELECT o.vehicle_id, o.mileage_in, date(o.opened_at, ?1), 'order ' || o.number,
             EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'order' AND a.entity_id = o.number AND a.action = 'open' AND a.details LIKE '%"forced"%')
        FROM orders o WHERE o.status <> 'cancelled'
    ),
    days AS (
      SELECT vehicle_id, day, MAX(km) AS day_max, MAX(forced) AS day_forced FROM readings GROUP BY vehicle_id, day
    ),
    segments AS (
      SELECT vehicle_id, day, day_max,
             SUM(day_forced) OVER (PARTITION BY vehicle_id ORDER BY day ROWS UNBOUNDED PRECEDING) AS segment
        FROM days
    ),
    before AS (
      SELECT vehicle_id, day,
             MAX(day_max) OVER (PARTITION BY vehicle_id, segment ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_km
        FROM segments
    )
    SELECT r.vehicle_id, v.plate, r.day, r.km, r.source, b.previous_km, r.forced
      FROM readings r
      JOIN before b ON b.vehicle_id = r.vehicle_id AND b.day = r.day
      JOIN vehicles v ON v.id = r.vehicle_id
     WHERE b.previous_km IS NOT NULL AND r.km < b.previous_km`;
  const counts = await db.get<{ n: number; forced: number }>(`SELECT COUNT(*) - IFNULL(SUM(forced), 0) AS n, IFNULL(SUM(forced), 0) AS forced FROM (${sql})`, [shift]);
  const count = counts?.n ?? 0;
  const rows = count ? await db.all<BackwardReading>(`SELECT vehicle_id, plate, day, km, source, previous_km FROM (${sql}) WHERE NOT forced ORDER BY vehicle_id, day LIMIT ?2`, [shift, max]) : [];
  return { count, forced: counts?.forced ?? 0, rows };
}

export interface TotalsMismatch {
  id: number;
  number: string;
  stored: { labor_cents: number; parts_cents: number; fees_cents: number; total_cents: number; paid_cents: number };
  expected: { labor_cents: number; parts_cents: number; fees_cents: number; total_cents: number; paid_cents: number };
}

/**
 * Orders whose denormalized totals differ from their approved lines and payments:
 * labor/parts/fees = Σ approved line amounts of that kind, total = their sum − discount, paid = Σ payments.
 */
export async function totalsMismatches(db: Db, max = 1000): Promise<{ count: number; rows: TotalsMismatch[] }> {
  const sql = `
    WITH l AS (
      SELECT order_id,
             SUM(CASE WHEN kind = 'labor' THEN amount_cents ELSE 0 END) AS labor,
             SUM(CASE WHEN kind = 'part' THEN amount_cents ELSE 0 END) AS parts,
             SUM(CASE WHEN kind = 'fee' THEN amount_cents ELSE 0 END) AS fees
        FROM order_lines WHERE status = 'approved' GROUP BY order_id
    ),
    p AS (SELECT order_id, SUM(amount_cents) AS paid FROM payments GROUP BY order_id),
    x AS (
      SELECT o.id, o.number, o.labor_cents, o.parts_cents, o.fees_cents, o.total_cents, o.paid_cents,
             IFNULL(l.labor, 0) AS e_labor, IFNULL(l.parts, 0) AS e_parts, IFNULL(l.fees, 0) AS e_fees,
             IFNULL(l.labor, 0) + IFNULL(l.parts, 0) + IFNULL(l.fees, 0) - o.discount_cents AS e_total,
             IFNULL(p.paid, 0) AS e_paid
        FROM orders o LEFT JOIN l ON l.order_id = o.id LEFT JOIN p ON p.order_id = o.id
    )
    SELECT * FROM x
     WHERE labor_cents <> e_labor OR parts_cents <> e_parts OR fees_cents <> e_fees
        OR total_cents <> e_total OR paid_cents <> e_paid`;
  const count = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql})`))?.n ?? 0;
  if (!count) return { count, rows: [] };
  const raw = await db.all<Record<string, number> & { number: string }>(`${sql} ORDER BY id LIMIT ?`, [max]);
  return {
    count,
    rows: raw.map((r) => ({
      id: r.id!,
      number: r.number,
      stored: { labor_cents: r.labor_cents!, parts_cents: r.parts_cents!, fees_cents: r.fees_cents!, total_cents: r.total_cents!, paid_cents: r.paid_cents! },
      expected: { labor_cents: r.e_labor!, parts_cents: r.e_parts!, fees_cents: r.e_fees!, total_cents: r.e_total!, paid_cents: r.e_paid! },
    })),
  };
}

/** Pages and page size: the size a backup will have. */
export async function pageStats(db: Db): Promise<{ pages: number; page_size: number }> {
  const pages = (await db.get<{ page_count: number }>('PRAGMA page_count'))?.page_count ?? 0;
  const pageSize = (await db.get<{ page_size: number }>('PRAGMA page_size'))?.page_size ?? 0;
  return { pages, page_size: pageSize };
}

export interface LastMaintenanceMismatch {
  vehicle_id: number;
  plate: string;
  stored: { at: string | null; km: number | null };
  expected: { at: string | null; km: number | null };
}

/**
 * Vehicles whose derived vehicles.last_maintenance_at/_km (kept by triggers on orders, read by
 * maintenance-due) differ from their latest delivered maintenance order (latest delivered_at, then
 * highest id). Only an outside tool that dropped the triggers or wrote vehicles directly can cause one.
 */
export async function lastMaintenanceMismatches(db: Db, max = 1000): Promise<{ count: number; rows: LastMaintenanceMismatch[] }> {
  const sql = `
    SELECT v.id, v.plate, v.last_maintenance_at AS s_at, v.last_maintenance_km AS s_km, o.delivered_at AS e_at, o.mileage_in AS e_km
      FROM vehicles v
      LEFT JOIN orders o ON o.id = (SELECT m.id FROM orders m
                                     WHERE m.vehicle_id = v.id AND m.category = 'maintenance' AND m.status = 'delivered'
                                       AND m.delivered_at IS NOT NULL
                                     ORDER BY m.delivered_at DESC, m.id DESC LIMIT 1)
     WHERE v.last_maintenance_at IS NOT o.delivered_at OR v.last_maintenance_km IS NOT o.mileage_in`;
  const count = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (${sql})`))?.n ?? 0;
  if (!count) return { count, rows: [] };
  const raw = await db.all<{ id: number; plate: string; s_at: string | null; s_km: number | null; e_at: string | null; e_km: number | null }>(
    `${sql} ORDER BY v.id LIMIT ?`,
    [max],
  );
  return {
    count,
    rows: raw.map((r) => ({ vehicle_id: r.id, plate: r.plate, stored: { at: r.s_at, km: r.s_km }, expected: { at: r.e_at, km: r.e_km } })),
  };
}
