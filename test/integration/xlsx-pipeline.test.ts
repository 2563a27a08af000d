/**
 * Issue 14 after the merge onto the restructured main: workbooks are written through the one atomic-file
 * module (src/fsx/atomic.ts: short writes continued, a full disk is exit 5 with nothing left behind), an
 * exported workbook types the stored instants, and an .xlsx import goes through the same streamed,
 * staged importer as a CSV (staged duplicate checks, the archive check, the staging table dropped,
 * rejected rows as CSV).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import type { Column, Row } from '../../src/domain/jobs/types.js';
import type { WriteChunk } from '../../src/fsx/atomic.js';
import { writeXlsx } from '../../src/xlsx/write.js';
import { readXlsx } from '../../src/xlsx/read.js';
import { unzip, zipFiles } from '../../src/xlsx/zip.js';
import { exportTable } from '../../src/app/exporter.js';
import { importFile } from '../../src/app/importer.js';
import { addCustomer } from '../../src/app/customers.js';
import { PitstopError } from '../../src/errors.js';
import { tempDir, testCtx } from '../helpers.js';

const shortWrites = (max: number): WriteChunk => async (handle: FileHandle, buf, offset, length) =>
  (await handle.write(buf, offset, Math.min(max, length))).bytesWritten;

function fullDisk(budget: number): WriteChunk {
  let left = budget;
  return async (handle, buf, offset, length) => {
    if (left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    const n = (await handle.write(buf, offset, Math.min(left, length, 7))).bytesWritten;
    left -= n;
    return n;
  };
}

const COLUMNS: Column[] = [
  { key: 'name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'amount', zh: '金额', en: 'Amount', type: 'money' },
];
const OPTIONS = { tz: 'Asia/Shanghai', headers: 'keys' as const, locale: 'zh-CN' as const, sheet: 'list' };
async function* rowsOf(n: number): AsyncGenerator<Row[]> {
  for (let i = 0; i < n; i += 500) yield Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ name: `客户${i + k}，一段较长的中文备注`, amount: (i + k) * 101 }));
}
const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('the workbook writer over src/fsx/atomic.ts', () => {
  it('short writes are continued: the same bytes as a plain write', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.xlsx');
    const b = path.join(dir, 'b.xlsx');
    expect(await writeXlsx(a, COLUMNS, rowsOf(3000), OPTIONS)).toBe(3000);
    expect(await writeXlsx(b, COLUMNS, rowsOf(3000), OPTIONS, { writeChunk: shortWrites(1000) })).toBe(3000);
    expect(fs.readFileSync(b).equals(fs.readFileSync(a))).toBe(true);
    expect(fs.statSync(b).mode & 0o777).toBe(0o600);
  });

  it('a full disk mid-way: exit 5 naming the disk, the old file intact, no temp left', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'maintenance-due-2026-11-23.xlsx');
    fs.writeFileSync(f, 'yesterday');
    const err = await writeXlsx(f, COLUMNS, rowsOf(3000), OPTIONS, { writeChunk: fullDisk(4096) }).catch((e) => e);
    expect(err).toBeInstanceOf(PitstopError);
    expect((err as PitstopError).exitCode).toBe(5);
    expect((err as PitstopError).message).toContain('the disk is full');
    expect(fs.readFileSync(f, 'utf8')).toBe('yesterday');
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('export and import of workbooks in the new shape', () => {
  let ctx: Ctx;
  let dir: string;
  beforeEach(async () => {
    ctx = await testCtx('2026-11-23 10:00');
    dir = tempDir();
  });
  afterEach(async () => {
    await ctx.db.close();
  });

  it('export --format xlsx: created_at is a date-time cell of the shop-local time (the CSV prints it as text)', async () => {
    await addCustomer(ctx, { name: '张伟', phone: '13800000001' });
    const out = path.join(dir, 'c.xlsx');
    const r = await exportTable(ctx, 'customers', { out, format: 'xlsx' });
    expect(r).toMatchObject({ table: 'customers', rows: 1, file: out });
    const sheet = unzip(fs.readFileSync(out)).get('xl/worksheets/sheet1.xml')!.toString('utf8');
    const book = readXlsx(fs.readFileSync(out), out);
    const at = book[0]!.cells.indexOf('created_at');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(book[1]!.cells[at]).toBe('2026-11-23 10:00');
    // a number cell with the date-time style (8), not an inline string
    const letter = String.fromCharCode(65 + at);
    expect(sheet).toMatch(new RegExp(`<c r="${letter}2" s="8"><v>[0-9.]+</v></c>`));
  });

  const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const book = (rows: string) =>
    zipFiles({
      'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData>${rows}</sheetData></worksheet>`,
    });
  const text = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
  const num = (ref: string, v: number) => `<c r="${ref}"><v>${v}</v></c>`;

  it('import FILE.xlsx is staged like a CSV: a repeated phone and one already in the archive are rejected by row number; staging dropped', async () => {
    await addCustomer(ctx, { name: '老客户', phone: '13900000009' });
    const file = path.join(dir, 'customers.xlsx');
    fs.writeFileSync(file, await book(
      `<row r="1">${text('A1', 'name')}${text('B1', 'phone')}</row>` +
      `<row r="2">${text('A2', '钱芳')}${num('B2', 13500000012)}</row>` +
      `<row r="3">${text('A3', '钱芳二')}${num('B3', 13500000012)}</row>` +
      `<row r="5">${text('A5', '孙强')}${num('B5', 13900000009)}</row>` +
      `<row r="6">${text('A6', '周丽')}${num('B6', 13600000016)}</row>`,
    ));
    const refused = await importFile(ctx, 'customers', file).catch((e) => e);
    expect(refused).toBeInstanceOf(PitstopError);
    expect((refused as PitstopError).exitCode).toBe(2);
    expect(await ctx.db.all('SELECT phone FROM customers ORDER BY phone')).toEqual([{ phone: '13900000009' }]);
    expect(await ctx.db.all("SELECT name FROM sqlite_temp_master WHERE type = 'table'")).toEqual([]);

    const r = await importFile(ctx, 'customers', file, { skipInvalid: true });
    expect(r).toMatchObject({ encoding: 'xlsx', rows: 4, imported: 2, rejectedFile: path.join(dir, 'customers.rejected.csv') });
    expect(r.rejected.map((x) => x.line)).toEqual([3, 5]);
    expect(r.rejected[0]!.error).toMatch(/duplicate phone 13500000012: already on line 2/);
    expect(r.rejected[1]!.error).toMatch(/13900000009/);
    expect(await ctx.db.all('SELECT phone FROM customers ORDER BY phone')).toEqual([{ phone: '13500000012' }, { phone: '13600000016' }, { phone: '13900000009' }]);
    expect(await ctx.db.all("SELECT name FROM sqlite_temp_master WHERE type = 'table'")).toEqual([]);
    const rejected = fs.readFileSync(r.rejectedFile!, 'utf8');
    expect(rejected.startsWith('\uFEFFname,phone,error\r\n')).toBe(true);
    expect(rejected).toContain('钱芳二,13500000012,');
  });
});
