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

// ---------------------------------------------------------------- credits and overdue (jobs)

export interface CreditRow {
  reference: string;
  since: string;
  customer_name: string;
  phone: string;
  plate: string;
  amount_cents: number;
}

/**
 * What the shop owes customers at `end` (SPEC §10): deposits of cancelled and no-show bookings not
 * refunded, forfeited or carried by `end`, and delivered or cancelled orders paid above their total.
 * `since`: when the booking was cancelled (its audit row) or its start for a no-show, or the order's
 * delivery or cancellation.
 */
export const CREDITS_SQL = `
SELECT CAST(b.id AS TEXT) AS reference,
       CASE WHEN b.status = 'no_show' THEN b.scheduled_at
            ELSE coalesce((SELECT max(l.at) FROM audit_log l WHERE l.entity = 'booking' AND l.entity_id = CAST(b.id AS TEXT) AND l.action = 'cancel'), b.scheduled_at) END AS since,
       c.name AS customer_name, c.phone, v.plate,
       b.deposit_cents - coalesce((SELECT sum(m.amount_cents) FROM deposit_moves m WHERE m.booking_id = b.id AND m.at < $end), 0) AS amount_cents
  FROM bookings b
  JOIN customers c ON c.id = b.customer_id
  JOIN vehicles v ON v.id = b.vehicle_id
 WHERE b.deposit_cents > 0 AND b.status IN ('cancelled', 'no_show')
UNION ALL
SELECT o.number, coalesce(o.delivered_at, o.cancelled_at, o.opened_at), c.name, c.phone, v.plate,
       (SELECT coalesce(sum(p.amount_cents), 0) FROM payments p WHERE p.order_id = o.id AND p.paid_at < $end) - o.total_cents
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN vehicles v ON v.id = o.vehicle_id
 WHERE o.paid_cents > o.total_cents AND o.status IN ('delivered', 'cancelled') AND o.opened_at < $end`;

export interface OverdueRow {
  kind: 'order' | 'complaint';
  reference: string;
  plate: string | null;
  customer_name: string;
  phone: string;
  advisor: string | null;
  due_at: string;
  /** for orders: when each stage was reached, to tell the stage at the measuring moment */
  status: string;
  approved_at: string | null;
  started_at: string | null;
}

/**
 * Orders past their promised time at $at and not ready by then (candidates: the orders still open, and
 * those delivered since $at, for a re-run of an earlier day), and open complaints past their reply-by.
 */
export const OVERDUE_SQL = `
SELECT 'order' AS kind, o.number AS reference, v.plate, c.name AS customer_name, c.phone, a.name AS advisor, o.promised_at AS due_at,
       o.status, o.approved_at, o.started_at
  FROM orders o
  JOIN vehicles v ON v.id = o.vehicle_id
  JOIN customers c ON c.id = o.customer_id
  LEFT JOIN staff a ON a.id = o.advisor_id
 WHERE o.id IN (SELECT id FROM orders INDEXED BY orders_status WHERE status NOT IN ('delivered', 'cancelled')
                UNION ALL SELECT id FROM orders WHERE delivered_at >= $at)
   AND o.promised_at < $at AND o.opened_at <= $at
   AND (o.ready_at IS NULL OR o.ready_at > $at)
   AND (o.cancelled_at IS NULL OR o.cancelled_at > $at)
   AND (o.first_delivered_at IS NULL OR o.first_delivered_at > $at OR o.reopened_at <= $at)
UNION ALL
SELECT 'complaint', CAST(k.id AS TEXT), v.plate, c.name, c.phone, a.name, k.reply_by, 'complaint open', NULL, NULL
  FROM complaints k
  JOIN customers c ON c.id = k.customer_id
  LEFT JOIN orders o ON o.id = k.order_id
  LEFT JOIN vehicles v ON v.id = o.vehicle_id
  LEFT JOIN staff a ON a.id = o.advisor_id
 WHERE k.status = 'open' AND k.reply_by < $at`;
