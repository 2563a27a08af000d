/**
 * appointment-reminders (SPEC §6.1): bookings booked or confirmed starting on D+1, by start then id,
 * with the reminder text in the shop's locale. Do-not-contact customers and deactivated vehicles are
 * never listed.
 */
import type { Column, JobDefinition, Row } from './types.js';
import { addDays, dayRange, formatLocal } from '../src/domain/time.js';
import { reminderMessage } from '../src/domain/jobs/reminders.js';

const columns = [
  { key: 'booking_id', zh: '预约号', en: 'Booking', type: 'int' },
  { key: 'scheduled_at', zh: '预约时间', en: 'Scheduled at', type: 'datetime' },
  { key: 'customer_name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'text' },
  { key: 'plate', zh: '车牌', en: 'Plate', type: 'text' },
  { key: 'model', zh: '车型', en: 'Model', type: 'text' },
  { key: 'service', zh: '服务项目', en: 'Service', type: 'text' },
  { key: 'advisor', zh: '服务顾问', en: 'Advisor', type: 'text' },
  { key: 'deposit', zh: '订金', en: 'Deposit', type: 'money' },
  { key: 'message', zh: '提醒短信', en: 'Message', type: 'text' },
] as const satisfies readonly Column[];

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
   AND c.do_not_contact = 0
   AND v.active = 1
 ORDER BY b.scheduled_at, b.id`;

interface Found {
  booking_id: number;
  scheduled_at: string;
  customer_name: string;
  phone: string;
  plate: string;
  model: string | null;
  service: string | null;
  advisor: string | null;
  deposit_cents: number;
}

export default {
  name: 'appointment-reminders',
  cadence: 'daily',
  columns,
  async *rows({ ctx, day }) {
    const locale = ctx.settings.locale;
    const template = ctx.settings.get(`message.reminder.${locale}`);
    const shop = ctx.settings.get('shop.name');
    const shopPhone = ctx.settings.get('shop.phone');
    for await (const b of ctx.db.iterate<Found>(SQL, dayRange(addDays(day, 1), ctx.tz))) {
      const time = formatLocal(b.scheduled_at, ctx.tz);
      const row: Row = {
        booking_id: b.booking_id,
        scheduled_at: b.scheduled_at,
        customer_name: b.customer_name,
        phone: b.phone,
        plate: b.plate,
        model: b.model,
        service: b.service,
        advisor: b.advisor,
        deposit: b.deposit_cents,
        message: reminderMessage(template, locale, {
          customer: b.customer_name,
          shop,
          shopPhone,
          plate: b.plate,
          model: b.model ?? '',
          time,
          service: b.service ?? '',
        }),
      };
      yield row;
    }
  },
} satisfies JobDefinition;
