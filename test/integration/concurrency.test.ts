import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Db } from '../../src/db/sqlite.js';
import { ROOT, tempDir } from '../helpers.js';

const DIST = path.join(ROOT, 'dist', 'src', 'app');

/** A separate process adding `n` customers one command (one transaction) at a time, like a desk terminal. */
const WORKER = `
const [, dist, db, id, n, go] = process.argv; // with -e there is no script path
const { openContext } = await import(dist + '/context.js');
const { addCustomer } = await import(dist + '/customers.js');
const fs = await import('node:fs');
const ctx = await openContext({ db, now: '2026-11-23 10:00', actor: 'desk' + id, env: {} });
while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 2));
let failed = 0;
const started = Date.now();
for (let i = 0; i < Number(n); i++) {
  try {
    await addCustomer(ctx, { name: 'desk' + id + '-' + i, phone: '13' + id + String(i).padStart(8, '0') });
  } catch (err) {
    failed++;
    console.error(String(err && err.message), err && err.code);
  }
}
await ctx.db.close();
console.log(JSON.stringify({ id, failed, started, ended: Date.now() }));
`;

function runWorker(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WORKER, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('two processes writing one database at once', () => {
  it('400 customers from two processes: all present, none failed with SQLITE_BUSY', async () => {
    expect(fs.existsSync(path.join(DIST, 'context.js')), 'build first: npx tsc -p tsconfig.json').toBe(true);
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const go = path.join(dir, 'go');
    // both processes open (and migrate) the new file at the same time too
    const workers = [runWorker([DIST, db, '5', '200', go]), runWorker([DIST, db, '6', '200', go])];
    await new Promise((r) => setTimeout(r, 300));
    fs.writeFileSync(go, '');
    const results = await Promise.all(workers);
    // the two really wrote at the same time (each started before the other finished)
    const [a, b] = results.map((r) => JSON.parse(r.stdout || '{}') as { started: number; ended: number });
    expect(a!.started < b!.ended && b!.started < a!.ended).toBe(true);
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ failed: 0 });
    }
    const check = await Db.open(db, { readonly: true });
    try {
      expect(await check.get('SELECT COUNT(*) AS n FROM customers')).toEqual({ n: 400 });
      expect(await check.all("SELECT actor, COUNT(*) AS n FROM audit_log WHERE action = 'add' GROUP BY actor ORDER BY actor")).toEqual([
        { actor: 'desk5', n: 200 },
        { actor: 'desk6', n: 200 },
      ]);
    } finally {
      await check.close();
    }
  });
});
