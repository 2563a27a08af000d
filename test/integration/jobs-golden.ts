/** Shared steps of the job golden tests: a seeded shop, a run, the bytes against fixtures/golden/. */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import { runJob, type RunOptions } from '../../src/app/jobs.js';
import type { JobName } from '../../src/domain/settings.js';
import { ROOT, tempDir, testCtx } from '../helpers.js';
import { seedJobsFixture } from './jobs-fixture.js';

export async function seededCtx(now = '2026-11-23 10:00'): Promise<Ctx> {
  const ctx = await testCtx(now);
  await seedJobsFixture(ctx);
  const { refreshSettings } = await import('../../src/app/context.js');
  await refreshSettings(ctx);
  return ctx;
}

export function golden(name: string): Buffer {
  return fs.readFileSync(path.join(ROOT, 'fixtures', 'golden', name));
}

/** Run `job` and compare its file with the golden one byte for byte (shown as text on failure). */
export async function expectGolden(ctx: Ctx, job: JobName, goldenName: string, opts: RunOptions = {}): Promise<{ file: string; rows: number }> {
  const out = tempDir('pitstop-golden-');
  const result = await runJob(ctx, job, { out, ...opts });
  expect(result.status).toBe('ok');
  expect(result.file).toBe(path.join(out, goldenName));
  const actual = fs.readFileSync(result.file!);
  const expected = golden(goldenName);
  expect(actual.toString('utf8')).toBe(expected.toString('utf8'));
  expect(actual.equals(expected)).toBe(true);
  expect(fs.readdirSync(out)).toEqual([goldenName]);
  return { file: result.file!, rows: result.rows };
}

/** The query plan's lines; a daily job must not SCAN the big tables. */
export async function planOf(ctx: Ctx, sql: string, params: unknown): Promise<string[]> {
  const rows = await ctx.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params as never);
  return rows.map((r) => r.detail);
}

export function expectNoBigScan(plan: string[]): void {
  const scans = plan.filter((d) => /^SCAN (orders|customers|vehicles|bookings|payments|order_lines|findings|callbacks|complaints)\b|^SCAN [a-z]+$/.test(d) && !/USING (COVERING )?INDEX/.test(d));
  expect(scans, plan.join('\n')).toEqual([]);
}
