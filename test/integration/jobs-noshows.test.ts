import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/app/jobs.js';
import { tempDir } from '../helpers.js';
import { seededCtx } from './jobs-golden.js';

describe('no-shows (§5.1)', () => {
  it('marks bookings not checked in 30 minutes after their start; a past run date stops at its end; writes no file', async () => {
    const ctx = await seededCtx('2026-11-24 09:40');
    const out = tempDir();
    // D = 11-23: cut-off 11-24 00:00 local; booking 9 started 11-23 23:59, not 30 minutes yet then
    expect((await runJob(ctx, 'no-shows', { date: '2026-11-23', out })).rows).toBe(0);
    const today = await runJob(ctx, 'no-shows', { out });
    expect(today).toMatchObject({ rows: 5, file: null, runKey: '2026-11-24', status: 'ok' });
    const marked = await ctx.db.all<{ id: number }>(`SELECT id FROM bookings WHERE status = 'no_show' ORDER BY id`);
    expect(marked.map((b) => b.id)).toEqual([1, 2, 5, 9, 10]);
    expect((await runJob(ctx, 'no-shows', { out })).rows).toBe(0);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(out)).toEqual([]);
    await ctx.db.close();
  });
});
