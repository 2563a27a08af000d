/**
 * callback-stats (SPEC §6.6) over the orders delivered in 2026-10 (shop time); the expected file
 * fixtures/golden-b/callback-stats-2026-10.csv was worked out by hand:
 * 6 delivered, 4 reached (66.7 %), 5 reached calls: q1 19/5, q2 20/5, q3 21/5, q4 19/5, q5 19/5; 3 of 5 satisfied.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import job from '../../jobs/callback-stats.js';
import { testCtx, tempDir } from '../helpers.js';
import { at, collect, csvText, customer, fileText, golden, insert, order, vehicle } from './jobs-b-helpers.js';
import { callbackStats, type StatsOrder } from '../../src/domain/callbackStats.js';
import { callbackStatsReport } from '../../src/app/reports.js';
import { rng } from '../fuzz/nasty.js';

async function shop(ctx: Ctx): Promise<void> {
  const v = await vehicle(ctx, await customer(ctx, '张三'), '京A12345');
  const call = (orderId: number, when: string, result: string, scores: number[] | null = null, reason: string | null = null, suggestion: string | null = null) =>
    insert(ctx, 'callbacks', {
      order_id: orderId, attempted_at: at(when), result, reason, suggestion,
      q1: scores?.[0] ?? null, q2: scores?.[1] ?? null, q3: scores?.[2] ?? null, q4: scores?.[3] ?? null, q5: scores?.[4] ?? null,
    });
  // delivered 10-01 00:30 shop time (09-30 UTC): October
  const o1 = await order(ctx, v, { opened: '2026-09-30 09:00', delivered: '2026-10-01 00:30', km: 1000 });
  await call(o1, '2026-10-04 10:00', 'no_answer');
  await call(o1, '2026-10-05 10:00', 'reached', [5, 5, 5, 5, 4], null, '增加休息区');
  const o2 = await order(ctx, v, { opened: '2026-10-10 09:00', delivered: '2026-10-10 17:00', km: 1100 });
  await call(o2, '2026-10-14 10:00', 'reached', [3, 4, 4, 4, 4], 'price', ' 增加休息区 ');
  const o3 = await order(ctx, v, { opened: '2026-10-15 09:00', delivered: '2026-10-15 17:00', km: 1200 });
  await call(o3, '2026-10-18 10:00', 'refused');
  await order(ctx, v, { opened: '2026-10-20 09:00', delivered: '2026-10-20 17:00', km: 1300 });
  // delivered on the month's last evening, called back in November: still October's
  const o5 = await order(ctx, v, { opened: '2026-10-31 09:00', delivered: '2026-10-31 23:50', km: 1400 });
  await call(o5, '2026-11-04 10:00', 'reached', [2, 2, 3, 1, 2], 'repair_quality', '提高维修质量');
  // delivered 11-01 00:10 shop time (10-31 UTC): November, not counted
  const o6 = await order(ctx, v, { opened: '2026-10-31 20:00', delivered: '2026-11-01 00:10', km: 1500 });
  await call(o6, '2026-11-04 10:00', 'reached', [1, 1, 1, 1, 1], 'price', 'x');
  // delivered 09-30 23:00: September
  const o7 = await order(ctx, v, { opened: '2026-09-30 09:00', delivered: '2026-09-30 23:00', km: 900 });
  await call(o7, '2026-10-04 10:00', 'reached', [1, 1, 1, 1, 1], 'price', 'x');
  // reached twice: one order, two reached calls
  const o8 = await order(ctx, v, { opened: '2026-10-12 09:00', delivered: '2026-10-12 17:00', km: 1250 });
  await call(o8, '2026-10-15 10:00', 'reached', [4, 4, 4, 4, 4]);
  await call(o8, '2026-10-16 10:00', 'reached', [5, 5, 5, 5, 5]);
  // an order of October that was cancelled, and one still in progress: not delivered
  await order(ctx, v, { opened: '2026-10-05 09:00', km: 1050, status: 'cancelled' });
}

describe('callback-stats job', () => {
  it('matches the hand-worked golden file', async () => {
    const ctx = await testCtx('2026-11-01 08:00');
    try {
      await shop(ctx);
      const rows = await collect(job, ctx, '2026-11-01', { key: '2026-10', first: '2026-10-01', last: '2026-10-31' });
      expect(csvText(ctx, job, rows)).toBe(golden('callback-stats-2026-10.csv'));
      // a month without deliveries: counts 0, ratios empty
      const aug = await collect(job, ctx, '2026-11-01', { key: '2026-08', first: '2026-08-01', last: '2026-08-31' });
      expect(aug.map((r) => `${r.metric},${r.key},${r.value}`)).toEqual([
        'delivered_orders,,0', 'reached,,0', 'coverage_pct,,', 'avg_score,q1,', 'avg_score,q2,', 'avg_score,q3,', 'avg_score,q4,', 'avg_score,q5,', 'satisfied_pct,,',
      ]);
    } finally {
      await ctx.db.close();
    }
  });

  it('through the runner: the month before D by default → callback-stats-2026-10.csv', async () => {
    const { runJob } = await import('../../src/app/jobs.js');
    const ctx = await testCtx('2026-11-01 08:00');
    try {
      await shop(ctx);
      const result = await runJob(ctx, 'callback-stats', { date: '2026-11-01', out: tempDir() });
      expect(result.file!.endsWith('callback-stats-2026-10.csv')).toBe(true);
      expect(fileText(result.file!)).toBe(golden('callback-stats-2026-10.csv'));
    } finally {
      await ctx.db.close();
    }
  });

  it('the tally SQLite computes equals the rule run over every order and callback (random months)', async () => {
    const RESULTS = ['reached', 'reached', 'reached', 'no_answer', 'later', 'refused', 'wrong_number'];
    const TEXTS = [null, null, 'price', ' price', 'price  ', '价格  偏高', '价格 偏高', '', '   ', '=1+1', 'wait\ntime'];
    for (const seed of [1, 2, 3]) {
      const random = rng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
      const ctx = await testCtx('2026-11-01 08:00');
      try {
        const v = await vehicle(ctx, await customer(ctx, '张三'), '京A12345');
        const orders: StatsOrder[] = [];
        for (let i = 0; i < 60; i++) {
          const day = String(1 + (i % 31)).padStart(2, '0');
          const id = await order(ctx, v, { opened: `2026-10-${day} 08:00`, delivered: `2026-10-${day} 18:00`, km: 1000 + i });
          const callbacks: StatsOrder['callbacks'][number][] = [];
          for (let k = Math.floor(random() * 4); k > 0; k--) {
            const result = pick(RESULTS);
            const scores = Array.from({ length: 5 }, () => (result === 'reached' && random() < 0.8 ? 1 + Math.floor(random() * 5) : null));
            const reason = result === 'reached' ? pick(TEXTS) : null;
            const suggestion = result === 'reached' ? pick(TEXTS) : null;
            await insert(ctx, 'callbacks', {
              order_id: id, attempted_at: at(`2026-11-0${1 + k} 10:00`), result, reason, suggestion,
              q1: scores[0]!, q2: scores[1]!, q3: scores[2]!, q4: scores[3]!, q5: scores[4]!,
            });
            callbacks.push({ result, scores, reason, suggestion });
          }
          orders.push({ callbacks });
        }
        const fromDb = await callbackStatsReport(ctx, { key: '2026-10', first: '2026-10-01', last: '2026-10-31' });
        expect(fromDb).toEqual(callbackStats(orders));
      } finally {
        await ctx.db.close();
      }
    }
  });
});
