/**
 * Workbooks through the built binary (TZ=America/New_York, shop in Asia/Shanghai): report and export
 * workbooks read back cell by cell, `--format` refusals, the jobs.format setting, byte-identical
 * re-runs, and the workbook code left unloaded by `--help` and the CSV path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDbPath, tempDir, testCtx } from '../helpers.js';
import { at, customer, insert, order, vehicle } from '../integration/jobs-b-helpers.js';
import { readXlsx } from '../../src/xlsx/read.js';
import { unzip, zipFiles } from '../../src/xlsx/zip.js';

const dbPath = tempDbPath();
const run = cliFor(dbPath, '2027-01-06 10:00');

beforeAll(async () => {
  const ctx = await testCtx('2027-01-06 10:00', dbPath);
  try {
    const wang = await insert(ctx, 'staff', { name: '王芳', role: 'advisor' });
    const c = await customer(ctx, '张三');
    const v1 = await vehicle(ctx, c, '京A00001', { model: '帕萨特' });
    const v2 = await vehicle(ctx, c, '京A00002', { model: 'Golf' });
    const o1 = await order(ctx, v1, { opened: '2026-12-28 00:05', delivered: '2026-12-28 00:10', km: 1000, category: 'maintenance', advisor_id: wang, labor_cents: 30000, total_cents: 30000 });
    await insert(ctx, 'payments', { order_id: o1, amount_cents: 10000, method: 'cash', paid_at: at('2026-12-28 00:20') });
    const o2 = await order(ctx, v2, { opened: '2027-01-03 09:00', delivered: '2027-01-03 23:50', km: 1000, labor_cents: 10000, total_cents: 10000 });
    await insert(ctx, 'payments', { order_id: o2, amount_cents: 10000, method: 'cash', paid_at: at('2027-01-04 00:00') });
    await insert(ctx, 'callbacks', { order_id: o1, attempted_at: at('2027-01-01 10:00'), result: 'reached', q1: 5, q2: 4, q3: 5, q4: 5, q5: 4, reason: 'price', suggestion: '增加休息区' });
  } finally {
    await ctx.db.close();
  }
});

const sheetOf = (file: string) => unzip(fs.readFileSync(file)).get('xl/worksheets/sheet1.xml')!.toString('utf8');
/** The CSV text's records as cell lists (simple: these reports have no quoted commas). */
const csvCells = (text: string) => text.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));

describe('report --format xlsx', () => {
  it('revenue: the CSV report as typed cells, a data bar over each breakdown, 0600', () => {
    const file = path.join(tempDir(), 'revenue.xlsx');
    const r = run(['report', 'revenue', '--week', '2026-W53', '--format', 'xlsx', '--out', file]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', `wrote 7 rows to ${file}\n`]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const csv = csvCells(run(['report', 'revenue', '--week', '2026-W53', '--csv']).stdout);
    // the same cells; money as numbers (300.00 reads back as 300)
    const fromBook = readXlsx(fs.readFileSync(file), file).map((row) => row.cells);
    expect(fromBook).toEqual(csv.map((cells) => cells.map((c) => (/^-?\d+\.\d\d$/.test(c) ? String(Number(c)) : c))));
    const sheet = sheetOf(file);
    expect(sheet).toContain('<sheetView workbookViewId="0"><pane ySplit="1"');
    const bars = [...sheet.matchAll(/<conditionalFormatting sqref="([A-Z]+\d+:[A-Z]+\d+)"><cfRule type="dataBar"/g)].map((m) => m[1]);
    const dims = fromBook.map((c) => c[1]);
    const span = (d: string) => `J${dims.indexOf(d) + 1}:J${dims.lastIndexOf(d) + 1}`;
    expect(bars).toEqual([span('category'), span('model'), span('advisor')]);
  });

  it('callbacks: figures are number cells, with data bars', () => {
    const file = path.join(tempDir(), 'callbacks.xlsx');
    expect(run(['report', 'callbacks', '--month', '2026-12', '--format', 'xlsx', '--out', file]).code).toBe(0);
    const sheet = sheetOf(file);
    expect(sheet).toMatch(/<c r="C\d+" s="0"><v>4\.5<\/v><\/c>|<c r="C\d+" s="0"><v>4<\/v><\/c>/);
    expect(sheet).toContain('type="dataBar"');
    const rows = readXlsx(fs.readFileSync(file), file);
    expect(rows[0]!.cells).toEqual(['metric', 'key', 'value']);
    expect(rows.find((r) => r.cells[0] === 'delivered_orders')!.cells[2]).toBe('1');
  });

  it('--format csv --out writes the --csv text to a file; refusals are exit 2', () => {
    const dir = tempDir();
    const file = path.join(dir, 'r.csv');
    expect(run(['report', 'revenue', '--week', '2026-W53', '--format', 'csv', '--out', file]).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(run(['report', 'revenue', '--week', '2026-W53', '--csv']).stdout);
    const noOut = run(['report', 'revenue', '--format', 'xlsx']);
    expect([noOut.code, noOut.stderr]).toEqual([2, 'pitstop: --format xlsx writes a workbook file: give --out FILE\n']);
    const bad = run(['report', 'callbacks', '--format', 'pdf']);
    expect([bad.code, bad.stderr]).toEqual([2, 'pitstop: invalid --format "pdf": expected table, csv or xlsx\n']);
    expect(run(['report', 'revenue', '--csv', '--format', 'xlsx', '--out', file]).code).toBe(2);
    expect(run(['report', 'revenue', '--out', file]).code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual(['r.csv']);
  });
});

describe('export --format', () => {
  it('xlsx to stdout is refused; both with --out x.csv writes x.csv and x.xlsx', () => {
    const r = run(['export', 'customers', '--format', 'xlsx']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'pitstop: --format xlsx writes a workbook file: give --out FILE (a workbook is not sent to stdout)\n']);
    expect(run(['export', 'customers', '--format', 'ods']).code).toBe(2);
    const dir = tempDir();
    const x = path.join(dir, 'x.csv');
    const both = run(['export', 'customers', '--format', 'both', '--out', x]);
    expect([both.code, both.stderr]).toEqual([0, `exported 1 row of customers to ${x}\nexported 1 row of customers to ${path.join(dir, 'x.xlsx')}\n`]);
    expect(fs.readdirSync(dir).sort()).toEqual(['x.csv', 'x.xlsx']);
    const book = readXlsx(fs.readFileSync(path.join(dir, 'x.xlsx')), 'x.xlsx');
    const csv = csvCells(fs.readFileSync(x, 'utf8'));
    expect(book[0]!.cells).toEqual(csv[0]);
    // created_at is a shop-local date-time cell; the rest as in the CSV
    const at = csv[0]!.indexOf('created_at');
    const without = (cells: readonly string[]) => cells.filter((_, i) => i !== at);
    expect(without(book[1]!.cells)).toEqual(without(csv[1]!).slice(0, book[1]!.cells.length - 1));
    expect(book[1]!.cells[at]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  });
});

describe('jobs and the jobs.format setting', () => {
  it('xlsx by setting; a re-run a second later writes the same bytes; a bad setting is exit 2', async () => {
    const out = tempDir();
    expect(run(['config', 'set', 'jobs.format', 'pdf']).code).toBe(2);
    expect(run(['config', 'set', 'jobs.format', 'xlsx']).code).toBe(0);
    try {
      const r = run(['jobs', 'run', 'revenue-weekly', '--week', '2026-W53', '--out', out]);
      const file = path.join(out, 'revenue-weekly-2026-W53.xlsx');
      expect([r.code, r.stdout]).toEqual([0, `revenue-weekly 2026-W53: 7 rows ${file}\n`]);
      const first = fs.readFileSync(file);
      await sleep(1100);
      expect(run(['jobs', 'run', 'revenue-weekly', '--week', '2026-W53', '--out', out]).code).toBe(0);
      expect(fs.readFileSync(file).equals(first)).toBe(true);
      expect(fs.readdirSync(out)).toEqual(['revenue-weekly-2026-W53.xlsx']);
      // --format overrides the setting
      expect(run(['jobs', 'run', 'revenue-weekly', '--week', '2026-W53', '--out', out, '--format', 'csv']).code).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual(['revenue-weekly-2026-W53.csv', 'revenue-weekly-2026-W53.xlsx']);
      // both: one line per file, the CSV as a CSV-only run writes it, the workbook as before
      const csv = fs.readFileSync(path.join(out, 'revenue-weekly-2026-W53.csv'));
      const both = run(['jobs', 'run', 'revenue-weekly', '--week', '2026-W53', '--out', out, '--format', 'both']);
      expect([both.code, both.stdout]).toEqual([0, `revenue-weekly 2026-W53: 7 rows ${path.join(out, 'revenue-weekly-2026-W53.csv')}\nrevenue-weekly 2026-W53: 7 rows ${file}\n`]);
      expect(fs.readFileSync(path.join(out, 'revenue-weekly-2026-W53.csv')).equals(csv)).toBe(true);
      expect(fs.readFileSync(file).equals(first)).toBe(true);
      const bad = run(['jobs', 'run', 'arrears', '--format', 'xls']);
      expect([bad.code, bad.stderr]).toEqual([2, 'pitstop: invalid --format "xls": expected csv, xlsx or both\n']);
    } finally {
      run(['config', 'set', 'jobs.format', 'csv']);
    }
  });

  it('--help and CSV runs never load the workbook code', () => {
    const register = new URL('./trace-register.mjs', import.meta.url).href;
    const traced = (args: string[]) => {
      const trace = path.join(tempDir(), 'loads.txt');
      const r = run(args, { NODE_OPTIONS: `--import ${register}`, PITSTOP_TRACE_LOADS: trace });
      expect(r.code, r.stderr).toBe(0);
      return fs.readFileSync(trace, 'utf8');
    };
    const out = tempDir();
    for (const args of [['--help'], ['jobs', 'run', 'revenue-weekly', '--week', '2026-W53', '--out', out], ['export', 'customers']]) {
      const loads = traced(args);
      expect(loads).toContain('/dist/src/cli/main.js');
      expect(loads).not.toMatch(/\/xlsx\//);
    }
    expect(traced(['jobs', 'run', 'revenue-weekly', '--week', '2026-W53', '--out', out, '--format', 'xlsx'])).toMatch(/\/dist\/src\/xlsx\/write\.js/);
  });
});

describe('import FILE.xlsx', () => {
  const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  /** A workbook as Excel leaves it: shared strings, a phone typed as a number, a date in a General cell. */
  const book = (rows: string) =>
    zipFiles({
      'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
      'xl/styles.xml': `<styleSheet ${NS}><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
      'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData>${rows}</sheetData></worksheet>`,
    });
  const text = (ref: string, t: string) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
  const num = (ref: string, v: number, s = 0) => `<c r="${ref}" s="${s}"><v>${v}</v></c>`;

  it('numbers Excel typed are read as the column means; rejected rows go to x.rejected.csv by row number', async () => {
    const dir = tempDir();
    const importing = cliFor(path.join(dir, 'pitstop.db'), '2027-01-06 10:00');
    const customers = path.join(dir, 'customers.xlsx');
    fs.writeFileSync(customers, await book(
      `<row r="1">${text('A1', '姓名')}${text('B1', '手机')}</row>` +
      `<row r="2">${text('A2', '钱芳')}${num('B2', 13500000012)}</row>` +
      `<row r="4">${text('A4', '孙强')}${num('B4', 12345)}</row>`,
    ));
    const r = importing(['import', 'customers', customers, '--skip-invalid']);
    expect([r.code, r.stdout]).toEqual([0, `imported 1 customer from ${customers}, 1 rejected\n`]);
    const rejected = fs.readFileSync(path.join(dir, 'customers.rejected.csv'), 'utf8');
    expect(rejected).toContain('孙强,12345,');
    const strict = cliFor(path.join(dir, 'b.db'), '2027-01-06 10:00')(['import', 'customers', customers]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('line 4: invalid phone "12345"');

    const vehicles = path.join(dir, 'vehicles.xlsx');
    fs.writeFileSync(vehicles, await book(
      `<row r="1">${text('A1', 'customer_phone')}${text('B1', 'plate')}${text('C1', 'purchased_on')}${text('D1', 'last_service_on')}${text('E1', 'last_service_km')}</row>` +
      `<row r="2">${num('A2', 13500000012)}${text('B2', '沪AD12345')}${num('C2', 45000, 1)}${num('D2', 46174)}${num('E2', 42000)}</row>`,
    ));
    expect(importing(['import', 'vehicles', vehicles]).code).toBe(0);
    const v = JSON.parse(importing(['vehicle', 'show', '沪AD12345', '--json']).stdout) as { vehicle: Record<string, unknown> };
    expect(v.vehicle).toMatchObject({ purchased_on: '2023-03-15', last_service_on: '2026-06-01', last_service_km: 42000 });
  });

  it('not a workbook, a password-protected one, one without a sheet: exit 2, nothing imported', async () => {
    const dir = tempDir();
    const importing = cliFor(path.join(dir, 'pitstop.db'), '2027-01-06 10:00');
    const cases: Array<[string, Buffer, RegExp]> = [
      ['text.xlsx', Buffer.from('name,phone\r\n张伟,13800000001\r\n'), /is not an \.xlsx workbook/],
      ['locked.xlsx', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]), /password-protected/],
      ['empty.xlsx', await zipFiles({ 'xl/workbook.xml': `<workbook ${NS}><sheets/></workbook>` }), /has no sheet/],
      ['cut.xlsx', (await book('<row r="1"/>')).subarray(0, 200), /not a readable \.xlsx workbook/],
    ];
    for (const [name, bytes, message] of cases) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      const r = importing(['import', 'customers', file]);
      expect([r.code, r.stdout], name).toEqual([2, '']);
      expect(r.stderr, name).toMatch(message);
    }
    // a failed import into a new database leaves no database behind (SPEC §16)
    expect(fs.existsSync(path.join(dir, 'pitstop.db'))).toBe(false);
  });
});
