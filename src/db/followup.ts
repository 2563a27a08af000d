/** SQL of callbacks and complaints (SPEC §5.3); reads the orders table (owned by the orders feature). */
import type { Db, Param } from './sqlite.js';

/** What a callback needs to know of an order, with the names a person reads. */
export interface CallbackOrder {
  id: number;
  number: string;
  status: string;
  category: string;
  opened_at: string;
  delivered_at: string | null;
  customer_id: number;
  advisor_id: number | null;
  advisor: string | null;
  plate: string;
  model: string | null;
  customer_name: string;
  phone: string;
  total_cents: number;
  call_window: string | null;
}

export function orderForCallback(db: Db, number: string): Promise<CallbackOrder | undefined> {
  return db.get<CallbackOrder>(
    `SELECT o.id, o.number, o.status, o.category, o.opened_at, o.delivered_at, o.customer_id, o.advisor_id, s.name AS advisor,
            v.plate, v.model, c.name AS customer_name, c.phone, o.total_cents, o.call_window
       FROM orders o
       JOIN vehicles v ON v.id = o.vehicle_id
       JOIN customers c ON c.id = o.customer_id
       LEFT JOIN staff s ON s.id = o.advisor_id
      WHERE o.number = ?`,
    [number],
  );
}

export interface DbCallback {
  id: number;
  order_id: number;
  agent_id: number | null;
  attempted_at: string;
  result: string;
  q1: number | null;
  q2: number | null;
  q3: number | null;
  q4: number | null;
  q5: number | null;
  reason: string | null;
  comment: string | null;
  suggestion: string | null;
}

const CALLBACK_COLUMNS = ['order_id', 'agent_id', 'attempted_at', 'result', 'q1', 'q2', 'q3', 'q4', 'q5', 'reason', 'comment', 'suggestion'] as const;

export async function insertCallback(db: Db, c: Omit<DbCallback, 'id'>): Promise<number> {
  const r = await db.run(
    `INSERT INTO callbacks (${CALLBACK_COLUMNS.join(',')}) VALUES (${CALLBACK_COLUMNS.map(() => '?').join(',')})`,
    CALLBACK_COLUMNS.map((k) => c[k]),
  );
  return r.lastID;
}

export interface CallbackRow extends DbCallback {
  order_number: string;
  agent: string | null;
}

export function callbackRow(db: Db, id: number): Promise<CallbackRow | undefined> {
  return db.get<CallbackRow>(
    `SELECT cb.*, o.number AS order_number, s.name AS agent FROM callbacks cb JOIN orders o ON o.id = cb.order_id
       LEFT JOIN staff s ON s.id = cb.agent_id WHERE cb.id = ?`,
    [id],
  );
}

export function callbacksOfOrder(db: Db, orderId: number): Promise<CallbackRow[]> {
  return db.all<CallbackRow>(
    `SELECT cb.*, o.number AS order_number, s.name AS agent FROM callbacks cb JOIN orders o ON o.id = cb.order_id
       LEFT JOIN staff s ON s.id = cb.agent_id WHERE cb.order_id = ? ORDER BY cb.attempted_at, cb.id`,
    [orderId],
  );
}

/** The callback that closed an order's follow-up (reached or refused), if any. */
export function completedCallback(db: Db, orderId: number): Promise<DbCallback | undefined> {
  return db.get<DbCallback>(
    `SELECT * FROM callbacks WHERE order_id = ? AND result IN ('reached', 'refused') ORDER BY attempted_at, id LIMIT 1`,
    [orderId],
  );
}

export interface DbComplaint {
  id: number;
  customer_id: number;
  order_id: number | null;
  category: string | null;
  description: string;
  status: string;
  opened_at: string;
  reply_by: string;
  resolved_at: string | null;
  resolution: string | null;
}

const COMPLAINT_COLUMNS = ['customer_id', 'order_id', 'category', 'description', 'status', 'opened_at', 'reply_by'] as const;

export async function insertComplaint(db: Db, c: Pick<DbComplaint, (typeof COMPLAINT_COLUMNS)[number]>): Promise<number> {
  const r = await db.run(
    `INSERT INTO complaints (${COMPLAINT_COLUMNS.join(',')}) VALUES (${COMPLAINT_COLUMNS.map(() => '?').join(',')})`,
    COMPLAINT_COLUMNS.map((k) => c[k]),
  );
  return r.lastID;
}

export function complaintById(db: Db, id: number): Promise<DbComplaint | undefined> {
  return db.get<DbComplaint>('SELECT * FROM complaints WHERE id = ?', [id]);
}

export interface ComplaintRow extends DbComplaint {
  customer_name: string;
  phone: string;
  order_number: string | null;
}

const COMPLAINT_ROW_SQL = `
SELECT k.*, c.name AS customer_name, c.phone, o.number AS order_number
  FROM complaints k
  JOIN customers c ON c.id = k.customer_id
  LEFT JOIN orders o ON o.id = k.order_id`;

export function complaintRow(db: Db, id: number): Promise<ComplaintRow | undefined> {
  return db.get<ComplaintRow>(`${COMPLAINT_ROW_SQL} WHERE k.id = ?`, [id]);
}

/** Complaints, open ones first by reply-by time, then the rest newest first. */
export function complaintRows(db: Db, filter: { open?: boolean; limit?: number }): Promise<ComplaintRow[]> {
  const params: Param[] = [];
  const where = filter.open ? `WHERE k.status = 'open'` : '';
  params.push(filter.limit ?? 100_000);
  return db.all<ComplaintRow>(
    `${COMPLAINT_ROW_SQL} ${where}
      ORDER BY k.status = 'open' DESC, CASE WHEN k.status = 'open' THEN k.reply_by END, k.opened_at DESC, k.id LIMIT ?`,
    params,
  );
}

export async function resolveComplaintRow(db: Db, id: number, resolvedAt: string, resolution: string): Promise<void> {
  await db.run(`UPDATE complaints SET status = 'resolved', resolved_at = ?, resolution = ? WHERE id = ?`, [resolvedAt, resolution, id]);
}
