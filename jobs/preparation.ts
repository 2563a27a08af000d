/**
 * preparation (SPEC §6.7): the workshop's list for D+1 — one row per booking (booked/confirmed)
 * starting on D+1, by start then id, with what to prepare: the repeat-repair warning, the vehicle's
 * open findings and declined work, its last visit and mileage. Not a calling list, so do-not-contact
 * customers are on it; deactivated vehicles are not.
 */
import type { Column, JobDefinition } from './types.js';
import { addDays, dayRange, dayStart, localDay, toIso } from '../src/domain/time.js';

const columns = [
  { key: 'booking_id', zh: '预约号', en: 'Booking', type: 'int' },
  { key: 'scheduled_at', zh: '预约时间', en: 'Scheduled at', type: 'datetime' },
  { key: 'plate', zh: '车牌', en: 'Plate', type: 'text' },
  { key: 'model', zh: '车型', en: 'Model', type: 'text' },
  { key: 'customer_name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'advisor', zh: '服务顾问', en: 'Advisor', type: 'text' },
  { key: 'service', zh: '服务项目', en: 'Service', type: 'text' },
  { key: 'complaint', zh: '客户描述', en: 'Complaint', type: 'text' },
  { key: 'parts_value', zh: '订货零件金额', en: 'Parts value', type: 'money' },
  { key: 'deposit', zh: '订金', en: 'Deposit', type: 'money' },
  { key: 'repeat_of', zh: '返修原单', en: 'Repeat of', type: 'text' },
  { key: 'open_findings', zh: '遗留问题', en: 'Open findings', type: 'text' },
  { key: 'declined_items', zh: '客户未同意项目', en: 'Declined items', type: 'text' },
  { key: 'last_visit_on', zh: '上次到店', en: 'Last visit', type: 'date' },
  { key: 'last_mileage', zh: '上次里程', en: 'Last mileage', type: 'int' },
] as const satisfies readonly Column[];

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

interface Found {
  booking_id: number;
  scheduled_at: string;
  plate: string;
  model: string | null;
  customer_name: string;
  advisor: string | null;
  service: string | null;
  complaint: string | null;
  parts_value_cents: number;
  deposit_cents: number;
  repeat_of: string | null;
  open_findings: string | null;
  declined_items: string | null;
  last_opened_at: string | null;
  last_mileage: number | null;
}

export default {
  name: 'preparation',
  cadence: 'daily',
  columns,
  async *rows({ ctx, day }) {
    const target = addDays(day, 1);
    const [start, end] = dayRange(target, ctx.tz);
    const repeatFrom = toIso(dayStart(addDays(target, -ctx.settings.int('repeat.days')), ctx.tz));
    for await (const b of ctx.db.iterate<Found>(SQL, { $start: start, $end: end, $repeatFrom: repeatFrom })) {
      yield {
        booking_id: b.booking_id,
        scheduled_at: b.scheduled_at,
        plate: b.plate,
        model: b.model,
        customer_name: b.customer_name,
        advisor: b.advisor,
        service: b.service,
        complaint: b.complaint,
        parts_value: b.parts_value_cents,
        deposit: b.deposit_cents,
        repeat_of: b.repeat_of,
        open_findings: b.open_findings,
        declined_items: b.declined_items,
        last_visit_on: b.last_opened_at ? localDay(b.last_opened_at, ctx.tz) : null,
        last_mileage: b.last_mileage,
      };
    }
  },
} satisfies JobDefinition;
