/**
 * preparation (SPEC §6.7): the workshop's list for D+1 — one row per booking (booked/confirmed)
 * starting on D+1, by start then id, with what to prepare: the repeat-repair warning, the vehicle's
 * open findings and declined work, its last visit and mileage. Not a calling list, so do-not-contact
 * customers are on it; deactivated vehicles are not. Query: src/db/lists/preparation.ts; plan:
 * src/domain/jobs/preparation.ts.
 */
import type { Column, JobDefinition } from './types.js';
import { addDays, dayRange, dayStart, toIso } from '../src/domain/time.js';
import { preparationRow } from '../src/domain/jobs/preparation.js';
import { preparationBookings } from '../src/db/lists/preparation.js';

export { SQL } from '../src/db/lists/preparation.js';

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

export default {
  name: 'preparation',
  columns,
  async *rows({ ctx, day }) {
    const target = addDays(day, 1);
    const [start, end] = dayRange(target, ctx.tz);
    const repeatFrom = toIso(dayStart(addDays(target, -ctx.settings.int('repeat.days')), ctx.tz));
    for await (const b of preparationBookings(ctx.db, start, end, repeatFrom)) yield preparationRow(b, ctx.tz);
  },
} satisfies JobDefinition;
