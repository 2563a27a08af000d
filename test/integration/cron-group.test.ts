/** `pitstop cron` pushes to the group every group.push_minutes once the store is in a group (SPEC §15). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCron, type CronOptions } from '../../src/app/cron.js';
import { setConfig } from '../../src/app/config.js';
import { addGroupStore, initGroup } from '../../src/app/group.js';
import { tempDir } from '../helpers.js';
import { seededCtx } from './jobs-golden.js';
import { pgQuery, startTestPg, type TestPg } from '../group-helpers.js';

let pg: TestPg;
beforeAll(async () => {
  pg = await startTestPg();
  await initGroup(pg.url);
  await addGroupStore(pg.url, 'CRON1', 'cron store');
}, 60_000);
afterAll(async () => pg?.stop());

describe('runCron and the group', () => {
  it('registers a minute task that pushes every group.push_minutes, and nothing before the store is in a group', async () => {
    const ctx = await seededCtx();
    let now = new Date('2026-11-23T04:00:00.000Z');
    const fires = new Map<string, () => void>();
    const tasks: string[] = [];
    const lines: string[] = [];
    const notes: string[] = [];
    const controller = new AbortController();
    const opts: CronOptions = {
      clock: () => now,
      log: (l) => lines.push(l),
      note: (l) => notes.push(l),
      signal: controller.signal,
      out: tempDir(),
      jobs: [],
      outbox: false,
      group: true,
      env: {},
      schedule: (expr, fire, options) => {
        fires.set(options.name, fire);
        tasks.push(`${options.name} ${expr}`);
        return { stop: () => {}, destroy: () => {} };
      },
    };
    const running = runCron(ctx, opts);
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(cond()).toBe(true);
    };
    const fire = () => fires.get('pitstop-group-push')!();
    await until(() => tasks.length === 1);
    expect(tasks).toEqual(['pitstop-group-push * * * * *']);
    // not in a group yet: nothing
    fire();
    await new Promise((r) => setTimeout(r, 200));
    expect(lines).toEqual([]);
    await setConfig(ctx, 'group.store', 'CRON1');
    await setConfig(ctx, 'group.pg', pg.url);
    fire();
    await until(() => lines.length === 1);
    expect(lines[0]).toMatch(/^2026-11-23 12:00 group push: \d+ rows to /);
    const orders = (await pgQuery(pg.url, `SELECT count(*)::int AS n FROM pitstop.orders WHERE store = 'CRON1'`)).rows[0].n;
    expect(orders).toBe((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM orders'))!.n);
    // a change, but 14 minutes later the push is not due yet; at 15 it is
    await ctx.db.run(`UPDATE customers SET note = 'cron' WHERE id = 1`);
    now = new Date('2026-11-23T04:14:00.000Z');
    fire();
    await new Promise((r) => setTimeout(r, 300));
    expect(lines).toHaveLength(1);
    now = new Date('2026-11-23T04:15:00.000Z');
    fire();
    await until(() => lines.length === 2);
    expect(lines[1]).toMatch(/^2026-11-23 12:15 group push: 1 row to /);
    // a server that is down: logged on stderr, tried again next time, the scheduler goes on
    await setConfig(ctx, 'group.pg', 'postgres://x:y@127.0.0.1:1/nowhere');
    now = new Date('2026-11-23T04:30:00.000Z');
    fire();
    await until(() => notes.some((n) => /group push: group PostgreSQL 127\.0\.0\.1:1\/nowhere is unreachable/.test(n)));
    expect(controller.signal.aborted).toBe(false);
    controller.abort();
    await running;
    await ctx.db.close();
  });
});
