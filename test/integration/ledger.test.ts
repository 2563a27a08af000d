/** The job ledger's listings: a replay of a run key replaces what it listed, and touches nothing else. */
import { describe, expect, it } from 'vitest';
import { listedBetween, replaceListings } from '../../src/db/jobs.js';
import { testCtx } from '../helpers.js';

describe('replaceListings', () => {
  it('a replay leaves exactly the new list under its run key; other keys and jobs keep theirs', async () => {
    const ctx = await testCtx('2026-11-23 10:00');
    try {
      const db = ctx.db;
      await db.transaction(async (tx) => {
        await replaceListings(tx, 'maintenance-due', '2026-11-22', [1, 2, 3, 3]);
        await replaceListings(tx, 'maintenance-due', '2026-11-23', [1, 2, 3]);
        await replaceListings(tx, 'other', '2026-11-23', [1, 2]);
      });
      await db.transaction((tx) => replaceListings(tx, 'maintenance-due', '2026-11-23', [2, 4]));
      expect([...(await listedBetween(db, 'maintenance-due', '2026-11-23', '2026-11-23'))].sort()).toEqual([2, 4]);
      expect([...(await listedBetween(db, 'maintenance-due', '2026-11-22', '2026-11-22'))].sort()).toEqual([1, 2, 3]);
      expect([...(await listedBetween(db, 'other', '2026-11-23', '2026-11-23'))].sort()).toEqual([1, 2]);
      await db.transaction((tx) => replaceListings(tx, 'maintenance-due', '2026-11-23', []));
      expect((await listedBetween(db, 'maintenance-due', '2026-11-23', '2026-11-23')).size).toBe(0);
      const rows = await db.all<{ n: number }>("SELECT count(*) AS n FROM job_listings WHERE job = 'maintenance-due' AND run_key = '2026-11-22'");
      expect(rows[0]!.n).toBe(3);
    } finally {
      await ctx.db.close();
    }
  });
});
