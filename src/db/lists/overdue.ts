/** overdue (SPEC §10): its query and row type; the rule is in src/domain/jobs/overdue.ts. */
import type { Db } from '../sqlite.js';
import type { OverdueRow } from '../../domain/jobs/overdue.js';

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

export function overdueCandidates(db: Db, at: string): Promise<OverdueRow[]> {
  return db.all<OverdueRow>(OVERDUE_SQL, { $at: at });
}
