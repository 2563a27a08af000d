/** Ctrl-C during `pitstop jobs run`: the file is abandoned atomically, the run recorded as failed, exit 130. */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cliFor, tempDir, testCtx } from '../helpers.js';
import { insertMany } from '../../src/db/sqlite.js';

describe('jobs run interrupted', () => {
  it('SIGINT mid-write: no file under the final name, no temp file, ledger says failed, exit 130', async () => {
    const db = path.join(tempDir(), 'pitstop.db');
    const ctx = await testCtx('2026-11-23 10:00', db);
    // a big arrears list: 300 000 unpaid orders, so the job is still writing when the signal comes
    await ctx.db.transaction(async (d) => {
      await d.run(`INSERT INTO customers (id, name, phone, created_at) VALUES (1, '张三', '13800000001', '2026-01-01T00:00:00.000Z')`);
      await d.run(`INSERT INTO vehicles (id, customer_id, plate, created_at, added_on) VALUES (1, 1, '沪A00001', '2026-01-01T00:00:00.000Z', '2026-01-01')`);
      const rows: Array<Array<string | number>> = [];
      for (let i = 1; i <= 300_000; i++) {
        rows.push([i, `RO-X-${String(i).padStart(7, '0')}`, 1, 1, 'delivered', '2026-01-01T00:00:00.000Z', 1000, 10000 + i, 0, new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()]);
      }
      await insertMany(d, 'orders', ['id', 'number', 'vehicle_id', 'customer_id', 'status', 'opened_at', 'mileage_in', 'total_cents', 'paid_cents', 'delivered_at'], rows);
    });
    await ctx.db.close();
    const out = tempDir();
    const child = spawn(process.execPath, [BIN, 'jobs', 'run', 'arrears', '--out', out], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'America/New_York', PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // wait for the temp file to appear, then interrupt
    for (let i = 0; i < 3000 && !fs.readdirSync(out).some((n) => n.endsWith('.tmp')); i++) await new Promise((r) => setTimeout(r, 5));
    expect(fs.readdirSync(out).some((n) => n.endsWith('.tmp'))).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(fs.readdirSync(out)).toEqual([]);
    const h = JSON.parse(cliFor(db)(['jobs', 'history', 'arrears', '--json']).stdout) as Array<{ status: string; error: string; file: string | null }>;
    expect(h[0]).toMatchObject({ status: 'failed', file: null, error: expect.stringMatching(/interrupted/) });
  });
});
