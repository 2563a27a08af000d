/** The outbox and its send log (SPEC §13): queueing, claiming, and the outcome of each attempt. */
import type { Db } from './sqlite.js';
import type { OutboxMessage } from '../domain/outbox.js';

export interface DbOutbox extends OutboxMessage {
  run_key: string;
  status: string;
  attempts: number;
  next_at: string;
  claimed_by: number | null;
  lease_until: string | null;
  last_error: string | null;
  reason: string | null;
  created_at: string;
  sent_at: string | null;
}

/** The customer a list row's subject (`booking:ID`, `vehicle:ID`, `customer:ID`) belongs to. */
export function customerOfSubject(db: Db, subject: string): Promise<{ id: number; phone: string; name: string } | undefined> {
  const [kind, id] = subject.split(':');
  const from =
    kind === 'booking' ? '(SELECT customer_id FROM bookings WHERE id = ?)'
    : kind === 'vehicle' ? '(SELECT customer_id FROM vehicles WHERE id = ?)'
    : kind === 'customer' ? '?'
    : null;
  if (!from) return Promise.resolve(undefined);
  return db.get(`SELECT id, phone, name FROM customers WHERE id = ${from}`, [Number(id)]);
}

/** Queue a message unless one with its key exists. Returns whether it was queued now. */
export async function queueMessage(db: Db, m: { key: string; job: string; run_key: string; subject: string; customer_id: number; to_phone: string; text: string; params: string; created_at: string }): Promise<boolean> {
  const r = await db.run(
    `INSERT OR IGNORE INTO outbox (key, job, run_key, subject, customer_id, to_phone, text, params, status, next_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
    [m.key, m.job, m.run_key, m.subject, m.customer_id, m.to_phone, m.text, m.params, m.created_at, m.created_at],
  );
  return r.changes > 0;
}

/** Due messages, oldest first: queued or held whose time has come, and sending ones whose claim is void. */
export function dueMessages(db: Db, now: string, limit: number): Promise<DbOutbox[]> {
  return db.all<DbOutbox>(
    `SELECT * FROM outbox WHERE status IN ('queued', 'held', 'sending') AND next_at <= ? ORDER BY next_at, id LIMIT ?`,
    [now, limit],
  );
}

export function outboxById(db: Db, id: number): Promise<DbOutbox | undefined> {
  return db.get<DbOutbox>('SELECT * FROM outbox WHERE id = ?', [id]);
}

export async function updateOutbox(db: Db, id: number, changes: Partial<DbOutbox>): Promise<void> {
  const keys = Object.keys(changes) as (keyof DbOutbox)[];
  await db.run(`UPDATE outbox SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, [...keys.map((k) => changes[k] as string | number | null), id]);
}

export async function logAttempt(db: Db, e: { outbox_id: number; attempt: number; at: string; outcome: string; detail: string | null }): Promise<void> {
  await db.run('INSERT INTO outbox_log (outbox_id, attempt, at, outcome, detail) VALUES (?, ?, ?, ?, ?)', [e.outbox_id, e.attempt, e.at, e.outcome, e.detail]);
}

/** Messages that went out (or were handed to the sender) since `since`: the rate limit's count. */
export async function sentSince(db: Db, since: string): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT count(*) AS n FROM outbox_log WHERE outcome = 'sent' AND at >= ?`, [since]))!.n;
}

export function listOutbox(db: Db, status: string | undefined, limit: number): Promise<DbOutbox[]> {
  return status
    ? db.all<DbOutbox>('SELECT * FROM outbox WHERE status = ? ORDER BY id DESC LIMIT ?', [status, limit])
    : db.all<DbOutbox>('SELECT * FROM outbox ORDER BY id DESC LIMIT ?', [limit]);
}

/**
 * Whether the message still applies at send time (§16): consent to messages, the booking still active
 * and ahead, the car not booked since. Returns the reason it no longer applies, or null.
 */
export async function noLongerApplies(db: Db, m: DbOutbox, now: string): Promise<string | null> {
  const c = await db.get<{ do_not_contact: number; no_messages: number; phone: string }>('SELECT do_not_contact, no_messages, phone FROM customers WHERE id = ?', [m.customer_id]);
  if (!c) return 'the customer is gone';
  if (c.do_not_contact || c.no_messages) return 'the customer refuses messages';
  const [kind, idText] = m.subject.split(':');
  const id = Number(idText);
  if (kind === 'booking') {
    const b = await db.get<{ status: string; scheduled_at: string }>('SELECT status, scheduled_at FROM bookings WHERE id = ?', [id]);
    if (!b || (b.status !== 'booked' && b.status !== 'confirmed')) return `the booking is ${b?.status ?? 'gone'}`;
    if (b.scheduled_at <= now) return 'the booking has started';
  }
  if (kind === 'vehicle') {
    const booked = await db.get(`SELECT 1 FROM bookings WHERE vehicle_id = ? AND status IN ('booked', 'confirmed') AND scheduled_at >= ?`, [id, now]);
    if (booked) return 'the car is booked';
    const open = await db.get(`SELECT 1 FROM orders WHERE vehicle_id = ? AND status NOT IN ('delivered', 'cancelled')`, [id]);
    if (open) return 'the car is in the shop';
  }
  return null;
}
