import { describe, expect, it } from 'vitest';
import { expectGolden, expectNoBigScan, planOf, seededCtx } from './jobs-golden.js';
import { SQL } from '../../jobs/preparation.js';

describe('preparation (§6.7)', () => {
  it('one row per D+1 booking with repeat_of, open findings, declined items, last visit and mileage', async () => {
    const ctx = await seededCtx();
    const { rows } = await expectGolden(ctx, 'preparation', 'preparation-2026-11-23.csv');
    expect(rows).toBe(6);
    await ctx.db.close();
  });

  it('reads one day of bookings and the vehicles\' own orders through indexes', async () => {
    const ctx = await seededCtx();
    const plan = await planOf(ctx, SQL, { $start: '2026-11-23T16:00:00.000Z', $end: '2026-11-24T16:00:00.000Z', $repeatFrom: '2026-10-24T16:00:00.000Z' });
    expectNoBigScan(plan);
    await ctx.db.close();
  });
});
