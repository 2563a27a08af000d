/**
 * SPEC §8 / issue 5: the jobs rely on indexes. Every statement every job issues, run through the real
 * runner on a seeded shop, is put through EXPLAIN QUERY PLAN; a full scan of a table that grows with
 * the shop's history fails the test. (A scan of a small table such as staff or settings is fine.)
 */
import { describe, expect, it } from 'vitest';
import { tryRunJob } from '../../src/app/jobs.js';
import { JOB_NAMES } from '../../src/domain/settings.js';
import type { Db, Params } from '../../src/db/sqlite.js';
import { createStaging, stagedCustomersTaken, stagedVehiclesTaken } from '../../src/db/import.js';
import { seededCtx } from './jobs-golden.js';
import { CALLBACK_STATS_SQL, LAPSED_SQL, MAINTENANCE_FACTS_SQL, REVENUE_SQL } from '../../src/db/reports.js';
import { NO_SHOW_CANDIDATES_SQL } from '../../src/db/bookings.js';
import { SQL as REMINDERS_SQL } from '../../src/db/lists/appointment-reminders.js';
import { SQL as PREPARATION_SQL } from '../../src/db/lists/preparation.js';
import { SQL as CALLBACKS_SQL } from '../../src/db/lists/callbacks.js';
import { sql as arrearsSql } from '../../src/db/lists/arrears.js';
import { tempDir } from '../helpers.js';

const LARGE = ['orders', 'order_lines', 'payments', 'callbacks', 'bookings', 'customers', 'vehicles', 'findings', 'order_events', 'complaints', 'job_listings', 'job_runs', 'audit_log'];

describe('query plans of every job', () => {
  it('no job scans a large table', async () => {
    const ctx = await seededCtx();
    const db = ctx.db as unknown as Record<'all' | 'get' | 'iterate' | 'pages', (sql: string, params?: Params) => unknown>;
    const seen = new Map<string, Params | undefined>();
    for (const method of ['all', 'get', 'iterate', 'pages'] as const) {
      const original = db[method]!.bind(ctx.db);
      db[method] = (sql: string, params?: Params) => {
        if (!/^\s*(PRAGMA|BEGIN|COMMIT|ROLLBACK|INSERT|UPDATE|DELETE|EXPLAIN)/i.test(sql)) seen.set(sql, params);
        return original(sql, params);
      };
    }
    const out = tempDir();
    for (const job of JOB_NAMES) {
      const r = await tryRunJob(ctx, job, { out, date: '2026-11-23' });
      expect(r.status, `${job}: ${r.error}`).toBe('ok');
    }
    expect(seen.size).toBeGreaterThanOrEqual(10);
    // the statements the benchmark times alone (bench/core-sql.ts) are the very texts the jobs ran
    for (const sql of [REMINDERS_SQL, PREPARATION_SQL, CALLBACKS_SQL, arrearsSql(false), MAINTENANCE_FACTS_SQL, LAPSED_SQL, REVENUE_SQL, CALLBACK_STATS_SQL, NO_SHOW_CANDIDATES_SQL]) {
      expect(seen.has(sql), sql.slice(0, 80)).toBe(true);
    }
    expect(await fullScans(ctx.db, seen)).toEqual([]);
    await ctx.db.close();
  });

  it("the importer's duplicate look-ups use the phone, plate and VIN indexes", async () => {
    const ctx = await seededCtx();
    const seen = new Map<string, Params | undefined>();
    const original = ctx.db.all.bind(ctx.db);
    (ctx.db as unknown as { all: typeof original }).all = ((sql: string, params?: Params) => {
      if (!sql.startsWith('EXPLAIN')) seen.set(sql, params);
      return original(sql, params);
    }) as typeof original;
    await createStaging(ctx.db, 'customers');
    await createStaging(ctx.db, 'vehicles');
    await stagedCustomersTaken(ctx.db);
    await stagedVehiclesTaken(ctx.db);
    expect(seen.size).toBe(2);
    expect(await fullScans(ctx.db, seen)).toEqual([]);
    await ctx.db.close();
  });
});

async function fullScans(db: Pick<Db, 'all'>, statements: Map<string, Params | undefined>): Promise<string[]> {
  const problems: string[] = [];
  for (const [sql, params] of statements) {
    const plan = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params ?? []);
    for (const { detail } of plan) {
      const m = /^SCAN (\w+)(?: AS \w+)?(.*)$/.exec(detail);
      if (!m || !LARGE.includes(m[1]!) || /USING (COVERING )?INDEX/.test(m[2]!)) continue;
      problems.push(`${detail}\n    in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
    }
  }
  return problems;
}
