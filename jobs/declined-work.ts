/**
 * declined-work (SPEC §12, §16): work found or declined and not yet done, whose follow-up day has
 * come, one row per vehicle, safety first then the oldest; a vehicle listed is not listed again for
 * `declined.cooldown_days`. Query: src/db/lists/declined-work.ts; plan: src/domain/jobs/declined-work.ts.
 * Calls recorded from the list (contact record) keep a vehicle off or bring it back (jobs/contact-outcomes.ts).
 */
import type { Column, JobDefinition, Row } from './types.js';
import { addDays, dayRange, localDayCache } from '../src/domain/time.js';
import { declinedWorkRows } from '../src/domain/jobs/declined-work.js';
import { declinedCandidates } from '../src/db/lists/declined-work.js';
import { contactAllows } from './contact-outcomes.js';

const columns = [
  { key: 'plate', zh: '车牌号', en: 'Plate', type: 'text' },
  { key: 'model', zh: '车型', en: 'Model', type: 'text' },
  { key: 'customer_name', zh: '客户姓名', en: 'Customer', type: 'text' },
  { key: 'phone', zh: '手机', en: 'Phone', type: 'text' },
  { key: 'items', zh: '未修项目', en: 'Items', type: 'text' },
  { key: 'severity', zh: '严重程度', en: 'Severity', type: 'text' },
  { key: 'found_on', zh: '发现日期', en: 'Found on', type: 'date' },
  { key: 'order_number', zh: '任务单号', en: 'Order', type: 'text' },
  { key: 'estimate', zh: '估价', en: 'Estimate', type: 'money' },
  { key: 'days_open', zh: '未修天数', en: 'Days open', type: 'int' },
  { key: 'last_contact', zh: '最近联系', en: 'Last contact', type: 'text' },
] as const satisfies readonly Column[];

export default {
  name: 'declined-work',
  columns,
  contact: { list: 'declined-work', subjectOf: (row: Row) => `vehicle:${row._subject}` },
  async *rows({ ctx, day }) {
    const [dayStart, dayEnd] = dayRange(day, ctx.tz);
    const cooldown = ctx.settings.int('declined.cooldown_days');
    const found = await declinedCandidates(ctx.db, {
      dayStart, dayEnd,
      cooldownFrom: cooldown > 0 ? addDays(day, -cooldown) : null,
      cooldownTo: cooldown > 0 ? addDays(day, -1) : null,
    });
    const allows = await contactAllows(ctx, 'declined-work', day, cooldown);
    const rows = declinedWorkRows(found, day, ctx.settings.int('declined.follow_up_days'), localDayCache(ctx.tz)) as unknown as Row[];
    yield rows.filter((r) => allows(`vehicle:${r._subject}`));
  },
  subjectOf: (row: Row) => Number(row._subject),
} satisfies JobDefinition;
