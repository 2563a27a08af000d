/** SQL of corrections (SPEC §10): line edits and removals, revenue adjustments, deposit refunds and forfeits. */
import type { Db } from './sqlite.js';

export async function updateLine(
  db: Db,
  id: number,
  l: { description: string; qty_milli: number | null; hours_centi: number | null; unit_price_cents: number; amount_cents: number; status: string; approved_at: string | null },
): Promise<void> {
  await db.run(
    `UPDATE order_lines SET description = ?, qty_milli = ?, hours_centi = ?, unit_price_cents = ?, amount_cents = ?, status = ?, approved_at = ? WHERE id = ?`,
    [l.description, l.qty_milli, l.hours_centi, l.unit_price_cents, l.amount_cents, l.status, l.approved_at, id],
  );
}

/** A removed line stays as a row, out of every total (status declined, removed_at set), fixing nothing. */
export async function removeLine(db: Db, id: number, at: string): Promise<void> {
  await db.run(`UPDATE order_lines SET status = 'declined', removed_at = ? WHERE id = ?`, [at, id]);
  await db.run(`UPDATE findings SET resolving_line_id = NULL WHERE resolving_line_id = ? AND status = 'open'`, [id]);
}

export interface Adjustment {
  order_id: number;
  at: string;
  action: string;
  labor_cents: number;
  parts_cents: number;
  fees_cents: number;
  discount_cents: number;
  total_cents: number;
}

export async function insertAdjustment(db: Db, a: Adjustment): Promise<void> {
  await db.run(
    `INSERT INTO order_adjustments (order_id, at, action, labor_cents, parts_cents, fees_cents, discount_cents, total_cents)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [a.order_id, a.at, a.action, a.labor_cents, a.parts_cents, a.fees_cents, a.discount_cents, a.total_cents],
  );
}

export interface DepositMove {
  booking_id: number;
  kind: 'refund' | 'forfeit';
  amount_cents: number;
  method: string | null;
  reason: string | null;
  staff_id: number | null;
  at: string;
}

export async function insertDepositMove(db: Db, m: DepositMove): Promise<void> {
  await db.run(
    `INSERT INTO deposit_moves (booking_id, kind, amount_cents, method, reason, staff_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [m.booking_id, m.kind, m.amount_cents, m.method, m.reason, m.staff_id, m.at],
  );
}

/** What is left of a booking's deposit after its refunds and forfeits. */
export async function depositSettled(db: Db, bookingId: number): Promise<number> {
  const r = await db.get<{ s: number }>('SELECT COALESCE(SUM(amount_cents), 0) AS s FROM deposit_moves WHERE booking_id = ?', [bookingId]);
  return r?.s ?? 0;
}

export function depositMovesOf(db: Db, bookingId: number) {
  return db.all<DepositMove & { id: number }>('SELECT * FROM deposit_moves WHERE booking_id = ? ORDER BY at, id', [bookingId]);
}

/**
 * The vehicle's booking a walk-in check-in belongs to: booked, confirmed or no-show, starting within
 * [from, to) (the shop-local day of the check-in), earliest first.
 */
export function bookingOfVehicleOn(db: Db, vehicleId: number, from: string, to: string) {
  return db.get<{ id: number }>(
    `SELECT id FROM bookings WHERE vehicle_id = ? AND status IN ('booked', 'confirmed', 'no_show') AND scheduled_at >= ? AND scheduled_at < ?
      ORDER BY status = 'no_show', scheduled_at, id LIMIT 1`,
    [vehicleId, from, to],
  );
}

/** The vehicle's other active bookings (booked or confirmed) outside [from, to). */
export function activeBookingsOfVehicleElsewhere(db: Db, vehicleId: number, from: string, to: string) {
  return db.all<{ id: number; scheduled_at: string }>(
    `SELECT id, scheduled_at FROM bookings WHERE vehicle_id = ? AND status IN ('booked', 'confirmed') AND (scheduled_at < ? OR scheduled_at >= ?)
      ORDER BY scheduled_at, id`,
    [vehicleId, from, to],
  );
}

// ---------------------------------------------------------------- archive: merge, callbacks

/** Tables whose rows belong to a customer and move with a merge (callbacks and findings follow their orders and vehicles). */
const CUSTOMER_TABLES = ['vehicles', 'orders', 'bookings', 'complaints'] as const;

/** Move everything of customer `from` to `to`; returns how many rows of each table moved. */
export async function moveCustomerRows(db: Db, from: number, to: number): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const t of CUSTOMER_TABLES) moved[t] = (await db.run(`UPDATE ${t} SET customer_id = ? WHERE customer_id = ?`, [to, from])).changes;
  await db.run('UPDATE customer_aliases SET customer_id = ? WHERE customer_id = ?', [to, from]);
  const calls = (await db.run('UPDATE contact_log SET customer_id = ? WHERE customer_id = ?', [to, from])).changes;
  if (calls) moved.contact_log = calls;
  return moved;
}

export async function insertAlias(db: Db, a: { phone: string; customer_id: number; name: string; merged_at: string }): Promise<void> {
  await db.run('INSERT OR REPLACE INTO customer_aliases (phone, customer_id, name, merged_at) VALUES (?, ?, ?, ?)', [a.phone, a.customer_id, a.name, a.merged_at]);
}

export async function deleteCustomer(db: Db, id: number): Promise<void> {
  await db.run('DELETE FROM customers WHERE id = ?', [id]);
}

export async function updateCallback(db: Db, id: number, changes: Record<string, string | number | null>): Promise<void> {
  const keys = Object.keys(changes);
  if (!keys.length) return;
  await db.run(`UPDATE callbacks SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k]!), id]);
}

// ---------------------------------------------------------------- the shop as it is

/** Orders holding a bay (open, approved, in progress) opened before `to`. */
export function ordersHoldingBays(db: Db, to: string) {
  return db.all<{ id: number; status: string; opened_at: string; promised_at: string | null }>(
    `SELECT id, status, opened_at, promised_at FROM orders WHERE status IN ('open', 'approved', 'in_progress') AND opened_at < ?`,
    [to],
  );
}

export interface BoardRow {
  number: string;
  status: string;
  opened_at: string;
  promised_at: string | null;
  plate: string;
  model: string | null;
  customer_name: string;
  advisor: string | null;
  technician: string | null;
  qc_failures: number;
}

/** Orders not delivered or cancelled, opened before `to`, by promised time (none last), then number. */
export function boardRows(db: Db, to: string): Promise<BoardRow[]> {
  return db.all<BoardRow>(
    `SELECT o.number, o.status, o.opened_at, o.promised_at, v.plate, v.model, c.name AS customer_name, a.name AS advisor, t.name AS technician, o.qc_failures
       FROM orders o
       JOIN vehicles v ON v.id = o.vehicle_id
       JOIN customers c ON c.id = o.customer_id
       LEFT JOIN staff a ON a.id = o.advisor_id
       LEFT JOIN staff t ON t.id = o.technician_id
      WHERE o.status NOT IN ('delivered', 'cancelled') AND o.opened_at < ?
      ORDER BY o.promised_at IS NULL, o.promised_at, o.number`,
    [to],
  );
}
