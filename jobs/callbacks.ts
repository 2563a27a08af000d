/**
 * callbacks (SPEC §6.2): delivered orders whose shop-local delivery day is D − callback.max_days …
 * D − callback.min_days (inclusive) with no callback reached or refused (as of the end of D, so a
 * replayed day lists what was due then). Do-not-contact customers and deactivated vehicles are left
 * out. Query: src/db/lists/callbacks.ts; priority, reason tags, order and agent rotation:
 * src/domain/jobs/callbacks.ts.
 */
import type { Column, JobDefinition } from './types.js';
import { addDays, daysRange, localDayCache } from '../src/domain/time.js';
import { callbackRows } from '../src/domain/jobs/callbacks.js';
import { callbackAgents, callbackCandidates } from '../src/db/lists/callbacks.js';

export { SQL } from '../src/db/lists/callbacks.js';

const columns = [
  { key: 'order_number', zh: '工单号', en: 'Order', type: 'text' },
  { key: 'delivered_on', zh: '交车日期', en: 'Delivered on', type: 'date' },
  { key: 'days_since_delivery', zh: '交车天数', en: 'Days since delivery', type: 'int' },
  { key: 'customer_name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'text' },
  { key: 'plate', zh: '车牌', en: 'Plate', type: 'text' },
  { key: 'model', zh: '车型', en: 'Model', type: 'text' },
  { key: 'category', zh: '维修类别', en: 'Category', type: 'text' },
  { key: 'total', zh: '金额', en: 'Total', type: 'money' },
  { key: 'advisor', zh: '服务顾问', en: 'Advisor', type: 'text' },
  { key: 'agent', zh: '回访专员', en: 'Agent', type: 'text' },
  { key: 'call_window', zh: '回访时段', en: 'Call window', type: 'text' },
  { key: 'priority', zh: '优先级', en: 'Priority', type: 'int' },
  { key: 'reason', zh: '原因', en: 'Reason', type: 'text' },
] as const satisfies readonly Column[];

export default {
  name: 'callbacks',
  columns,
  async *rows({ ctx, day }) {
    const s = ctx.settings;
    const [from, to] = daysRange(addDays(day, -s.int('callback.max_days')), addDays(day, -s.int('callback.min_days')), ctx.tz);
    const asOf = daysRange(day, day, ctx.tz)[1];
    const candidates = await callbackCandidates(ctx.db, from, to, asOf);
    const agents = await callbackAgents(ctx.db);
    yield callbackRows(candidates, agents, { defaultWindow: s.get('callback.window') }, day, localDayCache(ctx.tz));
  },
} satisfies JobDefinition;
