/**
 * Issue 13 items 1–3, in the one atomic-file module (src/fsx/atomic.ts) and its users: a write that
 * returns a short count is looped until every byte is written; a failing write is exit 5 with nothing
 * under the final name and no temp left; temp files are random and created exclusively (a link planted
 * at the old predictable backup temp name is never followed); only regular files are replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileHandle } from 'node:fs/promises';
import { assertReplaceable, writeFileAtomic, type WriteChunk } from '../../src/fsx/atomic.js';
import { writeCsv, writeCsvFile } from '../../src/csv.js';
import { exportTable } from '../../src/app/exporter.js';
import { backupDatabase } from '../../src/app/admin.js';
import { addCustomer } from '../../src/app/customers.js';
import type { Ctx } from '../../src/app/context.js';
import type { Column, Row } from '../../src/domain/jobs/types.js';
import { PitstopError } from '../../src/errors.js';
import { tempDir, testCtx } from '../helpers.js';

/** Writes at most `max` bytes a call, like a nearly full disk or a signal-interrupted write. */
const shortWrites = (max: number): WriteChunk => async (handle: FileHandle, buf, offset, length) =>
  (await handle.write(buf, offset, Math.min(max, length))).bytesWritten;

/** Writes `budget` bytes in all (short counts at the end), then fails like a full disk. */
function fullDisk(budget: number): WriteChunk {
  let left = budget;
  return async (handle, buf, offset, length) => {
    if (left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const n = (await handle.write(buf, offset, Math.min(left, length, 7))).bytesWritten;
    left -= n;
    return n;
  };
}

const columns: Column[] = [
  { key: 'name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'amount', zh: '金额', en: 'Amount', type: 'money' },
];
const options = { tz: 'Asia/Shanghai', bom: true, headers: 'keys' as const, locale: 'zh-CN' as const };
async function* rowsOf(n: number): AsyncGenerator<Row> {
  for (let i = 0; i < n; i++) yield { name: `客户${i}，一段较长的中文备注`, amount: i * 101 };
}

let dir: string;
beforeEach(() => {
  dir = tempDir('pitstop-atomic-');
});

const leftovers = (d: string) => fs.readdirSync(d).filter((n) => n.endsWith('.tmp'));

describe('every byte is written or the file is absent', () => {
  it('a writer returning short counts still gives the whole file', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    expect(await writeCsv(a, columns, rowsOf(5000), options)).toBe(5000);
    expect(await writeCsv(b, columns, rowsOf(5000), options, { writeChunk: shortWrites(1000) })).toBe(5000);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
    expect(fs.statSync(b).mode & 0o777).toBe(0o600);
  });

  it('a short write of one byte at a time splits no UTF-8 character', async () => {
    const f = path.join(dir, 'x.txt');
    await writeFileAtomic(f, ['汉字', Buffer.from('ok')], { writeChunk: shortWrites(1) });
    expect(fs.readFileSync(f, 'utf8')).toBe('汉字ok');
  });

  it('a full disk mid-way: exit 5, no file under the final name, no temp left', async () => {
    const f = path.join(dir, 'maintenance-due-2026-11-23.csv');
    const err = await writeCsv(f, columns, rowsOf(5000), options, { writeChunk: fullDisk(8192) }).catch((e) => e);
    expect(err).toBeInstanceOf(PitstopError);
    expect((err as PitstopError).exitCode).toBe(5);
    expect((err as PitstopError).message).toContain('the disk is full');
    expect(fs.existsSync(f)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a full disk keeps the previous file intact (export --out over yesterday’s file)', async () => {
    const f = path.join(dir, 'customers.csv');
    fs.writeFileSync(f, 'yesterday');
    const err = await writeCsvFile(f, ['a'], [[1], [2]], { writeChunk: fullDisk(3) }).catch((e) => e);
    expect((err as PitstopError).exitCode).toBe(5);
    expect(fs.readFileSync(f, 'utf8')).toBe('yesterday');
    expect(leftovers(dir)).toEqual([]);
  });

  it('a write that makes no progress is a full disk, not an endless loop', async () => {
    const f = path.join(dir, 'y.txt');
    const err = await writeFileAtomic(f, ['abc'], { writeChunk: async () => 0 }).catch((e) => e);
    expect((err as PitstopError).exitCode).toBe(5);
    expect(fs.existsSync(f)).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('only regular files are replaced', () => {
  const fifo = (name: string) => {
    const p = path.join(dir, name);
    execFileSync('mkfifo', [p]);
    return p;
  };

  it('a FIFO, a link to a FIFO and a folder are refused (exit 2); a regular file and a dangling link are fine', () => {
    const f = fifo('pipe');
    const link = path.join(dir, 'null-like');
    fs.symlinkSync(f, link);
    for (const target of [f, link, dir]) {
      let err: unknown;
      try {
        assertReplaceable(target, 'out', target, '--out');
      } catch (e) {
        err = e;
      }
      expect((err as PitstopError).exitCode, target).toBe(2);
    }
    const plain = path.join(dir, 'plain.csv');
    fs.writeFileSync(plain, 'x');
    expect(() => assertReplaceable(plain, 'out')).not.toThrow();
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
    expect(() => assertReplaceable(path.join(dir, 'dangling'), 'out')).not.toThrow();
  });
});

describe('export and backup', () => {
  let ctx: Ctx;
  beforeEach(async () => {
    ctx = await testCtx('2026-11-23 10:00');
    await addCustomer(ctx, { name: '张伟', phone: '13800000001' });
  });
  afterEach(async () => {
    await ctx.db.close();
  });

  it('export --out replaces an existing regular file, refuses a FIFO naming --out', async () => {
    const out = path.join(dir, 'customers.csv');
    fs.writeFileSync(out, 'old');
    expect((await exportTable(ctx, 'customers', { out })).rows).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toContain('13800000001');
    const p = path.join(dir, 'pipe');
    execFileSync('mkfifo', [p]);
    const err = await exportTable(ctx, 'customers', { out: p }).catch((e) => e);
    expect([(err as PitstopError).exitCode, (err as PitstopError).message]).toEqual([2, expect.stringContaining('--out')]);
    expect(fs.lstatSync(p).isFIFO()).toBe(true);
  });

  it('backup --force onto a FIFO or a link to one is exit 2 naming --force; the FIFO stays', async () => {
    const p = path.join(dir, 'pipe');
    execFileSync('mkfifo', [p]);
    const link = path.join(dir, 'devnull');
    fs.symlinkSync(p, link);
    for (const target of [p, link]) {
      const err = await backupDatabase(ctx.db.file, target, { force: true }).catch((e) => e);
      expect([(err as PitstopError).exitCode, (err as PitstopError).message]).toEqual([2, expect.stringContaining('--force')]);
    }
    expect(fs.lstatSync(p).isFIFO()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a link planted at the old predictable temp name is not followed', async () => {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious', { mode: 0o644 });
    const dest = path.join(dir, 'b.db');
    const planted = path.join(dir, `.b.db.${process.pid}.tmp`);
    fs.symlinkSync(victim, planted);
    const r = await backupDatabase(ctx.db.file, dest);
    expect(r.counts.customers).toBe(1);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    expect(fs.statSync(victim).mode & 0o777).toBe(0o644);
    expect(fs.lstatSync(planted).isSymbolicLink()).toBe(true);
    expect(fs.statSync(dest).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp') && n !== path.basename(planted))).toEqual([]);
  });
});
