/** appointment-reminders (SPEC §6.1): its query and row type. */
import type { Db } from '../sqlite.js';
import type { ReminderBooking } from '../../domain/jobs/reminders.js';

// bookings_scheduled index: one day of bookings
export const SQL = `
SELECT b.id AS booking_id, b.scheduled_at, c.name AS customer_name, c.phone, v.plate, v.model, b.service,
       s.name AS advisor, b.deposit_cents
  FROM bookings b
  JOIN customers c ON c.id = b.customer_id
  JOIN vehicles v ON v.id = b.vehicle_id
  LEFT JOIN staff s ON s.id = b.advisor_id
 WHERE b.scheduled_at >= ? AND b.scheduled_at < ?
   AND b.status IN ('booked', 'confirmed')
   AND c.do_not_contact = 0 AND c.no_calls = 0 AND c.phone_bad_at IS NULL
   AND v.active = 1
 ORDER BY b.scheduled_at, b.id`;

/** One booking of the list (the plan's ReminderBooking). */
export type DbReminderBooking = ReminderBooking;

/** The bookings starting in [from, to), streamed in list order. */
export function remindersBetween(db: Db, range: [string, string]): AsyncGenerator<DbReminderBooking> {
  return db.iterate<DbReminderBooking>(SQL, range);
}
