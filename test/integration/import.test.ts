import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import { importFile, mapHeader, type ImportOptions } from '../../src/app/importer.js';
import { exportTable } from '../../src/app/exporter.js';
import { addCustomer } from '../../src/app/customers.js';
import { vinCheckDigit } from '../../src/domain/identity.js';
import { PitstopError } from '../../src/errors.js';
import { ROOT, tempDir, testCtx } from '../helpers.js';

const FIXTURES = path.join(ROOT, 'fixtures', 'import');
let ctx: Ctx;
let dir: string;
beforeEach(async () => {
  ctx = await testCtx('2026-11-23 10:00');
  dir = tempDir();
});
afterEach(async () => {
  await ctx.db.close();
});

function validVin(body: string): string {
  const v = body.slice(0, 8) + '0' + body.slice(9);
  return v.slice(0, 8) + vinCheckDigit(v) + v.slice(9);
}

/** Write a CSV (UTF-8 by default) into the test folder. */
function csv(name: string, lines: string[], encoding: 'utf8' | 'gbk' | 'bom' = 'utf8'): string {
  const file = path.join(dir, name);
  const text = lines.join('\r\n') + '\r\n';
  if (encoding === 'gbk') fs.writeFileSync(file, new Uint8Array(encodeGbk(text)));
  else fs.writeFileSync(file, (encoding === 'bom' ? '\uFEFF' : '') + text);
  return file;
}

// The few GBK characters these tests use, to avoid an encoder dependency.
const GBK: Record<string, number[]> = {
  姓: [0xd0, 0xd5], 名: [0xc3, 0xfb], 手: [0xca, 0xd6], 机: [0xbb, 0xfa], 张: [0xd5, 0xc5], 伟: [0xce, 0xb0],
};
function encodeGbk(text: string): number[] {
  return [...text].flatMap((c) => (c.charCodeAt(0) < 128 ? [c.charCodeAt(0)] : GBK[c]!));
}

async function failure(p: Promise<unknown>): Promise<PitstopError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PitstopError) return err;
    throw err;
  }
  throw new Error('expected a PitstopError');
}

const count = async (table: string) => (await ctx.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;
const run = (kind: 'customers' | 'vehicles', file: string, options: ImportOptions = {}) => importFile(ctx, kind, file, options);

describe('import customers', () => {
  it('UTF-8 with BOM, English headers, every field', async () => {
    const r = await run('customers', path.join(FIXTURES, 'customers-utf8-bom.csv'));
    expect(r).toMatchObject({ rows: 4, imported: 4, rejected: [], encoding: 'utf-8', rejectedFile: null });
    const rows = await ctx.db.all('SELECT name, phone, kind, company, note, do_not_contact, created_at FROM customers ORDER BY id');
    expect(rows).toEqual([
      { name: '张伟', phone: '13800000001', kind: 'private', company: null, note: '老客户', do_not_contact: 0, created_at: '2026-11-23T02:00:00.000Z' },
      { name: '李娜', phone: '13900000002', kind: 'private', company: null, note: null, do_not_contact: 0, created_at: '2026-11-23T02:00:00.000Z' },
      { name: '北京快运车队', phone: '01088886666', kind: 'fleet', company: '北京快运有限公司', note: '备注, 含逗号', do_not_contact: 1, created_at: '2026-11-23T02:00:00.000Z' },
      { name: '王芳', phone: '13700000003', kind: 'private', company: null, note: null, do_not_contact: 1, created_at: '2026-11-23T02:00:00.000Z' },
    ]);
    const audit = await ctx.db.all<{ action: string; entity: string; details: string }>('SELECT action, entity, details FROM audit_log');
    expect(audit.length).toBe(1);
    expect(audit[0]).toMatchObject({ action: 'import', entity: 'customer' });
    expect(JSON.parse(audit[0]!.details)).toEqual({ file: path.join(FIXTURES, 'customers-utf8-bom.csv'), imported: 4, rejected: 0 });
  });

  it('GBK with Chinese headers and Chinese kind / 勿扰 values', async () => {
    const r = await run('customers', path.join(FIXTURES, 'customers-gbk.csv'));
    expect(r).toMatchObject({ imported: 3, encoding: 'gb18030' });
    expect(await ctx.db.all('SELECT name, phone, kind, do_not_contact FROM customers ORDER BY id')).toEqual([
      { name: '赵磊', phone: '13600000011', kind: 'private', do_not_contact: 0 },
      { name: '钱芳', phone: '13500000012', kind: 'private', do_not_contact: 0 },
      { name: '上海顺达物流', phone: '02155556666', kind: 'fleet', do_not_contact: 1 },
    ]);
  });

  it('GBK written here decodes too (UTF-8 without BOM is tried first)', async () => {
    const r = await run('customers', csv('g.csv', ['姓名,手机', '张伟,13800000001'], 'gbk'));
    expect(r.encoding).toBe('gb18030');
    expect(await ctx.db.get('SELECT name FROM customers')).toEqual({ name: '张伟' });
  });

  it('all or nothing: every invalid row listed with its line, nothing imported', async () => {
    const err = await failure(run('customers', path.join(FIXTURES, 'customers-invalid.csv')));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^4 invalid rows of 6 in .*customers-invalid\.csv; nothing imported/);
    expect(err.details).toEqual([
      'line 3: invalid name "": is required and empty',
      'line 4: invalid phone "12345": expected a mainland mobile number: 11 digits starting 13–19 (landlines only for fleet customers)',
      'line 5: duplicate phone 13800000021: already on line 2',
      'line 6: expected 2 cells like the header, found 3',
    ]);
    expect(await count('customers')).toBe(0);
    expect(await count('audit_log')).toBe(0);
  });

  it('--skip-invalid imports the rest and writes x.rejected.csv (BOM, CRLF, error column)', async () => {
    const file = path.join(dir, 'x.csv');
    fs.copyFileSync(path.join(FIXTURES, 'customers-invalid.csv'), file);
    const r = await run('customers', file, { skipInvalid: true });
    expect(r.imported).toBe(2);
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4, 5, 6]);
    expect(r.rejectedFile).toBe(path.join(dir, 'x.rejected.csv'));
    expect((await ctx.db.all<{ name: string }>('SELECT name FROM customers ORDER BY id')).map((c) => c.name)).toEqual(['孙强', '冯超']);
    const text = fs.readFileSync(r.rejectedFile!, 'utf8');
    expect(text.startsWith('\uFEFFname,phone,error\r\n')).toBe(true);
    expect(text.split('\r\n')).toEqual([
      '\uFEFFname,phone,error',
      ',13800000022,"invalid name """": is required and empty"',
      '周杰,12345,"invalid phone ""12345"": expected a mainland mobile number: 11 digits starting 13–19 (landlines only for fleet customers)"',
      '吴敏,13800000021,duplicate phone 13800000021: already on line 2',
      '郑爽,13800000025,extra,"expected 2 cells like the header, found 3"',
      '',
    ]);
    expect(JSON.parse((await ctx.db.get<{ details: string }>('SELECT details FROM audit_log'))!.details)).toMatchObject({ imported: 2, rejected: 4 });
  });

  it('--dry-run checks and reports but writes nothing', async () => {
    const file = path.join(dir, 'x.csv');
    fs.copyFileSync(path.join(FIXTURES, 'customers-invalid.csv'), file);
    const err = await failure(run('customers', file, { dryRun: true }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/nothing would be imported/);
    const r = await run('customers', file, { dryRun: true, skipInvalid: true });
    expect(r).toMatchObject({ dryRun: true, imported: 0, rows: 6, rejectedFile: null });
    expect(r.rejected.length).toBe(4);
    const ok = await run('customers', path.join(FIXTURES, 'customers-gbk.csv'), { dryRun: true });
    expect(ok).toMatchObject({ imported: 0, rows: 3, rejected: [] });
    expect(await count('customers')).toBe(0);
    expect(await count('audit_log')).toBe(0);
    expect(fs.existsSync(path.join(dir, 'x.rejected.csv'))).toBe(false);
  });

  it('a phone already in the database is an invalid row', async () => {
    await addCustomer(ctx, { name: '老客户', phone: '13800000001' });
    const err = await failure(run('customers', csv('d.csv', ['name,phone', '张伟,+86 138 0000 0001', '李娜,13800000002'])));
    expect(err.details).toEqual(['line 2: phone 13800000001 already belongs to customer 1 (老客户)']);
    expect(await count('customers')).toBe(1);
  });

  it('line numbers count the lines of a quoted cell and skip blank lines', async () => {
    const err = await failure(run('customers', csv('m.csv', ['name,phone,note', '张伟,13800000001,"two', 'lines"', '', '李娜,bad,x'])));
    expect(err.details).toEqual([expect.stringMatching(/^line 5: invalid phone "bad"/)]);
  });

  it.each([
    [['name,phone,email', '张伟,13800000001,a@b.c'], /unknown column "email"/],
    [['name,kind', '张伟,private'], /missing required column phone/],
    [['姓名,手机,电话', '张伟,13800000001,13800000001'], /columns "手机" and "电话" both mean phone/],
  ])('header problems are exit 2: %j', async (lines, message) => {
    const err = await failure(run('customers', csv('h.csv', lines)));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
  });

  it('empty file, header only, missing file, broken quote', async () => {
    const empty = path.join(dir, 'empty.csv');
    fs.writeFileSync(empty, '');
    expect((await failure(run('customers', empty))).message).toMatch(/is empty: expected a header line/);
    const headerOnly = await failure(run('customers', csv('h.csv', ['name,phone'])));
    expect([headerOnly.exitCode, headerOnly.message]).toEqual([2, expect.stringMatching(/has a header but no data rows/)]);
    const missing = await failure(run('customers', path.join(dir, 'nope.csv')));
    expect([missing.exitCode, missing.message]).toEqual([3, `file ${JSON.stringify(path.join(dir, 'nope.csv'))} not found`]);
    const broken = await failure(run('customers', csv('b.csv', ['name,phone', '"张伟,13800000001'])));
    expect([broken.exitCode, broken.message]).toEqual([2, expect.stringMatching(/at line 2: a quoted cell is never closed/)]);
  });

  it('English headers are case- and separator-insensitive; an export imports back', async () => {
    expect(mapHeader('customers', ['Name', 'PHONE', 'Do Not Contact', 'Company'])).toEqual(['name', 'phone', 'do_not_contact', 'company']);
    await run('customers', path.join(FIXTURES, 'customers-utf8-bom.csv'));
    const out = path.join(dir, 'export.csv');
    await exportTable(ctx, 'customers', { out });
    const other = await testCtx('2026-11-24 09:00');
    try {
      const r = await importFile(other, 'customers', out);
      expect(r.imported).toBe(4);
      const strip = (rows: Record<string, unknown>[]) => rows.map(({ id: _i, created_at: _c, ...rest }) => rest);
      expect(strip(await other.db.all('SELECT * FROM customers ORDER BY id'))).toEqual(strip(await ctx.db.all('SELECT * FROM customers ORDER BY id')));
    } finally {
      await other.db.close();
    }
  });

  it('imports 20 000 rows in one go, reporting progress', async () => {
    const lines = ['name,phone'];
    for (let i = 0; i < 20_000; i++) lines.push(`客户${i},139${String(i).padStart(8, '0')}`);
    const progress: string[] = [];
    const fractions: number[] = [];
    // The file is streamed: progress counts rows and says how much of the file has been read.
    const r = await run('customers', csv('big.csv', lines), { onProgress: (phase, done, fraction) => (progress.push(`${phase} ${done}`), fractions.push(fraction)) });
    expect(r.imported).toBe(20_000);
    expect(await count('customers')).toBe(20_000);
    expect(progress).toEqual(['checked 10000', 'checked 20000', 'imported 20000']);
    expect(fractions.every((f) => f > 0 && f <= 1)).toBe(true);
    expect(await ctx.db.get('SELECT name, phone FROM customers WHERE id = 20000')).toEqual({ name: '客户19999', phone: '13900019999' });
  });
});

describe('import vehicles', () => {
  const VIN1 = validVin('LSVAU2180N2183294');
  const VIN2 = validVin('LFV2A21K0A3045678');
  beforeEach(async () => {
    await run('customers', path.join(FIXTURES, 'customers-gbk.csv'));
  });

  it('GBK with Chinese headers, owners found by phone', async () => {
    const r = await run('vehicles', path.join(FIXTURES, 'vehicles-gbk.csv'));
    expect(r.imported).toBe(2);
    expect(await ctx.db.all('SELECT customer_id, plate, vin, make, model, year, purchased_on, initial_km, last_service_on, last_service_km, added_on, active FROM vehicles ORDER BY id')).toEqual([
      { customer_id: 1, plate: '沪A12345', vin: VIN1, make: '大众', model: '帕萨特', year: 2021, purchased_on: '2021-05-01', initial_km: 45210, last_service_on: '2026-06-01', last_service_km: 42000, added_on: '2026-11-23', active: 1 },
      { customer_id: 2, plate: '沪AD12345', vin: VIN2, make: '比亚迪', model: '汉', year: 2023, purchased_on: '2023-03-15', initial_km: 18000, last_service_on: null, last_service_km: null, added_on: '2026-11-23', active: 1 },
    ]);
  });

  it('every vehicle rule applies per row, with duplicates in the file and the database', async () => {
    await run('vehicles', csv('v1.csv', ['customer_phone,plate,vin', `13600000011,沪B11111,${VIN1}`]));
    const bad = VIN2.slice(0, 8) + (VIN2[8] === '1' ? '2' : '1') + VIN2.slice(9);
    const file = csv('v2.csv', [
      'customer_phone,plate,vin,mileage,last_service_on,last_service_km,interval_km',
      `13500000012,沪B22222,${VIN2},,,,`, // ok
      '13500000012,沪B11111,,,,,', // plate in the database
      `13500000012,沪B33333,${VIN1},,,,`, // VIN in the database
      '13500000012,沪b·22222,,,,,', // plate repeated in the file
      `13500000012,沪B44444,${bad},,,,`, // check digit
      '13900000000,沪B55555,,,,,', // no such owner
      '13500000012,沪I55555,,,,,', // I in a plate
      '13500000012,沪B66666,,41000,2026-06-01,42000,', // mileage below last service
      '13500000012,沪B77777,,,2026-06-01,,', // last service without km
      '13500000012,沪B88888,,,,,100', // interval out of range
    ]);
    const err = await failure(run('vehicles', file));
    expect(err.details).toEqual([
      'line 3: plate 沪B11111 is already registered (vehicle 1)',
      `line 4: VIN ${VIN1} is already registered to 沪B11111`,
      'line 5: duplicate plate 沪B22222: already on line 2',
      `line 6: invalid vin "${bad}": check digit (9th character) should be ${VIN2[8]}; check the VIN`,
      'line 7: customer_phone 13900000000: no customer with this phone (import the customers first)',
      'line 8: invalid plate "沪I55555": I and O are not plate letters (use 1 and 0)',
      'line 9: mileage 41000 is below the last reading 42000 km on 2026-06-01',
      'line 10: missing last_service_km: last_service_on needs the mileage of that service',
      'line 11: invalid interval_km "100": expected a whole number from 500 to 100000',
    ]);
    expect(await count('vehicles')).toBe(1);
    const r = await run('vehicles', file, { skipInvalid: true });
    expect(r.imported).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'v2.rejected.csv'), 'utf8').split('\r\n').length).toBe(1 + 9 + 1);
  });
});
