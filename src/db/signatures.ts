/** Signatures on repair orders (SPEC §11) and the facts `sign.required` is judged on. */
import type { Db } from './sqlite.js';
import type { Signature, SignFacts } from '../domain/signatures.js';
import { findingLabel } from '../domain/order.js';

export interface DbSignature extends Signature {
  id: number;
  order_id: number;
  recorded_at: string;
}

export async function insertSignature(db: Db, s: Omit<DbSignature, 'id'>): Promise<number> {
  const r = await db.run('INSERT INTO signatures (order_id, role, name, what, signed_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?)', [
    s.order_id, s.role, s.name, s.what, s.signed_at, s.recorded_at,
  ]);
  return r.lastID;
}

export function signaturesOf(db: Db, orderId: number): Promise<DbSignature[]> {
  return db.all('SELECT id, order_id, role, name, what, signed_at, recorded_at FROM signatures WHERE order_id = ? ORDER BY signed_at, id', [orderId]);
}

/** What the order's sign-offs are judged on (src/domain/signatures.ts). */
export async function signFacts(
  db: Db,
  order: { id: number; vehicle_id: number; status: string; ready_at: string | null; reopened_at: string | null },
): Promise<SignFacts> {
  const row = await db.get<{ lines_changed_at: string | null; additional_at: string | null; declined_at: string | null }>(
    `SELECT
       (SELECT max(at) FROM order_events WHERE order_id = $o AND event IN ('line_added', 'line_edited', 'line_removed')) AS lines_changed_at,
       (SELECT max(created_at) FROM order_lines WHERE order_id = $o AND additional = 1 AND removed_at IS NULL) AS additional_at,
       (SELECT max(f.created_at) FROM findings f JOIN order_lines l ON l.id = f.line_id
         WHERE f.order_id = $o AND l.status = 'declined' AND l.removed_at IS NULL) AS declined_at`,
    { $o: order.id },
  );
  // open safety findings of the car that no approved line of this order fixes
  const safety = await db.all<{ id: number; created_at: string }>(
    `SELECT f.id, f.created_at FROM findings f
      WHERE f.vehicle_id = ? AND f.status = 'open' AND f.severity = 'safety'
        AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.id = f.resolving_line_id AND l.order_id = ? AND l.status = 'approved' AND l.removed_at IS NULL)
      ORDER BY f.id`,
    [order.vehicle_id, order.id],
  );
  return {
    status: order.status,
    ready_at: order.ready_at,
    reopened_at: order.reopened_at,
    lines_changed_at: row?.lines_changed_at ?? null,
    additional_at: row?.additional_at ?? null,
    declined_at: row?.declined_at ?? null,
    open_safety: safety.length ? { labels: safety.map((f) => findingLabel(f.id)), latest_at: safety.map((f) => f.created_at).sort().at(-1)! } : null,
  };
}
