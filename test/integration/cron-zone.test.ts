/** Issue 11: `pitstop cron` rebuilds its zone when shop.timezone changes, so it never runs in two zones at once. */
import { describe, expect, it } from 'vitest';
import { runCron, type CronOptions } from '../../src/app/cron.js';
import { setConfig } from '../../src/app/config.js';
import { tempDir } from '../helpers.js';
import { seededCtx } from './jobs-golden.js';

describe('runCron and a zone change', () => {
  it('the runs after the change use the new zone for the run date and the log, and the timers are rescheduled in it', async () => {
    const ctx = await seededCtx();
    await ctx.db.run(`INSERT INTO job_runs (job, run_key, started_at, status) VALUES ('arrears', '2026-11-23', '2026-11-01T00:00:00.000Z', 'ok')`);
    const fires = new Map<string, () => void>();
    const tasks: string[] = [];
    const lines: string[] = [];
    const notes: string[] = [];
    const controller = new AbortController();
    // 2026-11-23 20:00 UTC: 04:00 on the 24th in Shanghai, 15:00 on the 23rd in New York
    const clock = new Date('2026-11-23T20:00:00.000Z');
    const out = tempDir();
    const opts: CronOptions = {
      clock: () => clock,
      log: (l) => lines.push(l),
      note: (l) => notes.push(l),
      signal: controller.signal,
      out,
      jobs: ['arrears'],
      schedule: (expr, fire, options) => {
        fires.set(options.name, fire);
        tasks.push(`${options.name} ${options.timezone}`);
        return { stop: () => void tasks.push(`stop ${options.name}`), destroy: () => {} };
      },
    };
    const running = runCron(ctx, opts);
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(cond()).toBe(true);
    };
    await until(() => tasks.length === 1);
    expect(tasks).toEqual(['pitstop-arrears Asia/Shanghai']);

    await setConfig(ctx, 'shop.timezone', 'America/New_York');
    fires.get('pitstop-arrears')!();
    await until(() => lines.length === 1);
    expect(lines[0]).toMatch(/^2026-11-23 15:00 arrears 2026-11-23 ok /);
    expect(notes.some((n) => n.includes('shop.timezone changed from Asia/Shanghai to America/New_York'))).toBe(true);
    expect(tasks).toEqual(['pitstop-arrears Asia/Shanghai', 'stop pitstop-arrears', 'pitstop-arrears America/New_York']);

    controller.abort();
    await running;
    await ctx.db.close();
  });
});
