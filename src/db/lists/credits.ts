/** credits (SPEC §10): its query and row type; the rule is in src/domain/jobs/credits.ts. */
import type { Db } from '../sqlite.js';
import type { CreditRow } from '../../domain/jobs/credits.js';

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


export function creditCandidates(db: Db, end: string): Promise<CreditRow[]> {
  return db.all<CreditRow>(CREDITS_SQL, { $end: end });
}
