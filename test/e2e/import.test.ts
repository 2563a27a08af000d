/** `pitstop import` and `pitstop export` through the built binary. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFor, ROOT, tempDir } from '../helpers.js';

const FIXTURES = path.join(ROOT, 'fixtures', 'import');

function fresh() {
  const dir = tempDir();
  const db = path.join(dir, 'pitstop.db');
  return { dir, db, run: cliFor(db, '2026-11-23 10:00') };
}

describe('pitstop import', () => {
  it('UTF-8 with BOM: a summary line on stdout, nothing on stderr', () => {
    const { run } = fresh();
    const file = path.join(FIXTURES, 'customers-utf8-bom.csv');
    const r = run(['import', 'customers', file]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `imported 4 customers from ${file}\n`, '']);
    expect(run(['customer', 'show', '13700000003', '--json']).code).toBe(0);
  });

  it('GBK with Chinese headers, customers then vehicles', () => {
    const { run } = fresh();
    expect(run(['import', 'customers', path.join(FIXTURES, 'customers-gbk.csv')]).code).toBe(0);
    const r = run(['import', 'vehicles', path.join(FIXTURES, 'vehicles-gbk.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^imported 2 vehicles from /);
    const list = JSON.parse(run(['vehicle', 'list', '--json']).stdout) as { plate: string; customer_name: string; make: string }[];
    expect(list.map((v) => [v.plate, v.customer_name, v.make])).toEqual([['沪A12345', '赵磊', '大众'], ['沪AD12345', '钱芳', '比亚迪']]);
  });

  it('all or nothing: exit 2, every error with its line on stderr, nothing imported', () => {
    const { dir, run } = fresh();
    const r = run(['import', 'customers', path.join(FIXTURES, 'customers-invalid.csv')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^pitstop: 4 invalid rows of 6 in .*customers-invalid\.csv; nothing imported \(fix them, or use --skip-invalid\)$/);
    expect(lines.slice(1)).toEqual([
      '  line 3: invalid name "": is required and empty',
      '  line 4: invalid phone "12345": expected a mainland mobile number: 11 digits starting 13–19 (landlines only for fleet customers)',
      '  line 5: duplicate phone 13800000021: already on line 2',
      '  line 6: expected 2 cells like the header, found 3',
    ]);
    // the import would have created the database: failed, it leaves none behind
    expect(run(['customer', 'list', '--json']).code).toBe(3);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('--skip-invalid: imports the rest, count on stderr, x.rejected.csv beside the input', () => {
    const { dir, run } = fresh();
    const file = path.join(dir, 'x.csv');
    fs.copyFileSync(path.join(FIXTURES, 'customers-invalid.csv'), file);
    const r = run(['import', 'customers', file, '--skip-invalid']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`imported 2 customers from ${file}, 4 rejected\n`);
    expect(r.stderr).toBe(`pitstop: 4 rows rejected, written to ${path.join(dir, 'x.rejected.csv')}\n`);
    const rejected = fs.readFileSync(path.join(dir, 'x.rejected.csv'));
    expect([...rejected.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rejected.toString('utf8').split('\r\n')[0]).toBe('\uFEFFname,phone,error');
    expect(rejected.toString('utf8').split('\r\n').length).toBe(6);
    expect((JSON.parse(run(['customer', 'list', '--json']).stdout) as unknown[]).length).toBe(2);
  });

  it('--dry-run: reports and writes nothing', () => {
    const { dir, run } = fresh();
    const file = path.join(dir, 'x.csv');
    fs.copyFileSync(path.join(FIXTURES, 'customers-invalid.csv'), file);
    const bad = run(['import', 'customers', file, '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nothing would be imported/);
    const r = run(['import', 'customers', file, '--dry-run', '--skip-invalid']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`dry run: 2 customers would be imported from ${file}, 4 rejected; nothing written\n`);
    expect(r.stderr).toContain('  line 4: invalid phone "12345"');
    const ok = run(['import', 'customers', path.join(FIXTURES, 'customers-gbk.csv'), '--dry-run', '--json']);
    expect(JSON.parse(ok.stdout)).toMatchObject({ kind: 'customers', rows: 3, imported: 0, rejected: [], dryRun: true, encoding: 'gb18030' });
    // a dry run leaves no database behind (SPEC §16)
    expect(run(['customer', 'list', '--json']).code).toBe(3);
    expect(fs.readdirSync(dir)).toEqual(['x.csv']);
    expect(fs.existsSync(path.join(dir, 'x.rejected.csv'))).toBe(false);
    expect(run(['export', 'audit_log']).code).toBe(3);
  });

  it('a missing file is exit 3; an unknown kind or header is exit 2', () => {
    const { dir, run } = fresh();
    const missing = run(['import', 'customers', path.join(dir, 'nope.csv')]);
    expect([missing.code, missing.stderr]).toEqual([3, `pitstop: file ${JSON.stringify(path.join(dir, 'nope.csv'))} not found\n`]);
    const kind = run(['import', 'orders', path.join(FIXTURES, 'customers-gbk.csv')]);
    expect([kind.code, kind.stderr]).toEqual([2, 'pitstop: invalid what "orders": expected customers or vehicles\n']);
    const header = run(['import', 'vehicles', path.join(FIXTURES, 'customers-gbk.csv')]);
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/^pitstop: unknown column "姓名" in the header of the vehicles file\n  accepted columns: customer_phone \(车主手机/);
  });
});

describe('pitstop export', () => {
  it('to stdout and to a file (0600), with --mask-phone', () => {
    const { dir, run } = fresh();
    run(['import', 'customers', path.join(FIXTURES, 'customers-gbk.csv')]);
    const r = run(['export', 'customers', '--mask-phone']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('\uFEFFid,name,phone,kind,company,address,note,do_not_contact,created_at,no_calls,no_messages,phone_bad_at');
    expect(lines[1]).toBe('1,赵磊,136****0011,private,,上海市浦东新区,,0,2026-11-23 10:00,0,0,');
    const out = path.join(dir, 'c.csv');
    const f = run(['export', 'customers', '--out', out]);
    expect([f.code, f.stdout, f.stderr]).toEqual([0, '', `exported 3 rows of customers to ${out}\n`]);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(out, 'utf8')).toContain('13600000011');
  });

  it('an unknown table is exit 2 listing the tables', () => {
    const { run } = fresh();
    expect(run(['init']).code).toBe(0);
    const r = run(['export', 'passwords']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pitstop: unknown table "passwords": expected one of customers, vehicles, staff, bookings, orders, order_lines, findings, payments, callbacks, complaints, job_runs, job_listings, audit_log, settings\n');
  });
});
