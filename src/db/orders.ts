/** SQL of repair orders: orders, lines, findings, payments, the timeline, and the bookings they come from. */
import type { Db, Param } from './sqlite.js';

export interface DbOrder {
  id: number;
  number: string;
  vehicle_id: number;
  customer_id: number;
  booking_id: number | null;
  category: string;
  status: string;
  opened_at: string;
  mileage_in: number;
  fuel: string | null;
  belongings: string | null;
  damage: string | null;
  key_tag: string | null;
  complaint: string | null;
  advisor_id: number | null;
  technician_id: number | null;
  inspector_id: number | null;
  promised_at: string | null;
  call_window: string | null;
  repeat_of_order_id: number | null;
  estimate_cents: number | null;
  discount_cents: number;
  labor_cents: number;
  parts_cents: number;
  fees_cents: number;
  total_cents: number;
  paid_cents: number;
  discount_by_id: number | null;
  approved_at: string | null;
  started_at: string | null;
  ready_at: string | null;
  qc_failures: number;
  road_test: number;
  delivered_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  /** the first delivery: revenue counts the order in that period (SPEC §16) */
  first_delivered_at: string | null;
  reopened_at: string | null;
}

export type NewOrder = Pick<
  DbOrder,
  'number' | 'vehicle_id' | 'customer_id' | 'booking_id' | 'category' | 'opened_at' | 'mileage_in' | 'fuel' | 'belongings' | 'damage' |
  'key_tag' | 'complaint' | 'advisor_id' | 'promised_at' | 'call_window' | 'repeat_of_order_id'
>;

export interface DbLine {
  id: number;
  order_id: number;
  line_no: number;
  kind: 'labor' | 'part' | 'fee';
  description: string;
  part_no: string | null;
  qty_milli: number | null;
  hours_centi: number | null;
  unit_price_cents: number;
  amount_cents: number;
  grade: string | null;
  customer_supplied: number;
  status: 'proposed' | 'approved' | 'declined';
  additional: number;
  decline_reason: string | null;
  approved_at: string | null;
  created_at: string;
  /** a removed line keeps its row (status declined) so the timeline and reports can still name it */
  removed_at?: string | null;
}

export type NewLine = Omit<DbLine, 'id' | 'line_no' | 'decline_reason' | 'approved_at' | 'status' | 'removed_at'>;

export interface DbFinding {
  id: number;
  vehicle_id: number;
  order_id: number;
  line_id: number | null;
  description: string;
  status: 'open' | 'resolved';
  resolved_order_id: number | null;
  created_at: string;
  resolving_line_id: number | null;
  resolved_at: string | null;
}

export interface DbPayment {
  id: number;
  order_id: number;
  amount_cents: number;
  method: string;
  paid_at: string;
  /** why money went back (refunds are negative payments) */
  reason?: string | null;
}

export interface DbEvent {
  id: number;
  order_id: number;
  at: string;
  event: string;
  staff_id: number | null;
  staff_name?: string | null;
  details: string | null;
}

export interface DbBookingForOrder {
  id: number;
  vehicle_id: number;
  customer_id: number;
  scheduled_at: string;
  complaint: string | null;
  service: string | null;
  advisor_id: number | null;
  deposit_cents: number;
  status: string;
  order_id: number | null;
}

// ---------------------------------------------------------------- orders

export async function insertOrder(db: Db, o: NewOrder): Promise<number> {
  const cols = Object.keys(o);
  const r = await db.run(
    `INSERT INTO orders (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    cols.map((c) => o[c as keyof NewOrder] as Param),
  );
  return r.lastID;
}

const UPDATABLE = new Set([
  'status', 'technician_id', 'inspector_id', 'estimate_cents', 'discount_cents', 'discount_by_id', 'approved_at', 'started_at',
  'ready_at', 'qc_failures', 'road_test', 'delivered_at', 'cancelled_at', 'cancel_reason',
  // corrections (SPEC §10)
  'promised_at', 'advisor_id', 'complaint', 'category', 'key_tag', 'call_window', 'first_delivered_at', 'reopened_at',
]);

export async function updateOrder(db: Db, id: number, changes: Partial<DbOrder>): Promise<void> {
  const cols = Object.keys(changes);
  if (!cols.length) return;
  for (const c of cols) if (!UPDATABLE.has(c)) throw new Error(`orders.${c} is not updatable here`);
  await db.run(`UPDATE orders SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
    ...cols.map((c) => changes[c as keyof DbOrder] as Param),
    id,
  ]);
}

export function orderByNumber(db: Db, number: string): Promise<DbOrder | undefined> {
  return db.get<DbOrder>('SELECT * FROM orders WHERE number = ?', [number]);
}

export function orderById(db: Db, id: number): Promise<DbOrder | undefined> {
  return db.get<DbOrder>('SELECT * FROM orders WHERE id = ?', [id]);
}

/** The next sequence number of the day whose order numbers start with `prefix` (`RO-20261123-`). */
export async function nextOrderSeq(db: Db, prefix: string): Promise<number> {
  // a range on the UNIQUE index; the cast keeps 10000 above 9999
  const row = await db.get<{ seq: number | null }>(
    `SELECT MAX(CAST(substr(number, ?) AS INTEGER)) AS seq FROM orders WHERE number >= ? AND number < ?`,
    [prefix.length + 1, prefix, prefix.slice(0, -1) + '.'],
  );
  return (row?.seq ?? 0) + 1;
}

/** The vehicle's order that is neither delivered nor cancelled, if any. */
export function activeOrderOfVehicle(db: Db, vehicleId: number): Promise<DbOrder | undefined> {
  return db.get<DbOrder>(
    `SELECT * FROM orders WHERE vehicle_id = ? AND status NOT IN ('delivered', 'cancelled') ORDER BY opened_at DESC LIMIT 1`,
    [vehicleId],
  );
}

/** The vehicle's latest delivery at or before `at`. */
export function lastDeliveredOrder(db: Db, vehicleId: number, at: string): Promise<DbOrder | undefined> {
  return db.get<DbOrder>(
    `SELECT * FROM orders WHERE vehicle_id = ? AND status = 'delivered' AND delivered_at <= ? ORDER BY delivered_at DESC LIMIT 1`,
    [vehicleId, at],
  );
}

/**
 * Recompute the denormalized totals of one order from its approved lines, its discount and its payments.
 * Call after every change of a line, the discount or a payment, inside the same transaction.
 */
export async function refreshOrderTotals(db: Db, orderId: number): Promise<void> {
  await db.run(
    `UPDATE orders SET
       labor_cents = (SELECT COALESCE(SUM(amount_cents), 0) FROM order_lines WHERE order_id = ?1 AND status = 'approved' AND kind = 'labor'),
       parts_cents = (SELECT COALESCE(SUM(amount_cents), 0) FROM order_lines WHERE order_id = ?1 AND status = 'approved' AND kind = 'part'),
       fees_cents  = (SELECT COALESCE(SUM(amount_cents), 0) FROM order_lines WHERE order_id = ?1 AND status = 'approved' AND kind = 'fee'),
       total_cents = (SELECT COALESCE(SUM(amount_cents), 0) FROM order_lines WHERE order_id = ?1 AND status = 'approved') - discount_cents,
       paid_cents  = (SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE order_id = ?1)
     WHERE id = ?1`,
    [orderId],
  );
}

export interface OrderListFilter {
  status?: string;
  from?: string;
  to?: string;
  vehicleId?: number;
  customerId?: number;
  unpaid?: boolean;
  limit: number;
}

export interface OrderListRow {
  number: string;
  opened_at: string;
  status: string;
  category: string;
  plate: string;
  customer_name: string;
  phone: string;
  mileage_in: number;
  advisor: string | null;
  total_cents: number;
  paid_cents: number;
  balance_cents: number;
  delivered_at: string | null;
  repeat_of: string | null;
}

/** Orders by open time, newest first. `from`/`to` are stored instants bounding opened_at. */
export function listOrders(db: Db, f: OrderListFilter): Promise<OrderListRow[]> {
  const where: string[] = [];
  const params: Param[] = [];
  if (f.status) (where.push('o.status = ?'), params.push(f.status));
  if (f.from) (where.push('o.opened_at >= ?'), params.push(f.from));
  if (f.to) (where.push('o.opened_at < ?'), params.push(f.to));
  if (f.vehicleId !== undefined) (where.push('o.vehicle_id = ?'), params.push(f.vehicleId));
  if (f.customerId !== undefined) (where.push('o.customer_id = ?'), params.push(f.customerId));
  if (f.unpaid) where.push(`o.status = 'delivered' AND o.total_cents > o.paid_cents`);
  params.push(f.limit);
  return db.all<OrderListRow>(
    `SELECT o.number, o.opened_at, o.status, o.category, v.plate, c.name AS customer_name, c.phone, o.mileage_in,
            a.name AS advisor, o.total_cents, o.paid_cents, o.total_cents - o.paid_cents AS balance_cents, o.delivered_at,
            r.number AS repeat_of
       FROM orders o
       JOIN vehicles v ON v.id = o.vehicle_id
       JOIN customers c ON c.id = o.customer_id
       LEFT JOIN staff a ON a.id = o.advisor_id
       LEFT JOIN orders r ON r.id = o.repeat_of_order_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY o.opened_at DESC, o.number DESC
      LIMIT ?`,
    params,
  );
}

/** Header of `order show`: the order with its vehicle, customer and staff names. */
export function orderHeader(db: Db, orderId: number) {
  return db.get<Record<string, unknown>>(
    `SELECT v.plate, v.vin, v.make, v.model, v.color, c.id AS customer_id, c.name AS customer_name, c.phone,
            a.name AS advisor, t.name AS technician, i.name AS inspector, d.name AS discount_by,
            r.number AS repeat_of, r.delivered_at AS repeat_of_delivered_at
       FROM orders o
       JOIN vehicles v ON v.id = o.vehicle_id
       JOIN customers c ON c.id = o.customer_id
       LEFT JOIN staff a ON a.id = o.advisor_id
       LEFT JOIN staff t ON t.id = o.technician_id
       LEFT JOIN staff i ON i.id = o.inspector_id
       LEFT JOIN staff d ON d.id = o.discount_by_id
       LEFT JOIN orders r ON r.id = o.repeat_of_order_id
      WHERE o.id = ?`,
    [orderId],
  );
}

// ---------------------------------------------------------------- lines

export async function insertLine(db: Db, l: NewLine): Promise<DbLine> {
  const next = await db.get<{ n: number }>('SELECT COALESCE(MAX(line_no), 0) + 1 AS n FROM order_lines WHERE order_id = ?', [l.order_id]);
  const lineNo = next!.n;
  const r = await db.run(
    `INSERT INTO order_lines (order_id, line_no, kind, description, part_no, qty_milli, hours_centi, unit_price_cents, amount_cents,
                              grade, customer_supplied, status, additional, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?, ?)`,
    [l.order_id, lineNo, l.kind, l.description, l.part_no, l.qty_milli, l.hours_centi, l.unit_price_cents, l.amount_cents,
      l.grade, l.customer_supplied, l.additional, l.created_at],
  );
  return { ...l, id: r.lastID, line_no: lineNo, status: 'proposed', decline_reason: null, approved_at: null };
}

export function linesOf(db: Db, orderId: number): Promise<DbLine[]> {
  return db.all<DbLine>('SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no', [orderId]);
}

export async function approveLines(db: Db, ids: number[], at: string): Promise<void> {
  if (!ids.length) return;
  await db.run(`UPDATE order_lines SET status = 'approved', approved_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [at, ...ids]);
}

export async function declineLine(db: Db, id: number, reason: string | null): Promise<void> {
  await db.run(`UPDATE order_lines SET status = 'declined', decline_reason = ? WHERE id = ?`, [reason, id]);
}

// ---------------------------------------------------------------- findings

export async function insertFinding(db: Db, f: { vehicle_id: number; order_id: number; line_id: number | null; description: string; created_at: string }): Promise<number> {
  const r = await db.run(
    'INSERT INTO findings (vehicle_id, order_id, line_id, description, status, created_at) VALUES (?, ?, ?, ?, \'open\', ?)',
    [f.vehicle_id, f.order_id, f.line_id, f.description, f.created_at],
  );
  return r.lastID;
}

export function findingById(db: Db, id: number): Promise<DbFinding | undefined> {
  return db.get<DbFinding>('SELECT * FROM findings WHERE id = ?', [id]);
}

/** Open findings of a vehicle (found but not fixed), oldest first, with the order that found them. */
export function openFindingsOfVehicle(db: Db, vehicleId: number): Promise<Array<DbFinding & { order_number: string }>> {
  return db.all(
    `SELECT f.*, o.number AS order_number FROM findings f JOIN orders o ON o.id = f.order_id
      WHERE f.vehicle_id = ? AND f.status = 'open' ORDER BY f.created_at, f.id`,
    [vehicleId],
  );
}

/**
 * The findings that were open on the vehicle when `order` was opened: found earlier by another order and
 * either still open or resolved later than that moment.
 */
export function findingsOpenAt(db: Db, order: Pick<DbOrder, 'id' | 'vehicle_id' | 'opened_at'>): Promise<Array<DbFinding & { order_number: string; resolved_by: string | null }>> {
  return db.all(
    `SELECT f.*, o.number AS order_number, r.number AS resolved_by FROM findings f
       JOIN orders o ON o.id = f.order_id
       LEFT JOIN orders r ON r.id = f.resolved_order_id
      WHERE f.vehicle_id = ? AND f.order_id <> ? AND f.created_at <= ?
        AND (f.status = 'open' OR f.resolved_at >= ?)
      ORDER BY f.created_at, f.id`,
    [order.vehicle_id, order.id, order.opened_at, order.opened_at],
  );
}

/** Findings recorded on this order (declined lines and `order finding`). */
export function findingsOfOrder(db: Db, orderId: number): Promise<Array<DbFinding & { resolved_by: string | null; line_no: number | null }>> {
  return db.all(
    `SELECT f.*, r.number AS resolved_by, l.line_no FROM findings f
       LEFT JOIN orders r ON r.id = f.resolved_order_id
       LEFT JOIN order_lines l ON l.id = f.line_id
      WHERE f.order_id = ? ORDER BY f.id`,
    [orderId],
  );
}

/** Findings this order's lines are meant to fix. */
export function findingsResolvedBy(db: Db, orderId: number): Promise<Array<DbFinding & { line_no: number; line_status: string }>> {
  return db.all(
    `SELECT f.*, l.line_no, l.status AS line_status FROM findings f JOIN order_lines l ON l.id = f.resolving_line_id
      WHERE l.order_id = ? ORDER BY f.id`,
    [orderId],
  );
}

export async function setResolvingLine(db: Db, findingIds: number[], lineId: number): Promise<void> {
  if (!findingIds.length) return;
  await db.run(`UPDATE findings SET resolving_line_id = ? WHERE id IN (${findingIds.map(() => '?').join(', ')})`, [lineId, ...findingIds]);
}

/** At delivery: the open findings linked to an approved line of the order become resolved. Returns their ids. */
export async function resolveFindingsOf(db: Db, orderId: number, at: string): Promise<number[]> {
  const rows = await db.all<{ id: number }>(
    `SELECT f.id FROM findings f JOIN order_lines l ON l.id = f.resolving_line_id
      WHERE l.order_id = ? AND l.status = 'approved' AND f.status = 'open' ORDER BY f.id`,
    [orderId],
  );
  if (rows.length) {
    await db.run(
      `UPDATE findings SET status = 'resolved', resolved_order_id = ?, resolved_at = ? WHERE id IN (${rows.map(() => '?').join(', ')})`,
      [orderId, at, ...rows.map((r) => r.id)],
    );
  }
  return rows.map((r) => r.id);
}

/** When an order is cancelled its lines fix nothing: free the findings for a later order. */
export async function releaseFindingsOf(db: Db, orderId: number): Promise<void> {
  await db.run(
    `UPDATE findings SET resolving_line_id = NULL
      WHERE status = 'open' AND resolving_line_id IN (SELECT id FROM order_lines WHERE order_id = ?)`,
    [orderId],
  );
}

// ---------------------------------------------------------------- payments and timeline

export async function insertPayment(db: Db, p: Omit<DbPayment, 'id'>): Promise<number> {
  const r = await db.run('INSERT INTO payments (order_id, amount_cents, method, paid_at, reason) VALUES (?, ?, ?, ?, ?)', [
    p.order_id, p.amount_cents, p.method, p.paid_at, p.reason ?? null,
  ]);
  return r.lastID;
}

export function paymentsOf(db: Db, orderId: number): Promise<DbPayment[]> {
  return db.all<DbPayment>('SELECT * FROM payments WHERE order_id = ? ORDER BY paid_at, id', [orderId]);
}

export async function insertEvent(db: Db, e: { order_id: number; at: string; event: string; staff_id?: number | null; details?: Record<string, unknown> | null }): Promise<void> {
  await db.run('INSERT INTO order_events (order_id, at, event, staff_id, details) VALUES (?, ?, ?, ?, ?)', [
    e.order_id, e.at, e.event, e.staff_id ?? null, e.details ? JSON.stringify(e.details) : null,
  ]);
}

export function eventsOf(db: Db, orderId: number): Promise<DbEvent[]> {
  return db.all<DbEvent>(
    `SELECT e.*, s.name AS staff_name FROM order_events e LEFT JOIN staff s ON s.id = e.staff_id
      WHERE e.order_id = ? ORDER BY e.at, e.id`,
    [orderId],
  );
}

// ---------------------------------------------------------------- bookings (the table belongs to bookings; check-in closes one)

export function bookingForOrder(db: Db, id: number): Promise<DbBookingForOrder | undefined> {
  return db.get<DbBookingForOrder>(
    `SELECT id, vehicle_id, customer_id, scheduled_at, complaint, service, advisor_id, deposit_cents, status, order_id
       FROM bookings WHERE id = ?`,
    [id],
  );
}

export async function markBookingArrived(db: Db, bookingId: number, orderId: number): Promise<void> {
  await db.run(`UPDATE bookings SET status = 'arrived', order_id = ? WHERE id = ?`, [orderId, bookingId]);
}
