/** `pitstop cron` sends the outbox every minute while a sender is configured (SPEC §13). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCron, type CronOptions } from '../../src/app/cron.js';
import { setConfig } from '../../src/app/config.js';
import { tempDir } from '../helpers.js';
import { seededCtx } from './jobs-golden.js';

describe('runCron and the outbox', () => {
  it('registers a minute task that sends the queued messages, and does nothing without a sender', async () => {
    const ctx = await seededCtx();
    const dir = tempDir();
    const got = path.join(dir, 'got.jsonl');
    await ctx.db.run(`INSERT INTO outbox (key, job, run_key, subject, customer_id, to_phone, text, params, status, next_at, created_at)
                      SELECT 'appointment-reminders/2026-11-23/customer:' || id, 'appointment-reminders', '2026-11-23', 'customer:' || id, id, phone, '您好', '{}', 'queued', '2026-11-23T00:00:00.000Z', '2026-11-23T00:00:00.000Z'
                        FROM customers WHERE do_not_contact = 0 ORDER BY id LIMIT 2`);
    const fires = new Map<string, () => void>();
    const tasks: string[] = [];
    const lines: string[] = [];
    const controller = new AbortController();
    const opts: CronOptions = {
      clock: () => new Date('2026-11-23T04:00:00.000Z'),
      log: (l) => lines.push(l),
      note: () => {},
      signal: controller.signal,
      out: dir,
      jobs: [],
      outbox: true,
      schedule: (expr, fire, options) => {
        fires.set(options.name, fire);
        tasks.push(`${options.name} ${expr}`);
        return { stop: () => {}, destroy: () => {} };
      },
    };
    const running = runCron(ctx, opts);
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(cond()).toBe(true);
    };
    await until(() => tasks.length === 1);
    expect(tasks).toEqual(['pitstop-outbox * * * * *']);
    // no sender yet: a fire sends nothing and logs nothing
    fires.get('pitstop-outbox')!();
    await new Promise((r) => setTimeout(r, 200));
    expect(lines).toEqual([]);
    await setConfig(ctx, 'outbox.command', `cat >> ${got}; echo >> ${got}`);
    fires.get('pitstop-outbox')!();
    await until(() => lines.length === 1);
    expect(lines[0]).toBe('2026-11-23 12:00 outbox: 2 sent, 0 to retry, 0 failed, 0 cancelled, 0 held');
    expect(fs.readFileSync(got, 'utf8').trim().split('\n')).toHaveLength(2);
    controller.abort();
    await running;
    await ctx.db.close();
  });
});
