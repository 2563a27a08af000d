import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileNameOf, outputDir, planRun, runAll, runJob, tryRunJob } from '../../src/app/jobs.js';
import { listedBetween, wasListed, lastOkKeys, runHistory } from '../../src/db/jobs.js';
import { DAILY_JOBS } from '../../jobs/index.js';
import type { JobDefinition, Row } from '../../jobs/types.js';
import { PitstopError } from '../../src/errors.js';
import { tempDir, testCtx } from '../helpers.js';
import { seededCtx } from './jobs-golden.js';

const cols = [{ key: 'id', zh: '编号', en: 'Id', type: 'int' }] as const;

function fakeJob(ids: number[], failAfter?: number): JobDefinition {
  return {
    name: 'maintenance-due',
    cadence: 'daily',
    columns: cols,
    async *rows(): AsyncIterable<Row> {
      for (let i = 0; i < ids.length; i++) {
        if (failAfter !== undefined && i === failAfter) throw new Error('disk on fire');
        yield { id: ids[i] };
      }
    },
    subjectOf: (row) => Number(row.id),
  };
}

describe('planRun: run date, period, run key, file name', () => {
  it.each([
    ['callbacks', {}, '2026-11-23', '2026-11-23', 'callbacks-2026-11-23.csv'],
    ['callbacks', { date: '2026-11-01' }, '2026-11-01', '2026-11-01', 'callbacks-2026-11-01.csv'],
    ['revenue-weekly', {}, '2026-11-23', '2026-W47', 'revenue-weekly-2026-W47.csv'],
    ['revenue-weekly', { week: '2026-W05' }, '2026-11-23', '2026-W05', 'revenue-weekly-2026-W05.csv'],
    ['revenue-monthly', { date: '2026-01-10' }, '2026-01-10', '2025-12', 'revenue-monthly-2025-12.csv'],
    ['callback-stats', { month: '2026-02' }, '2026-11-23', '2026-02', 'callback-stats-2026-02.csv'],
  ] as const)('%s %j', async (job, opts, day, key, file) => {
    const ctx = await testCtx('2026-11-23 10:00');
    const plan = planRun(ctx, job, opts);
    expect([plan.day, plan.runKey, fileNameOf(plan)]).toEqual([day, key, file]);
    await ctx.db.close();
  });

  it('today is the shop-local day even when UTC is still on the day before', async () => {
    const ctx = await testCtx('2026-11-23 01:30'); // 2026-11-22T17:30Z
    expect(planRun(ctx, 'arrears', {}).day).toBe('2026-11-23');
    await ctx.db.close();
  });

  it.each([
    [{ date: '2026-02-30' }, /--date/],
    [{ date: '23.11.2026' }, /--date/],
    [{ week: '2026-W47' }, /--week applies to revenue-weekly/],
    [{ month: '2026-10' }, /--month applies/],
  ])('refuses %j with exit 2', async (opts, message) => {
    const ctx = await testCtx();
    let err: unknown;
    try {
      planRun(ctx, 'callbacks', opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PitstopError);
    expect((err as PitstopError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
    await ctx.db.close();
  });
});

describe('runJob and the ledger', () => {
  it('records a run (running → ok) with rows and file; re-running rewrites a byte-identical file', async () => {
    const ctx = await seededCtx();
    const out = tempDir();
    const first = await runJob(ctx, 'callbacks', { out });
    const bytes = fs.readFileSync(first.file!);
    const again = await runJob(ctx, 'callbacks', { out });
    expect(again.file).toBe(first.file);
    expect(fs.readFileSync(again.file!).equals(bytes)).toBe(true);
    expect(fs.statSync(again.file!).mode & 0o777).toBe(0o600);
    const runs = await runHistory(ctx.db, 'callbacks', 10);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ job: 'callbacks', run_key: '2026-11-23', status: 'ok', rows: 4, file: first.file, error: null,
      started_at: '2026-11-23T02:00:00.000Z', finished_at: '2026-11-23T02:00:00.000Z' });
    expect(fs.readdirSync(out)).toEqual(['callbacks-2026-11-23.csv']);
    await ctx.db.close();
  });

  it('output folder: --out, else jobs.out, else <data dir>/exports (created)', async () => {
    const ctx = await testCtx();
    expect(outputDir(ctx, '/tmp/x')).toBe('/tmp/x');
    expect(outputDir(ctx)).toBe(path.join(ctx.dataDir, 'exports'));
    const r = await runJob(ctx, 'arrears');
    expect(r.file).toBe(path.join(ctx.dataDir, 'exports', 'arrears-2026-11-23.csv'));
    const custom = tempDir();
    await ctx.db.run(`INSERT INTO settings (key, value) VALUES ('jobs.out', ?)`, [path.join(custom, 'sub')]);
    const { refreshSettings } = await import('../../src/app/context.js');
    await refreshSettings(ctx);
    expect((await runJob(ctx, 'arrears')).file).toBe(path.join(custom, 'sub', 'arrears-2026-11-23.csv'));
    await ctx.db.run(`UPDATE settings SET value = 'lists/daily' WHERE key = 'jobs.out'`);
    await refreshSettings(ctx);
    expect(outputDir(ctx)).toBe(path.join(ctx.dataDir, 'lists', 'daily'));
    expect(outputDir(ctx, 'rel')).toBe(path.resolve('rel'));
    await ctx.db.close();
  });

  it('a job failing mid-write: status failed with the error, exit non-zero, no file, no temp, the older file kept', async () => {
    const ctx = await testCtx();
    const out = tempDir();
    const ok = await tryRunJob(ctx, 'maintenance-due', { out }, fakeJob([1, 2]));
    const before = fs.readFileSync(ok.file!);
    const failed = await tryRunJob(ctx, 'maintenance-due', { out }, fakeJob([1, 2, 3], 2));
    expect(failed).toMatchObject({ status: 'failed', error: 'disk on fire', file: null });
    expect(fs.readdirSync(out)).toEqual(['maintenance-due-2026-11-23.csv']);
    expect(fs.readFileSync(ok.file!).equals(before)).toBe(true);
    const [last] = await runHistory(ctx.db, 'maintenance-due', 1);
    expect(last).toMatchObject({ status: 'failed', error: 'disk on fire', rows: null, file: null });
    expect(last!.finished_at).not.toBeNull();
    // runJob throws (the CLI's non-zero exit)
    await expect(runJob(ctx, 'callbacks', { out, date: '2026-11-23' }).then(() => 'ok')).resolves.toBe('ok');
    await ctx.db.exec('ALTER TABLE callbacks RENAME TO callbacks_gone');
    const err = await runJob(ctx, 'callbacks', { out }).catch((e) => e);
    expect(err).toBeInstanceOf(PitstopError);
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/callbacks 2026-11-23: .*no such table: callbacks/);
    expect((await runHistory(ctx.db, 'callbacks', 1))[0]!.status).toBe('failed');
    expect(fs.readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    // the failed run is not a successful one for catch-up
    expect((await lastOkKeys(ctx.db)).get('maintenance-due')).toBe('2026-11-23');
    await ctx.db.close();
  });

  it('job_listings: subjects per run key, replaced on replay; listedBetween for cooldowns', async () => {
    const ctx = await testCtx();
    const out = tempDir();
    await tryRunJob(ctx, 'maintenance-due', { out, date: '2026-11-01' }, fakeJob([7, 3, 7]));
    await tryRunJob(ctx, 'maintenance-due', { out, date: '2026-11-20' }, fakeJob([5]));
    await tryRunJob(ctx, 'maintenance-due', { out, date: '2026-11-01' }, fakeJob([3, 9]));
    expect([...(await listedBetween(ctx.db, 'maintenance-due', '2026-10-25', '2026-11-19'))].sort()).toEqual([3, 9]);
    expect([...(await listedBetween(ctx.db, 'maintenance-due', '2026-10-25', '2026-11-22'))].sort()).toEqual([3, 5, 9]);
    expect(await wasListed(ctx.db, 'maintenance-due', 7, '2026-10-01', '2026-11-30')).toBe(false);
    expect(await wasListed(ctx.db, 'maintenance-due', 5, '2026-11-20', '2026-11-20')).toBe(true);
    // a failed replay keeps the old listing
    await tryRunJob(ctx, 'maintenance-due', { out, date: '2026-11-20' }, fakeJob([6, 6], 1));
    expect([...(await listedBetween(ctx.db, 'maintenance-due', '2026-11-20', '2026-11-20'))]).toEqual([5]);
    await ctx.db.close();
  });

  it('runAll runs every daily job for D, in order; --week/--month refused', async () => {
    const ctx = await seededCtx();
    const out = tempDir();
    await expect(runAll(ctx, { out, week: '2026-W01' })).rejects.toThrow(/--week and --month/);
    const results = await runAll(ctx, { out });
    expect(results.map((r) => r.job)).toEqual([...DAILY_JOBS]);
    expect(results.map((r) => [r.job, r.status, r.error])).toEqual(DAILY_JOBS.map((j) => [j, 'ok', null]));
    expect(results.find((r) => r.job === 'no-shows')!.file).toBeNull();
    expect(fs.readdirSync(out).sort()).toEqual(DAILY_JOBS.filter((j) => j !== 'no-shows').map((j) => `${j}-2026-11-23.csv`).sort());
    await ctx.db.close();
  });
});
