/** preparation (SPEC §6.7): its query and row type; the plan is in src/domain/jobs/preparation.ts. */
import type { Db } from '../sqlite.js';
import type { PreparationBooking } from '../../domain/jobs/preparation.js';

export type DbPreparationBooking = PreparationBooking;

/*
 * One day of bookings (bookings_scheduled); everything else is per vehicle through orders_vehicle_readings,
 * findings_vehicle and the order_lines (order_id, line_no) key.
 * - repeat_of: the latest delivery of the vehicle on or after D+1 − repeat.days and before D+1.
 * - open_findings: findings still open that were recorded on their own (`order finding`); a finding
 *   made from a declined line (line_id set) shows under declined_items instead, once.
 * - declined_items: declined lines of the vehicle's orders (not cancelled ones) whose finding, if any,
 *   is not resolved.
 * - last visit: the latest order not cancelled, opened before D+1; its check-in mileage, else the
 *   vehicle's last-service or initial km.
 */
export const SQL = `
SELECT b.id AS booking_id, b.scheduled_at, v.plate, v.model, c.name AS customer_name, s.name AS advisor,
       b.service, b.complaint, b.parts_value_cents, b.deposit_cents,
       (SELECT o.number FROM orders o
         WHERE o.vehicle_id = b.vehicle_id AND o.status = 'delivered'
           AND o.delivered_at >= $repeatFrom AND o.delivered_at < $start
         ORDER BY o.delivered_at DESC, o.id DESC LIMIT 1) AS repeat_of,
       (SELECT group_concat(f.description, ';' ORDER BY f.id) FROM findings f
         WHERE f.vehicle_id = b.vehicle_id AND f.status = 'open' AND f.line_id IS NULL) AS open_findings,
       (SELECT group_concat(l.description, ';' ORDER BY o.opened_at, o.id, l.line_no)
          FROM orders o JOIN order_lines l ON l.order_id = o.id
         WHERE o.vehicle_id = b.vehicle_id AND o.status <> 'cancelled' AND l.status = 'declined'
           AND NOT EXISTS (SELECT 1 FROM findings f
                            WHERE f.vehicle_id = b.vehicle_id AND f.line_id = l.id AND f.status = 'resolved')) AS declined_items,
       last.opened_at AS last_opened_at,
       COALESCE(last.mileage_in, v.last_service_km, v.initial_km) AS last_mileage
  FROM bookings b
  JOIN customers c ON c.id = b.customer_id
  JOIN vehicles v ON v.id = b.vehicle_id
  LEFT JOIN staff s ON s.id = b.advisor_id
  LEFT JOIN orders last ON last.id = (
        SELECT o.id FROM orders o
         WHERE o.vehicle_id = b.vehicle_id AND o.status <> 'cancelled' AND o.opened_at < $start
         ORDER BY o.opened_at DESC, o.id DESC LIMIT 1)
 WHERE b.scheduled_at >= $start AND b.scheduled_at < $end
   AND b.status IN ('booked', 'confirmed')
   AND v.active = 1
 ORDER BY b.scheduled_at, b.id`;

/** The bookings of [start, end), in list order; `repeatFrom`: the earliest delivery that makes a repeat repair. */
export function preparationBookings(db: Db, start: string, end: string, repeatFrom: string): AsyncGenerator<PreparationBooking> {
  return db.iterate<PreparationBooking>(SQL, { $start: start, $end: end, $repeatFrom: repeatFrom });
}
