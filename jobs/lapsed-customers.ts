/** lapsed-customers (SPEC §6.4): customers whose latest visit was exactly `lapsed.months` months before D. */
import type { JobDefinition } from './types.js';

const job = {
  name: 'lapsed-customers',
  cadence: 'daily',
  columns: [
    { key: 'customer_name', zh: '客户姓名', en: 'Customer', type: 'text' },
    { key: 'phone', zh: '手机', en: 'Phone', type: 'text' },
    { key: 'plates', zh: '车牌号', en: 'Plates', type: 'text' },
    { key: 'last_visit_on', zh: '上次到店日期', en: 'Last visit', type: 'date' },
    { key: 'last_order_number', zh: '上次工单号', en: 'Last order', type: 'text' },
    { key: 'visits', zh: '到店次数', en: 'Visits', type: 'int' },
    { key: 'lifetime_spend', zh: '累计消费', en: 'Lifetime spend', type: 'money' },
  ],
  async *rows({ ctx, day }) {
    const { lapsedCustomerRows } = await import('../src/app/reports.js');
    yield await lapsedCustomerRows(ctx, day);
  },
} satisfies JobDefinition;

export default job;
