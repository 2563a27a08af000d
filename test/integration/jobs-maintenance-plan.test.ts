/**
 * The daily jobs of part B never walk the whole orders table: every statement they run is checked with
 * EXPLAIN QUERY PLAN on a fresh (statistics-free) database.
 */
import { describe, expect, it } from 'vitest';
import { lapsedCustomerRows, maintenanceDueRows, revenueReport, callbackStatsReport } from '../../src/app/reports.js';
import type { Params } from '../../src/db/sqlite.js';
import { testCtx } from '../helpers.js';

describe('query plans', () => {
  it('use indexes on orders, order lines, payments, bookings and callbacks (no full scan)', async () => {
    const ctx = await testCtx('2026-11-23 10:00');
    try {
      const seen: Array<[string, Params | undefined]> = [];
      const all = ctx.db.all.bind(ctx.db);
      const get = ctx.db.get.bind(ctx.db);
      (ctx.db as unknown as { all: typeof all }).all = (sql, params) => (seen.push([sql, params]), all(sql, params));
      (ctx.db as unknown as { get: typeof get }).get = (sql, params) => (seen.push([sql, params]), get(sql, params));
      const iterate = ctx.db.iterate.bind(ctx.db);
      (ctx.db as unknown as { iterate: typeof iterate }).iterate = (sql, params) => (seen.push([sql, params]), iterate(sql, params));
      const pages = ctx.db.pages.bind(ctx.db);
      (ctx.db as unknown as { pages: typeof pages }).pages = (sql, params) => (seen.push([sql, params]), pages(sql, params));
      for await (const _ of maintenanceDueRows(ctx, '2026-11-23'));
      await lapsedCustomerRows(ctx, '2026-11-30');
      await revenueReport(ctx, { key: '2026-10', first: '2026-10-01', last: '2026-10-31' });
      await callbackStatsReport(ctx, { key: '2026-10', first: '2026-10-01', last: '2026-10-31' });
      expect(seen.length).toBeGreaterThanOrEqual(5);
      for (const [sql, params] of seen) {
        if (!/orders|bookings|payments|callbacks/.test(sql)) continue;
        const plan = (await all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
        const scans = plan.filter((d) => /^SCAN (o|r|l|orders|bookings|bk|payments|p|callbacks|cb)\b/.test(d));
        expect(scans, `${sql.slice(0, 80)}…\n${plan.join('\n')}`).toEqual([]);
      }
    } finally {
      await ctx.db.close();
    }
  });
});
