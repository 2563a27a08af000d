/** declined-work (SPEC §12, §16): its query and row type; the rule is in src/domain/jobs/declined-work.ts. */
import type { Db } from '../sqlite.js';
import type { DeclinedCandidate } from '../../domain/jobs/declined-work.js';

/**
 * Open findings (declined lines and red/yellow inspection items) recorded before `$dayEnd`, of active
 * vehicles of customers who may be called, with no booking from `$dayStart` on and no open order, and
 * whose vehicle was not on the list in the cooldown (run keys `$cooldownFrom`…`$cooldownTo`). Which
 * follow-up days have come is decided by the plan.
 */
export const DECLINED_WORK_SQL = `
SELECT f.id, f.vehicle_id, v.plate, v.model, c.name AS customer_name, c.phone, f.description AS item,
       coalesce(f.severity, 'advised') AS severity, f.created_at, f.follow_up_on,
       coalesce(o.delivered_at, o.cancelled_at) AS closed_at, o.number AS order_number, o.opened_at AS order_opened_at,
       CASE WHEN l.id IS NOT NULL THEN l.amount_cents ELSE 0 END AS estimate_cents
  FROM findings f
  JOIN orders o ON o.id = f.order_id
  JOIN vehicles v ON v.id = f.vehicle_id
  JOIN customers c ON c.id = v.customer_id
  LEFT JOIN order_lines l ON l.id = f.line_id
 WHERE f.status = 'open' AND f.created_at < $dayEnd
   AND v.active = 1 AND c.do_not_contact = 0 AND c.no_calls = 0 AND c.phone_bad_at IS NULL
   AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.vehicle_id = v.id AND x.status NOT IN ('delivered', 'cancelled'))
   AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.vehicle_id = v.id AND b.status IN ('booked', 'confirmed') AND b.scheduled_at >= $dayStart)
   AND ($cooldownFrom IS NULL OR v.id NOT IN (SELECT jl.subject_id FROM job_listings jl
         WHERE jl.job = 'declined-work' AND jl.run_key BETWEEN $cooldownFrom AND $cooldownTo)
        -- a customer who asked to be called again on D is listed on D, cooldown or not (SPEC §16)
        OR v.id IN (SELECT cl.vehicle_id FROM contact_log cl
         WHERE cl.list = 'declined-work' AND cl.result = 'later' AND cl.later_at >= $dayStart AND cl.later_at < $dayEnd))`;

export function declinedCandidates(db: Db, p: { dayStart: string; dayEnd: string; cooldownFrom: string | null; cooldownTo: string | null }): Promise<DeclinedCandidate[]> {
  return db.all<DeclinedCandidate>(DECLINED_WORK_SQL, { $dayStart: p.dayStart, $dayEnd: p.dayEnd, $cooldownFrom: p.cooldownFrom, $cooldownTo: p.cooldownTo });
}
