/**
 * lapsed-customers (SPEC §6.4) on a hand-built shop. D = 2026-11-30 with lapsed.months = 6: November
 * has no 31st, so visits on 05-30 and on 05-31 both come due that day. Expected rows worked out by hand
 * in fixtures/golden-b/lapsed-customers-2026-11-30.csv.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import job from '../../jobs/lapsed-customers.js';
import { testCtx, tempDir } from '../helpers.js';
import { at, collect, csvText, customer, fileText, golden, insert, order, vehicle } from './jobs-b-helpers.js';

async function shop(ctx: Ctx): Promise<void> {
  const booking = async (v: number, start: string, status: string) => {
    const c = (await ctx.db.get<{ customer_id: number }>('SELECT customer_id FROM vehicles WHERE id = ?', [v]))!.customer_id;
    await insert(ctx, 'bookings', { vehicle_id: v, customer_id: c, scheduled_at: at(start), ends_at: at(start), minutes: 60, status, created_at: at('2026-11-01 09:00') });
  };
  // 1 张三: latest visit 05-30; two active plates (sorted) and a deactivated one; spend 500.00 + 300.00
  const c1 = await customer(ctx, '张三');
  const v1 = await vehicle(ctx, c1, '沪B22222');
  await vehicle(ctx, c1, '京A11111');
  await vehicle(ctx, c1, '京A99999', { active: 0 });
  await order(ctx, v1, { number: 'RO-20251201-0001', opened: '2025-12-01 09:00', delivered: '2025-12-01 17:00', km: 1000, total_cents: 50000 });
  await order(ctx, v1, { number: 'RO-20260530-0001', opened: '2026-05-30 10:00', delivered: '2026-05-30 17:00', km: 2000, total_cents: 30000 });
  // 2 李四: latest 05-31 23:30 (still open: a visit, not spend); a cancelled order after it does not count
  const c2 = await customer(ctx, '李四');
  const v2 = await vehicle(ctx, c2, '粤C33333');
  await order(ctx, v2, { number: 'RO-20260110-0001', opened: '2026-01-10 09:00', delivered: '2026-01-10 17:00', km: 1000, total_cents: 10050 });
  await order(ctx, v2, { number: 'RO-20260531-0003', opened: '2026-05-31 23:30', km: 2000, total_cents: 12345 });
  await order(ctx, v2, { number: 'RO-20260605-0001', opened: '2026-06-05 09:00', km: 2100, status: 'cancelled' });
  // 3 王五: lapsed, but booked for 12-05: not listed
  const c3 = await customer(ctx, '王五');
  const v3 = await vehicle(ctx, c3, '京A33333');
  await order(ctx, v3, { opened: '2026-05-30 09:00', delivered: '2026-05-30 12:00', km: 1000 });
  await booking(v3, '2026-12-05 09:00', 'booked');
  // 4 赵六: do-not-contact: never listed
  const c4 = await customer(ctx, '赵六', { do_not_contact: 1 });
  const v4 = await vehicle(ctx, c4, '京A44444');
  await order(ctx, v4, { opened: '2026-05-31 09:00', delivered: '2026-05-31 12:00', km: 1000 });
  // 5 钱七: came back on 07-01: not lapsed yet
  const c5 = await customer(ctx, '钱七');
  const v5 = await vehicle(ctx, c5, '京A50000');
  await order(ctx, v5, { opened: '2026-05-30 09:00', delivered: '2026-05-30 12:00', km: 1000 });
  await order(ctx, v5, { opened: '2026-07-01 09:00', delivered: '2026-07-01 12:00', km: 2000 });
  // 6 孙八: 05-29 + 6 months = 11-29, the day before
  const c6 = await customer(ctx, '孙八');
  const v6 = await vehicle(ctx, c6, '京A66666');
  await order(ctx, v6, { number: 'RO-20260529-0001', opened: '2026-05-29 09:00', delivered: '2026-05-29 12:00', km: 1000 });
  // 7 周九: opened 06-01 00:30 shop time (05-31 16:30 UTC): a 06-01 visit, not listed
  const c7 = await customer(ctx, '周九');
  const v7 = await vehicle(ctx, c7, '京A77777');
  await order(ctx, v7, { opened: '2026-06-01 00:30', delivered: '2026-06-01 12:00', km: 1000 });
  // 8 吴十: only a deactivated vehicle, an undelivered order (no spend); a cancelled booking ahead and a past one: listed
  const c8 = await customer(ctx, '吴十');
  const v8 = await vehicle(ctx, c8, '京A88888', { active: 0 });
  await order(ctx, v8, { number: 'RO-20260530-0002', opened: '2026-05-30 11:00', km: 1000, status: 'ready', total_cents: 9900 });
  await booking(v8, '2026-12-10 09:00', 'cancelled');
  await booking(v8, '2026-11-20 09:00', 'booked');
  // 9 郑十一: two visits on 05-31: the later one is the last order
  const c9 = await customer(ctx, '郑十一');
  const v9 = await vehicle(ctx, c9, '京A55555');
  await order(ctx, v9, { number: 'RO-20260531-0002', opened: '2026-05-31 15:00', delivered: '2026-05-31 18:00', km: 1200, total_cents: 2000 });
  await order(ctx, v9, { number: 'RO-20260531-0001', opened: '2026-05-31 09:00', delivered: '2026-05-31 12:00', km: 1000, total_cents: 1000 });
}

describe('lapsed-customers job', () => {
  it('lists the customers of the hand-worked golden file, by last visit then phone', async () => {
    const ctx = await testCtx('2026-11-30 10:00');
    try {
      await shop(ctx);
      expect(csvText(ctx, job, await collect(job, ctx, '2026-11-30'))).toBe(golden('lapsed-customers-2026-11-30.csv'));
      // the day before: only the 05-29 visit
      expect((await collect(job, ctx, '2026-11-29')).map((r) => `${r.customer_name} ${r.last_order_number} ${r.visits} ${r.lifetime_spend}`)).toEqual(['孙八 RO-20260529-0001 1 0']);
      // D = 2026-12-01: visits of 06-01 (周九)
      expect((await collect(job, ctx, '2026-12-01')).map((r) => r.customer_name)).toEqual(['周九']);
      // lapsed.months = 7: 05-31 + 7 months = 12-31
      await ctx.db.run(`INSERT INTO settings (key, value) VALUES ('lapsed.months', '7')`);
      const { refreshSettings } = await import('../../src/app/context.js');
      await refreshSettings(ctx);
      expect((await collect(job, ctx, '2026-12-31')).map((r) => r.customer_name)).toEqual(['李四', '郑十一']);
      expect(await collect(job, ctx, '2026-11-30')).toEqual([]);
    } finally {
      await ctx.db.close();
    }
  });

  it('through the runner writes lapsed-customers-<D>.csv', async () => {
    const { runJob } = await import('../../src/app/jobs.js');
    const ctx = await testCtx('2026-11-30 10:00');
    try {
      await shop(ctx);
      const result = await runJob(ctx, 'lapsed-customers', { date: '2026-11-30', out: tempDir() });
      expect(result.file!.endsWith('lapsed-customers-2026-11-30.csv')).toBe(true);
      expect(result.rows).toBe(4);
      expect(fileText(result.file!)).toBe(golden('lapsed-customers-2026-11-30.csv'));
    } finally {
      await ctx.db.close();
    }
  });
});
