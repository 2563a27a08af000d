/**
 * revenue-weekly / revenue-monthly (SPEC §6.5) on hand-built orders; expected files in fixtures/golden-b/
 * worked out by hand. 2026-W53 is 2026-12-28 … 2027-01-03; 2026-W01 is 2025-12-29 … 2026-01-04.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import weekly from '../../jobs/revenue-weekly.js';
import monthly from '../../jobs/revenue-monthly.js';
import { reportPeriod, revenueReport } from '../../src/app/reports.js';
import { revenueRows, type RevenueOrder } from '../../src/domain/revenue.js';
import { rng } from '../fuzz/nasty.js';
import { testCtx, tempDir } from '../helpers.js';
import { at, collect, csvText, customer, fileText, golden, insert, order, vehicle } from './jobs-b-helpers.js';

async function shop(ctx: Ctx): Promise<void> {
  const wang = await insert(ctx, 'staff', { name: '王芳', role: 'advisor' });
  const li = await insert(ctx, 'staff', { name: '李明', role: 'advisor' });
  const c = await customer(ctx, '张三');
  const v1 = await vehicle(ctx, c, '京A00001', { model: '帕萨特' });
  const v2 = await vehicle(ctx, c, '京A00002', { model: 'Golf' });
  const v3 = await vehicle(ctx, c, '京A00003', { model: '' });
  const v4 = await vehicle(ctx, c, '京A00004', { model: null });
  const pay = (orderId: number, cents: number, when: string) =>
    insert(ctx, 'payments', { order_id: orderId, amount_cents: cents, method: 'cash', paid_at: at(when) });
  const money = (labor: number, parts: number, fees: number, discount: number) => ({
    labor_cents: labor, parts_cents: parts, fees_cents: fees, discount_cents: discount, total_cents: labor + parts + fees - discount,
  });
  // O1: delivered 12-28 00:10 shop time (12-27 UTC): in W53; the 01-03 23:59 payment counts for the week, not the month
  const o1 = await order(ctx, v1, { opened: '2026-12-27 09:00', delivered: '2026-12-28 00:10', km: 1000, category: 'maintenance', advisor_id: wang, ...money(30000, 20000, 0, 0) });
  await pay(o1, 30000, '2026-12-28 00:20');
  await pay(o1, 20000, '2027-01-03 23:59');
  // O2: delivered on the week's last evening; the payment at 01-04 00:00 is after the period
  const o2 = await order(ctx, v1, { opened: '2027-01-03 09:00', delivered: '2027-01-03 23:50', km: 1100, advisor_id: li, ...money(10000, 5000, 1000, 1000) });
  await pay(o2, 5000, '2027-01-03 20:00');
  await pay(o2, 10000, '2027-01-04 00:00');
  // O3: no advisor, nothing paid
  await order(ctx, v2, { opened: '2026-12-30 09:00', delivered: '2026-12-30 15:00', km: 1000, ...money(8000, 0, 0, 0) });
  // O4: empty model → unknown; total 200.00 + 300.01 − 0.01
  const o4 = await order(ctx, v3, { opened: '2026-12-31 08:00', delivered: '2026-12-31 10:00', km: 1000, category: 'maintenance', advisor_id: wang, ...money(20000, 30001, 0, 1) });
  await pay(o4, 50000, '2026-12-31 10:00');
  // O5: delivered 01-04 00:05 shop time (01-03 16:05 UTC): the next week
  await order(ctx, v4, { opened: '2027-01-03 09:00', delivered: '2027-01-04 00:05', km: 1000, category: 'accident', advisor_id: li, ...money(99900, 0, 0, 0) });
  // O6: delivered 12-27 23:59: W52, but December; its payment in January is not December's
  const o6 = await order(ctx, v2, { opened: '2026-12-27 09:00', delivered: '2026-12-27 23:59', km: 1100, ...money(7000, 0, 0, 0) });
  await pay(o6, 7000, '2027-01-02 10:00');
  // O7: ready, not delivered; O7b: cancelled — neither counts
  await order(ctx, v1, { opened: '2026-12-29 09:00', km: 1200, status: 'ready', ...money(55500, 0, 0, 0) });
  await order(ctx, v1, { opened: '2026-12-29 10:00', km: 1200, status: 'cancelled', ...money(55500, 0, 0, 0) });
  // 2026-W01: two orders of 京A00002, 124.45 / 2 = 62.225 → 62.23
  const o8 = await order(ctx, v2, { opened: '2025-12-29 07:00', delivered: '2025-12-29 08:00', km: 500, ...money(12345, 0, 0, 0) });
  await pay(o8, 12345, '2025-12-29 08:00');
  await order(ctx, v2, { opened: '2026-01-04 22:00', delivered: '2026-01-04 23:00', km: 600, ...money(100, 0, 0, 0) });
}

describe('revenue jobs', () => {
  it('match the hand-worked golden files: ISO week 53, ISO week 1 across the new year, a month', async () => {
    const ctx = await testCtx('2027-01-06 10:00');
    try {
      await shop(ctx);
      const w53 = await collect(weekly, ctx, '2027-01-06', { key: '2026-W53', first: '2026-12-28', last: '2027-01-03' });
      expect(csvText(ctx, weekly, w53)).toBe(golden('revenue-weekly-2026-W53.csv'));
      const w01 = await collect(weekly, ctx, '2027-01-06', { key: '2026-W01', first: '2025-12-29', last: '2026-01-04' });
      expect(csvText(ctx, weekly, w01)).toBe(golden('revenue-weekly-2026-W01.csv'));
      const dec = await collect(monthly, ctx, '2027-01-06', { key: '2026-12', first: '2026-12-01', last: '2026-12-31' });
      expect(csvText(ctx, monthly, dec)).toBe(golden('revenue-monthly-2026-12.csv'));
      // a month with no delivered order: the total row alone, all zeros
      const nov = await collect(monthly, ctx, '2026-12-01', { key: '2026-11', first: '2026-11-01', last: '2026-11-30' });
      expect(csvText(ctx, monthly, nov)).toBe(
        'period,dimension,key,orders,vehicles,labor,parts,other,discount,total,paid,outstanding,avg_order\n' +
          '2026-11,total,all,0,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00\n',
      );
    } finally {
      await ctx.db.close();
    }
  });

  it('the default period is the ISO week / month before D\'s', () => {
    expect(reportPeriod('weekly', '2027-01-06')).toEqual({ key: '2026-W53', first: '2026-12-28', last: '2027-01-03' });
    expect(reportPeriod('weekly', '2027-01-04')).toEqual({ key: '2026-W53', first: '2026-12-28', last: '2027-01-03' });
    expect(reportPeriod('weekly', '2026-01-11')).toEqual({ key: '2026-W01', first: '2025-12-29', last: '2026-01-04' });
    expect(reportPeriod('monthly', '2027-01-01')).toEqual({ key: '2026-12', first: '2026-12-01', last: '2026-12-31' });
    expect(reportPeriod('monthly', '2026-03-31')).toEqual({ key: '2026-02', first: '2026-02-01', last: '2026-02-28' });
  });

  it('through the runner: revenue-weekly-2026-W53.csv by default on 2027-01-04, revenue-monthly by --month', async () => {
    const { runJob } = await import('../../src/app/jobs.js');
    const ctx = await testCtx('2027-01-06 10:00');
    const out = tempDir();
    try {
      await shop(ctx);
      const week = await runJob(ctx, 'revenue-weekly', { date: '2027-01-04', out });
      expect(week.file!.endsWith('revenue-weekly-2026-W53.csv')).toBe(true);
      expect(fileText(week.file!)).toBe(golden('revenue-weekly-2026-W53.csv'));
      const month = await runJob(ctx, 'revenue-monthly', { month: '2026-12', out });
      expect(month.file!.endsWith('revenue-monthly-2026-12.csv')).toBe(true);
      expect(fileText(month.file!)).toBe(golden('revenue-monthly-2026-12.csv'));
    } finally {
      await ctx.db.close();
    }
  });

  it('the sums SQLite computes equal the rule run over every order (random months, keys with odd white space)', async () => {
    const MODELS = ['Golf', ' Golf', 'Golf\u3000', 'golf', '', '  ', null, '帕萨特', '帕萨特\t', '\u00a0帕萨特'];
    const ADVISORS = ['王芳', ' 王芳', '王芳\u2003', '', '李明'];
    for (const seed of [1, 2]) {
      const random = rng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const cents = () => Math.floor(random() * 100_000);
      const ctx = await testCtx('2026-11-01 08:00');
      try {
        const staff = await Promise.all(ADVISORS.map((name) => insert(ctx, 'staff', { name, role: 'advisor' })));
        const c = await customer(ctx, '张三');
        const vehicles = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
          const model = pick(MODELS);
          return { id: await vehicle(ctx, c, `京A${String(i).padStart(5, '0')}`, { model }), model };
        }));
        const orders: RevenueOrder[] = [];
        for (let i = 0; i < 80; i++) {
          const v = pick(vehicles);
          const advisor = random() < 0.2 ? null : pick(staff.map((id, k) => ({ id, name: ADVISORS[k]! })));
          const [labor, parts, fees] = [cents(), cents(), cents()];
          const discount = Math.floor(random() * 500);
          const day = String(1 + (i % 31)).padStart(2, '0');
          const id = await order(ctx, v.id, {
            opened: `2026-10-${day} 08:00`, delivered: `2026-10-${day} 18:00`, km: 1000 + i, category: pick(['repair', 'maintenance', 'accident']),
            advisor_id: advisor?.id ?? null, labor_cents: labor, parts_cents: parts, fees_cents: fees, discount_cents: discount,
            total_cents: labor + parts + fees - discount,
          });
          let paid = 0;
          for (const when of ['2026-10-31 23:59', '2026-11-01 00:00']) {
            if (random() < 0.5) continue;
            const amount = cents();
            await insert(ctx, 'payments', { order_id: id, amount_cents: amount, method: 'cash', paid_at: at(when) });
            if (when.startsWith('2026-10')) paid += amount;
          }
          orders.push({
            vehicle_id: v.id, category: (await ctx.db.get<{ category: string }>('SELECT category FROM orders WHERE id = ?', [id]))!.category,
            model: v.model, advisor: advisor?.name ?? null, labor_cents: labor, parts_cents: parts, fees_cents: fees, discount_cents: discount, paid_cents: paid,
          });
        }
        const period = { key: '2026-10', first: '2026-10-01', last: '2026-10-31' };
        expect(await revenueReport(ctx, period)).toEqual(revenueRows('2026-10', orders));
      } finally {
        await ctx.db.close();
      }
    }
  });
});
