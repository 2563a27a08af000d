import { describe, expect, it } from 'vitest';
import { expectGolden, planOf, seededCtx } from './jobs-golden.js';
import { sql } from '../../jobs/arrears.js';

describe('arrears (§6.8)', () => {
  it('balance above zero on D, oldest delivery first; a deactivated vehicle keeps its debt on the list; open orders and later deliveries left out', async () => {
    const ctx = await seededCtx();
    const { rows } = await expectGolden(ctx, 'arrears', 'arrears-2026-11-23.csv');
    expect(rows).toBe(4);
    await ctx.db.close();
  });

  it('a past D counts only payments made by the end of D', async () => {
    const ctx = await seededCtx();
    const { rows } = await expectGolden(ctx, 'arrears', 'arrears-2026-11-22.csv', { date: '2026-11-22' });
    expect(rows).toBe(4);
    await ctx.db.close();
  });

  it('D today reads the unpaid orders in list order from orders_unpaid_delivered, with no sort; a past D also needs payments by paid_at', async () => {
    const ctx = await seededCtx();
    const bigScan = (plan: string[]) => plan.filter((d) => /^SCAN (orders|payments)\b/.test(d) && !/INDEX/.test(d));
    const today = await planOf(ctx, sql(false), { $end: '2026-11-23T16:00:00.000Z' });
    expect(bigScan(today), today.join('\n')).toEqual([]);
    expect(today.some((d) => /orders_unpaid_delivered/.test(d)), today.join('\n')).toBe(true);
    expect(today.some((d) => /TEMP B-TREE/.test(d)), today.join('\n')).toBe(false);
    const past = await planOf(ctx, sql(true), { $end: '2026-11-23T16:00:00.000Z' });
    expect(bigScan(past), past.join('\n')).toEqual([]);
    await ctx.db.close();
  });
});
