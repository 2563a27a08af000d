import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { expectGolden, expectNoBigScan, planOf, seededCtx } from './jobs-golden.js';
import { SQL } from '../../jobs/callbacks.js';
import { runJob } from '../../src/app/jobs.js';
import { tempDir } from '../helpers.js';

describe('callbacks (§6.2)', () => {
  it('window D−7..D−3 by shop-local day, no reached/refused callback; priority, reasons, agents in turn skipping the advisor', async () => {
    const ctx = await seededCtx();
    const { rows } = await expectGolden(ctx, 'callbacks', 'callbacks-2026-11-23.csv');
    expect(rows).toBe(4);
    await ctx.db.close();
  });

  it('a callback reached after D does not hide the order when D is replayed; a window of one day', async () => {
    const ctx = await seededCtx('2026-11-25 10:00');
    await ctx.db.run(`INSERT INTO callbacks (order_id, agent_id, attempted_at, result) VALUES (9, 2, '2026-11-24T02:00:00.000Z', 'reached')`);
    const out = tempDir();
    const replay = await runJob(ctx, 'callbacks', { date: '2026-11-23', out });
    expect(replay.rows).toBe(4);
    // D = 11-25 with min = max = 7: only orders delivered on 11-18 local; order 9 is reached by now
    for (const [key, value] of [['callback.min_days', '7'], ['callback.max_days', '7']]) {
      await ctx.db.run('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)', [key, value]);
    }
    const { refreshSettings } = await import('../../src/app/context.js');
    await refreshSettings(ctx);
    const r = await runJob(ctx, 'callbacks', { date: '2026-11-25', out });
    expect(r.rows).toBe(0);
    const r2 = await runJob(ctx, 'callbacks', { date: '2026-11-26', out });
    // 11-19 local: order 13 (first visit); order 12 is on a deactivated vehicle
    expect(fs.readFileSync(r2.file!, 'utf8').split('\r\n').slice(1, -1).map((l) => l.split(',')[0])).toEqual(['RO-20261119-0002']);
    await ctx.db.close();
  });

  it('only agents with no agents: the agent column is empty', async () => {
    const ctx = await seededCtx();
    await ctx.db.run(`UPDATE staff SET active = 0 WHERE role LIKE '%agent%'`);
    const r = await runJob(ctx, 'callbacks', { out: tempDir() });
    const agents = fs.readFileSync(r.file!, 'utf8').split('\r\n').slice(1, -1).map((l) => l.split(',')[10]);
    expect(agents).toEqual(['', '', '', '']);
    await ctx.db.close();
  });

  it('reads a few days of deliveries through orders_delivered', async () => {
    const ctx = await seededCtx();
    const plan = await planOf(ctx, SQL, { $from: '2026-11-15T16:00:00.000Z', $to: '2026-11-20T16:00:00.000Z', $asOf: '2026-11-23T16:00:00.000Z' });
    expectNoBigScan(plan);
    expect(plan.some((d) => /orders_delivered/.test(d))).toBe(true);
    await ctx.db.close();
  });
});
