/** SQL of bookings (SPEC §5.1). Times are stored UTC ISO text, so text comparison orders them. */
import type { Db, Param } from './sqlite.js';

export interface DbBooking {
  id: number;
  vehicle_id: number;
  customer_id: number;
  scheduled_at: string;
  ends_at: string;
  minutes: number;
  service: string | null;
  complaint: string | null;
  advisor_id: number | null;
  source: string;
  estimate_cents: number | null;
  parts_value_cents: number;
  deposit_cents: number;
  status: string;
  order_id: number | null;
  cancel_reason: string | null;
  created_at: string;
}

export type NewBooking = Omit<DbBooking, 'id' | 'order_id' | 'cancel_reason'>;

/** A booking with the names a person reads. */
export interface BookingRow extends DbBooking {
  plate: string;
  model: string | null;
  customer_name: string;
  phone: string;
  advisor: string | null;
  order_number: string | null;
}

const COLUMNS = [
  'vehicle_id', 'customer_id', 'scheduled_at', 'ends_at', 'minutes', 'service', 'complaint', 'advisor_id', 'source',
  'estimate_cents', 'parts_value_cents', 'deposit_cents', 'status', 'created_at',
] as const;

export async function insertBooking(db: Db, b: NewBooking): Promise<number> {
  const r = await db.run(
    `INSERT INTO bookings (${COLUMNS.join(',')}) VALUES (${COLUMNS.map(() => '?').join(',')})`,
    COLUMNS.map((k) => b[k]),
  );
  return r.lastID;
}

export async function updateBooking(db: Db, id: number, changes: Partial<Omit<DbBooking, 'id'>>): Promise<void> {
  const keys = Object.keys(changes) as (keyof typeof changes)[];
  if (!keys.length) return;
  await db.run(`UPDATE bookings SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k] as Param), id]);
}

export function bookingById(db: Db, id: number): Promise<DbBooking | undefined> {
  return db.get<DbBooking>('SELECT * FROM bookings WHERE id = ?', [id]);
}

const ROW_SQL = `
SELECT b.*, v.plate, v.model, c.name AS customer_name, c.phone, s.name AS advisor, o.number AS order_number
  FROM bookings b
  JOIN vehicles v ON v.id = b.vehicle_id
  JOIN customers c ON c.id = b.customer_id
  LEFT JOIN staff s ON s.id = b.advisor_id
  LEFT JOIN orders o ON o.id = b.order_id`;

export function bookingRow(db: Db, id: number): Promise<BookingRow | undefined> {
  return db.get<BookingRow>(`${ROW_SQL} WHERE b.id = ?`, [id]);
}

/** Bookings starting in [from, to), optionally of one status, by start then id. */
export function bookingRows(db: Db, filter: { from?: string; to?: string; status?: string; limit?: number }): Promise<BookingRow[]> {
  const where: string[] = [];
  const params: Param[] = [];
  if (filter.from) where.push('b.scheduled_at >= ?'), params.push(filter.from);
  if (filter.to) where.push('b.scheduled_at < ?'), params.push(filter.to);
  if (filter.status) where.push('b.status = ?'), params.push(filter.status);
  params.push(filter.limit ?? 1000);
  return db.all<BookingRow>(`${ROW_SQL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY b.scheduled_at, b.id LIMIT ?`, params);
}

/**
 * Active bookings running at some moment of [from, to), as intervals. A booking lasts at most a day
 * (--minutes ≤ 1440), so starts before `from` − 1 day need not be read: the index range stays small.
 */
export async function activeIntervals(db: Db, from: string, to: string, excludeId: number | null = null): Promise<Array<{ start: number; end: number }>> {
  const earliest = new Date(Date.parse(from) - 86_400_000).toISOString();
  const rows = await db.all<{ scheduled_at: string; ends_at: string }>(
    `SELECT scheduled_at, ends_at FROM bookings
      WHERE status IN ('booked', 'confirmed') AND scheduled_at >= ? AND scheduled_at < ? AND ends_at > ? AND id IS NOT ?`,
    [earliest, to, from, excludeId],
  );
  return rows.map((r) => ({ start: Date.parse(r.scheduled_at), end: Date.parse(r.ends_at) }));
}

/** Another active booking of the same vehicle overlapping [start, end). */
export function overlappingBookingOfVehicle(db: Db, vehicleId: number, start: string, end: string, excludeId: number | null): Promise<DbBooking | undefined> {
  return db.get<DbBooking>(
    `SELECT * FROM bookings WHERE vehicle_id = ? AND status IN ('booked', 'confirmed') AND scheduled_at < ? AND ends_at > ? AND id IS NOT ?
      ORDER BY scheduled_at LIMIT 1`,
    [vehicleId, end, start, excludeId],
  );
}

/** Active bookings that started at or before ?1: the candidates for no-show (also timed by the benchmark). */
export const NO_SHOW_CANDIDATES_SQL = `SELECT id, status, scheduled_at FROM bookings WHERE status IN ('booked', 'confirmed') AND scheduled_at <= ?1 ORDER BY scheduled_at, id`;

/** Active bookings that started at or before `cutoff` (candidates for no-show). */
export function activeStartedBy(db: Db, cutoff: string): Promise<Array<Pick<DbBooking, 'id' | 'status' | 'scheduled_at'>>> {
  return db.all(NO_SHOW_CANDIDATES_SQL, [cutoff]);
}

export async function setBookingsStatus(db: Db, ids: readonly number[], status: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await db.run(`UPDATE bookings SET status = ? WHERE id IN (${chunk.map(() => '?').join(',')})`, [status, ...chunk]);
  }
}
