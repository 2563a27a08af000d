/** The scheduler in-process: catch-up, fires queued one at a time, a duplicate fire dropped, abort. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCron, type CronOptions } from '../../src/app/cron.js';
import { tempDir } from '../helpers.js';
import { seededCtx } from './jobs-golden.js';

describe('runCron', () => {
  it('runs on each fire for "today" by its clock, drops a fire while the same job waits, stops on abort', async () => {
    const ctx = await seededCtx();
    for (const [job, key] of [['callbacks', '2026-11-23'], ['arrears', '2026-11-22']]) {
      await ctx.db.run(`INSERT INTO job_runs (job, run_key, started_at, status) VALUES (?, ?, '2026-11-01T00:00:00.000Z', 'ok')`, [job, key]);
    }
    const fires = new Map<string, () => void>();
    const tasks: string[] = [];
    const lines: string[] = [];
    const notes: string[] = [];
    const controller = new AbortController();
    let clock = ctx.now;
    const out = tempDir();
    const opts: CronOptions = {
      clock: () => clock,
      log: (l) => lines.push(l),
      note: (l) => notes.push(l),
      signal: controller.signal,
      out,
      jobs: ['callbacks', 'arrears'],
      schedule: (expr, fire, options) => {
        fires.set(options.name, fire);
        tasks.push(`${options.name} ${expr} ${options.timezone}`);
        return { stop: () => void tasks.push(`stop ${options.name}`), destroy: () => {} };
      },
    };
    const running = runCron(ctx, opts);
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(cond()).toBe(true);
    };
    // catch-up: arrears (Mondays 08:00) missed 11-23; callbacks is up to date
    await until(() => lines.length === 1);
    expect(lines[0]).toBe(`2026-11-23 10:00 arrears 2026-11-23 ok 4 rows ${out}/arrears-2026-11-23.csv`);
    expect(tasks).toEqual(['pitstop-callbacks 0 9 * * * Asia/Shanghai', 'pitstop-arrears 0 8 * * 1 Asia/Shanghai']);

    // the next day: three fires of callbacks at once → one run, two dropped
    clock = new Date(ctx.now.getTime() + 86_400_000);
    fires.get('pitstop-callbacks')!();
    fires.get('pitstop-callbacks')!();
    fires.get('pitstop-arrears')!();
    fires.get('pitstop-callbacks')!();
    await until(() => lines.length === 3);
    // callbacks on 11-24: window 11-17…11-21 → orders 9, 13, 7, 8; arrears on 11-24 adds order 19 (delivered 11-24 00:00) to the 4 of 11-23 (one on a deactivated vehicle)
    expect(lines.slice(1)).toEqual([
      `2026-11-24 10:00 callbacks 2026-11-24 ok 4 rows ${out}/callbacks-2026-11-24.csv`,
      `2026-11-24 10:00 arrears 2026-11-24 ok 5 rows ${out}/arrears-2026-11-24.csv`,
    ]);
    expect(notes.filter((n) => /callbacks scheduled run skipped/.test(n))).toHaveLength(2);

    // node-cron fires a few ms early: a fire at 23:59:59.990 is the 00:00 run of the next day
    clock = new Date(Date.parse('2026-11-24T16:00:00.000Z') - 10);
    fires.get('pitstop-arrears')!();
    await until(() => lines.length === 4);
    expect(lines[3]).toMatch(/^2026-11-24 23:59 arrears 2026-11-25 ok \d+ rows /);

    // abort: tasks stopped, nothing queued afterwards starts
    controller.abort();
    fires.get('pitstop-callbacks')!();
    await running;
    expect(tasks.slice(-2)).toEqual(['stop pitstop-callbacks', 'stop pitstop-arrears']);
    expect(lines).toHaveLength(4);
    expect(fs.readdirSync(out).sort()).toEqual(['arrears-2026-11-23.csv', 'arrears-2026-11-24.csv', 'arrears-2026-11-25.csv', 'callbacks-2026-11-24.csv']);
    await ctx.db.close();
  });
});
