/**
 * Storage faults in-process, where no special file system is needed: PRAGMA max_page_count caps the
 * database file, so SQLite answers SQLITE_FULL exactly as on a full disk (the equivalent the e2e test
 * falls back on when it may not mount a tmpfs); file-system errors map to exit 5.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testCtx } from '../helpers.js';
import { addCustomer } from '../../src/app/customers.js';
import { mapDriverError, mapFsError } from '../../src/db/sqlite.js';
import { PitstopError } from '../../src/errors.js';
import type { Ctx } from '../../src/app/context.js';

const open: Ctx[] = [];
afterEach(async () => {
  for (const ctx of open.splice(0)) await ctx.db.close().catch(() => {});
});

async function failure(p: Promise<unknown>): Promise<PitstopError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PitstopError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('a database that cannot grow (SQLITE_FULL)', () => {
  it('exit 5 "disk is full", the failed command leaves nothing, earlier writes stay', async () => {
    const ctx = await testCtx('2026-11-23 10:00', path.join(tempDir(), 'p.db'));
    open.push(ctx);
    for (let i = 0; i < 5; i++) await addCustomer(ctx, { name: `客户${i}`, phone: `1380000000${i}` });
    const pages = (await ctx.db.get<{ page_count: number }>('PRAGMA page_count'))!.page_count;
    await ctx.db.get(`PRAGMA max_page_count = ${pages + 2}`);
    let err: PitstopError | null = null;
    let added = 0;
    for (let i = 0; i < 500 && !err; i++) {
      try {
        await addCustomer(ctx, { name: `满${i}`, phone: `139${String(i).padStart(8, '0')}`, note: 'x'.repeat(1900) });
        added++;
      } catch (e) {
        if (!(e instanceof PitstopError)) throw e;
        err = e;
      }
    }
    expect(err).not.toBeNull();
    expect(err!.exitCode).toBe(5);
    expect(err!.message).toMatch(/^storage unavailable: the disk is full; nothing was written/);
    const n = (await ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM customers'))!.n;
    const a = (await ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n;
    expect(n).toBe(5 + added); // the failed one left no customer…
    expect(a).toBe(5 + added); // …and no audit row
    // it keeps failing cleanly, and the next command works once there is room
    expect((await failure(addCustomer(ctx, { name: '再试', phone: '13600000001', note: 'y'.repeat(1900) }))).exitCode).toBe(5);
    expect((await ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM customers'))!.n).toBe(5 + added);
    await ctx.db.get(`PRAGMA max_page_count = 1000000`);
    await addCustomer(ctx, { name: '之后', phone: '13700000001' });
    expect((await ctx.db.all<{ integrity_check: string }>('PRAGMA integrity_check'))[0]!.integrity_check).toBe('ok');
    console.log(`[figures] max_page_count cap: ${added} customers fitted, then exit 5 "${err!.message.slice(0, 60)}…"`);
  });
});

describe('error mapping', () => {
  it('maps file-system errors to exit 5 and leaves others alone', () => {
    let caught: unknown;
    try {
      fs.writeFileSync(path.join(tempDir(), 'no', 'such', 'dir', 'x'), 'x');
    } catch (e) {
      caught = e;
    }
    expect(mapFsError(caught)).toBe(caught); // ENOENT is not storage
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', path: '/x/y.csv' });
    const mapped = mapFsError(enospc) as PitstopError;
    expect(mapped).toBeInstanceOf(PitstopError);
    expect(mapped.exitCode).toBe(5);
    expect(mapped.message).toBe('storage unavailable: the disk is full (/x/y.csv); the file was not written');
    const erofs = Object.assign(new Error('EROFS'), { code: 'EROFS', syscall: 'open' });
    expect((mapFsError(erofs, '/r/o.csv') as PitstopError).message).toContain('read-only (/r/o.csv)');
    const plain = new Error('boom');
    expect(mapFsError(plain)).toBe(plain);
    const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    expect((mapDriverError(busy, '/d.db') as PitstopError).exitCode).toBe(5);
    const constraint = Object.assign(new Error('SQLITE_CONSTRAINT'), { code: 'SQLITE_CONSTRAINT' });
    expect(mapDriverError(constraint, '/d.db')).toBe(constraint);
  });
});
