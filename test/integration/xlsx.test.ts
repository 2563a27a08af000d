/**
 * The workbook writer and reader on real files: cells read back one by one (not bytes across library
 * versions), byte-identical re-runs a second apart, 0600, atomic, sorted and streamed lists, and the
 * reader's refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Column, Row } from '../../jobs/types.js';
import { writeXlsx } from '../../src/xlsx/write.js';
import { readXlsx } from '../../src/xlsx/read.js';
import { unzip, zipFiles } from '../../src/xlsx/zip.js';
import { PitstopError } from '../../src/errors.js';
import { tempDir } from '../helpers.js';

const COLUMNS: Column[] = [
  { key: 'name', zh: '姓名', en: 'Name', type: 'text' },
  { key: 'phone', zh: '电话', en: 'Phone', type: 'text' },
  { key: 'total', zh: '金额', en: 'Total', type: 'money' },
  { key: 'on', zh: '日期', en: 'Date', type: 'date' },
  { key: 'at', zh: '时间', en: 'Time', type: 'datetime' },
  { key: 'days', zh: '天数', en: 'Days', type: 'int' },
];
const ROWS: Row[] = [
  { name: '0012', phone: '02157970561', total: 123456, on: '2026-11-18', at: '2026-11-24T15:30:00.000Z', days: -60 },
  { name: '1E5', phone: '057187654321', total: 30000, on: '2026-11-20', at: '2026-11-20T01:00:00.000Z', days: 3 },
  { name: '=HYPERLINK("x")', phone: '13800000004', total: null, on: null, at: null, days: null },
  { name: '王五\n请检查', phone: '-120', total: -5, on: '2026-01-01', at: '2026-01-01T00:00:00.000Z', days: 0 },
];
const OPTIONS = { tz: 'Asia/Shanghai', headers: 'labels' as const, locale: 'zh-CN' as const, sheet: 'callbacks' };

async function* many(n: number): AsyncGenerator<Row[]> {
  for (let i = 0; i < n; i += 500) {
    yield Array.from({ length: Math.min(500, n - i) }, (_, k) => ({ name: `客户${i + k}`, phone: `0${i + k}`, total: i + k, on: '2026-11-18', at: null, days: i + k }));
  }
}

describe('xlsx writer', () => {
  it('writes typed cells that read back as the list', async () => {
    const file = path.join(tempDir(), 'callbacks.xlsx');
    expect(await writeXlsx(file, COLUMNS, (async function* () { yield ROWS; })(), OPTIONS)).toBe(4);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const rows = readXlsx(fs.readFileSync(file), file);
    expect(rows).toEqual([
      { line: 1, cells: ['姓名', '电话', '金额', '日期', '时间', '天数'] },
      { line: 2, cells: ['0012', '02157970561', '1234.56', '2026-11-18', '2026-11-24 23:30', '-60'] },
      { line: 3, cells: ['1E5', '057187654321', '300', '2026-11-20', '2026-11-20 09:00', '3'] },
      { line: 4, cells: ['=HYPERLINK("x")', '13800000004', '0'] },
      { line: 5, cells: ['王五\n请检查', '-120', '-0.05', '2026-01-01', '2026-01-01 08:00', '0'] },
    ]);
    const parts = unzip(fs.readFileSync(file));
    const sheet = parts.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    expect(sheet).toContain('state="frozen"');
    expect(sheet).toContain('<autoFilter ref="A1:F5"/>');
    expect(sheet).not.toContain('<f>'); // never a formula cell
    expect(sheet).toMatch(/<c r="A4" s="2" t="inlineStr"><is><t>=HYPERLINK/); // quote-prefix style, no apostrophe
    expect(parts.get('xl/styles.xml')!.toString('utf8')).toContain('quotePrefix="1"');
    expect(parts.get('xl/workbook.xml')!.toString('utf8')).toContain('<sheet name="callbacks"');
    // the widest name is two lines, the longest "王五" (4) < header "姓名" + filter button (6)
    expect(sheet).toMatch(/<col min="1" max="1" width="(\d+)"/);
  });

  it('writes the same bytes when run again a second later', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.xlsx');
    const b = path.join(dir, 'b.xlsx');
    await writeXlsx(a, COLUMNS, (async function* () { yield ROWS; })(), OPTIONS);
    await sleep(1100);
    await writeXlsx(b, COLUMNS, (async function* () { yield ROWS; })(), OPTIONS);
    expect(Buffer.compare(fs.readFileSync(a), fs.readFileSync(b))).toBe(0);
  });

  it('streams a long list and sorts one that comes in any order', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'long.xlsx');
    expect(await writeXlsx(file, COLUMNS, many(5000), OPTIONS)).toBe(5000);
    const rows = readXlsx(fs.readFileSync(file), file);
    expect(rows).toHaveLength(5001);
    expect(rows[5000]).toEqual({ line: 5001, cells: ['客户4999', '04999', '49.99', '2026-11-18', '', '4999'] });
    const sorted = path.join(dir, 'sorted.xlsx');
    const seen: Row[] = [];
    await writeXlsx(sorted, COLUMNS, (async function* () { yield [...ROWS].reverse(); })(), OPTIONS, {
      sorting: { key: (r) => String(r.phone) },
      onRow: (r) => seen.push(r),
    });
    expect(seen).toHaveLength(4);
    expect(readXlsx(fs.readFileSync(sorted), sorted).slice(1).map((r) => r.cells[1])).toEqual(['-120', '02157970561', '057187654321', '13800000004']);
  });

  it('leaves no file and no temp file when aborted or failing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.xlsx');
    fs.writeFileSync(file, 'old');
    const controller = new AbortController();
    const rows = (async function* () {
      yield ROWS;
      controller.abort();
      yield ROWS;
    })();
    await expect(writeXlsx(file, COLUMNS, rows, OPTIONS, { signal: controller.signal })).rejects.toMatchObject({ exitCode: 130 });
    const failing = (async function* () {
      yield ROWS;
      throw new Error('disk on fire');
    })();
    await expect(writeXlsx(file, COLUMNS, failing, OPTIONS)).rejects.toThrow('disk on fire');
    expect(fs.readdirSync(dir)).toEqual(['x.xlsx']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
  });

  it('data bars over a column range', async () => {
    const file = path.join(tempDir(), 'bars.xlsx');
    await writeXlsx(file, COLUMNS, (async function* () { yield ROWS; })(), { ...OPTIONS, bars: [{ column: 'total', first: 1, last: 3 }] });
    const sheet = unzip(fs.readFileSync(file)).get('xl/worksheets/sheet1.xml')!.toString('utf8');
    expect(sheet).toContain('<conditionalFormatting sqref="C3:C5"><cfRule type="dataBar"');
  });
});

describe('xlsx reader', () => {
  const errorOf = (bytes: Uint8Array) => {
    try {
      readXlsx(bytes, 'in.xlsx');
    } catch (err) {
      return err as PitstopError;
    }
    throw new Error('no error');
  };

  it('refuses what is not a workbook, an encrypted one, one without a sheet (exit 2)', async () => {
    expect(errorOf(Buffer.from('name,phone\n'))).toMatchObject({ exitCode: 2, message: expect.stringContaining('not an .xlsx workbook') });
    expect(errorOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toMatchObject({ exitCode: 2, message: expect.stringContaining('password-protected') });
    expect(errorOf(Buffer.from('PK\x03\x04garbage'))).toMatchObject({ exitCode: 2, message: expect.stringContaining('not a readable') });
    expect(errorOf(await zipFiles({ 'a.txt': 'x' }))).toMatchObject({ exitCode: 2, message: expect.stringContaining('no xl/workbook.xml') });
    const noSheet = await zipFiles({ 'xl/workbook.xml': '<workbook xmlns="x"><sheets/></workbook>' });
    expect(errorOf(noSheet)).toMatchObject({ exitCode: 2, message: expect.stringContaining('has no sheet') });
  });

  it('reads shared strings, rich text without phonetics, numbers typed by Excel, date serials, booleans, gaps', async () => {
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const book = await zipFiles({
      'xl/workbook.xml': `<workbook ${ns}><sheets><sheet name="客户" sheetId="3" r:id="rId7"/><sheet name="two" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Target="/xl/worksheets/sheet3.xml"/></Relationships>',
      'xl/sharedStrings.xml': `<sst ${ns}><si><t>姓名</t></si><si><r><t>张</t></r><r><rPr><b/></rPr><t>伟</t></r><rPh sb="0" eb="1"><t>ちょう</t></rPh></si><si><t>a_x005F_x0041_b</t></si></sst>`,
      'xl/styles.xml': `<styleSheet ${ns}><numFmts><numFmt numFmtId="170" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="170"/><xf numFmtId="22"/></cellXfs></styleSheet>`,
      'xl/worksheets/sheet3.xml':
        `<worksheet ${ns}><sheetData>` +
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>phone</t></is></c></row>' +
          '<row r="4"><c r="A4" t="s"><v>1</v></c><c r="B4" t="s"><v>2</v></c><c r="C4"><v>13800000001</v></c><c r="D4" s="1"><v>46344</v></c><c r="E4" s="2"><v>46345</v></c><c r="F4" s="3"><v>46344.5</v></c><c r="G4" t="b"><v>1</v></c><c r="H4" t="str"><f>A1</f><v>x</v></c></row>' +
          '</sheetData></worksheet>',
    });
    expect(readXlsx(book, 'in.xlsx')).toEqual([
      { line: 1, cells: ['姓名', '', 'phone'] },
      { line: 4, cells: ['张伟', 'a_x0041_b', '13800000001', '2026-11-18', '2026-11-19', '2026-11-18 12:00', '1', 'x'] },
    ]);
  });
});

describe('zip', () => {
  it('round trip; a damaged entry or an encrypted one is refused', async () => {
    const big = 'x'.repeat(300_000) + '王'.repeat(1000);
    const bytes = await zipFiles({ 'a.txt': 'hello', 'dir/b.xml': big });
    const back = unzip(bytes);
    expect([...back.keys()]).toEqual(['a.txt', 'dir/b.xml']);
    expect(back.get('dir/b.xml')!.toString('utf8')).toBe(big);
    expect(unzip(bytes, (n) => n === 'a.txt').size).toBe(1);
    const damaged = Buffer.from(bytes);
    damaged[40] ^= 0xff; // inside a.txt's data
    expect(() => unzip(damaged)).toThrow(/a\.txt/);
    const encrypted = Buffer.from(bytes);
    const dir = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted[dir + 8] |= 1;
    expect(() => unzip(encrypted)).toThrow(/encrypted/);
    expect(() => unzip(bytes.subarray(0, bytes.length - 30))).toThrow(/no zip directory/);
  });
});
