/** The contact log (SPEC §13): calls made from the lists and their outcomes. */
import type { Db } from './sqlite.js';

export interface NewContact {
  list: string;
  ref: string;
  subject: string;
  customer_id: number;
  vehicle_id: number | null;
  booking_id: number | null;
  order_id: number | null;
  result: string;
  later_at: string | null;
  note: string | null;
  agent: string | null;
  at: string;
  recorded_at: string;
}

export async function insertContact(db: Db, c: NewContact): Promise<number> {
  const keys = Object.keys(c) as (keyof NewContact)[];
  const r = await db.run(`INSERT INTO contact_log (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`, keys.map((k) => c[k]));
  return r.lastID;
}

/** The latest contact (at, result, later_at) of every subject on `list` made before `before`. */
export async function latestContacts(db: Db, list: string, before: string): Promise<Map<string, { at: string; result: string; later_at: string | null }>> {
  const rows = await db.all<{ subject: string; at: string; result: string; later_at: string | null }>(
    `SELECT subject, at, result, later_at FROM contact_log WHERE list = ? AND at < ? ORDER BY subject, at, id`,
    [list, before],
  );
  const map = new Map<string, { at: string; result: string; later_at: string | null }>();
  for (const r of rows) map.set(r.subject, { at: r.at, result: r.result, later_at: r.later_at });
  return map;
}

export async function flagWrongPhone(db: Db, customerId: number, at: string): Promise<void> {
  await db.run('UPDATE customers SET phone_bad_at = ? WHERE id = ?', [at, customerId]);
}

export function contactsOfCustomer(db: Db, customerId: number, limit = 20) {
  return db.all<{ list: string; ref: string; result: string; at: string; later_at: string | null; note: string | null; agent: string | null }>(
    'SELECT list, ref, result, at, later_at, note, agent FROM contact_log WHERE customer_id = ? ORDER BY at DESC, id DESC LIMIT ?',
    [customerId, limit],
  );
}
