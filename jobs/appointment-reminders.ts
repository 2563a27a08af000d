/**
 * appointment-reminders (SPEC §6.1): bookings booked or confirmed starting on D+1, by start then id,
 * with the reminder text in the shop's locale. Do-not-contact customers and deactivated vehicles are
 * never listed. Query: src/db/lists/appointment-reminders.ts; plan: src/domain/jobs/reminders.ts.
 */
import type { Column, JobDefinition, Row } from './types.js';
import { addDays, dayRange } from '../src/domain/time.js';
import { reminderRow, reminderSettings } from '../src/domain/jobs/reminders.js';
import { remindersBetween } from '../src/db/lists/appointment-reminders.js';

export { SQL } from '../src/db/lists/appointment-reminders.js';

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
  { key: 'last_contact', zh: '最近联系', en: 'Last contact', type: 'text' },
] as const satisfies readonly Column[];

export default {
  name: 'appointment-reminders',
  columns,
  contact: { list: 'appointment-reminders', subjectOf: (row: Row) => `booking:${row.booking_id}` },
  async *rows({ ctx, day }) {
    const settings = reminderSettings(ctx.settings);
    for await (const b of remindersBetween(ctx.db, dayRange(addDays(day, 1), ctx.tz))) yield reminderRow(b, settings, ctx.tz);
  },
} satisfies JobDefinition;
