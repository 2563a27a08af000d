import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Ctx } from '../../src/app/context.js';
import { EXPORT_TABLES, exportTable, writeCsvFile } from '../../src/app/exporter.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { setConfig } from '../../src/app/config.js';
import { PitstopError } from '../../src/errors.js';
import { tempDir, testCtx } from '../helpers.js';

let ctx: Ctx;
let dir: string;
beforeEach(async () => {
  ctx = await testCtx('2026-11-23 10:00');
  dir = tempDir();
  await addCustomer(ctx, { name: '张伟', phone: '13800000001', note: '=HYPERLINK("http://x")' });
  await addCustomer(ctx, { name: '-李娜', phone: '13800000002', address: '北京, 朝阳\n建国路', kind: 'fleet' });
  await addVehicle(ctx, { customer: '13800000001', plate: '京A12345', mileage: '45210' });
});
afterEach(async () => {
  await ctx.db.close();
});

async function toString(table: string, options: { maskPhone?: boolean } = {}): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  await exportTable(ctx, table, { ...options, stdout: stream });
  stream.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('export', () => {
  it('writes a file: 0600, BOM, CRLF, every column, formula guard on text only', async () => {
    const out = path.join(dir, 'customers.csv');
    const r = await exportTable(ctx, 'customers', { out });
    expect(r).toEqual({ table: 'customers', rows: 2, file: out });
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFFid,name,phone,kind,company,address,note,do_not_contact,created_at,no_calls,no_messages,phone_bad_at\r\n')).toBe(true);
    expect(/[^\r]\n/.test(text.replace(/"[^"]*"/g, ''))).toBe(false); // outside quoted cells every line ends CRLF
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      { id: '1', name: '张伟', phone: '13800000001', kind: 'private', company: '', address: '', note: `'=HYPERLINK("http://x")`, do_not_contact: '0', created_at: '2026-11-23 10:00', no_calls: '0', no_messages: '0', phone_bad_at: '' },
      { id: '2', name: "'-李娜", phone: '13800000002', kind: 'fleet', company: '', address: '北京, 朝阳\n建国路', note: '', do_not_contact: '0', created_at: '2026-11-23 10:00', no_calls: '0', no_messages: '0', phone_bad_at: '' },
    ]);
    expect(fs.readdirSync(dir)).toEqual(['customers.csv']); // no temporary file left behind
  });

  it('replaces an existing file whole, and refuses a missing folder (exit 2)', async () => {
    const out = path.join(dir, 'v.csv');
    fs.writeFileSync(out, 'old content that is longer than the export will be '.repeat(100), { mode: 0o644 });
    await exportTable(ctx, 'vehicles', { out });
    const text = fs.readFileSync(out, 'utf8');
    expect(text).not.toContain('old content');
    expect(text.split('\r\n')[1]).toMatch(/^1,1,京A12345,,/);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const err = await exportTable(ctx, 'vehicles', { out: path.join(dir, 'no', 'such', 'x.csv') }).catch((e) => e);
    expect(err).toBeInstanceOf(PitstopError);
    expect((err as PitstopError).exitCode).toBe(2);
    const folder = (await exportTable(ctx, 'vehicles', { out: dir }).catch((e) => e)) as PitstopError;
    expect([folder.exitCode, folder.message]).toEqual([2, `invalid out ${JSON.stringify(dir)}: is a folder; give a file name`]);
  });

  it('to a stream when there is no --out; numbers stay numbers', async () => {
    const text = await toString('vehicles');
    const [header, row] = text.split('\r\n');
    expect(header).toBe('\uFEFFid,customer_id,plate,vin,make,model,color,year,purchased_on,initial_km,last_service_on,last_service_km,interval_km,interval_months,active,created_at,added_on,last_maintenance_at,last_maintenance_km');
    expect(row).toBe('1,1,京A12345,,,,,,,45210,,,,,1,2026-11-23 10:00,2026-11-23,,');
  });

  it('--mask-phone masks phone columns and phones inside audit details', async () => {
    const customers = parse(await toString('customers', { maskPhone: true }), { bom: true, columns: true }) as Record<string, string>[];
    expect(customers.map((c) => c.phone)).toEqual(['138****0001', '138****0002']);
    const audit = await toString('audit_log', { maskPhone: true });
    expect(audit).toContain('138****0001');
    expect(audit).not.toContain('13800000001');
    expect(await toString('audit_log')).toContain('13800000001');
  });

  it('every documented table exports with all its columns', async () => {
    for (const table of EXPORT_TABLES) {
      const columns = (await ctx.db.all<{ name: string }>(`PRAGMA table_info(${table})`)).map((c) => c.name);
      expect(columns.length, table).toBeGreaterThan(0);
      const text = await toString(table);
      expect(text.split('\r\n')[0], table).toBe('\uFEFF' + columns.join(','));
    }
  });

  it('an unknown table is exit 2 listing the tables', async () => {
    const err = (await exportTable(ctx, 'order_events', {}).catch((e) => e)) as PitstopError;
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('unknown table "order_events": expected one of customers, vehicles, staff');
  });

  it('csv.bom false leaves the BOM out', async () => {
    await setConfig(ctx, 'csv.bom', 'false');
    expect((await toString('staff')).startsWith('id,name,role,active\r\n')).toBe(true);
  });

  it('streams a large table without loading it', async () => {
    await ctx.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
      INSERT INTO customers (name, phone, created_at) SELECT 'c' || i, '137' || printf('%08d', i), '2026-11-23T02:00:00.000Z' FROM n`);
    const out = path.join(dir, 'big.csv');
    const r = await exportTable(ctx, 'customers', { out });
    expect(r.rows).toBe(30002);
    expect(fs.readFileSync(out, 'utf8').trimEnd().split('\r\n').length).toBe(30003);
  });

  it('a failure while writing leaves no file and no temporary file', async () => {
    const out = path.join(dir, 'fail.csv');
    const rows = (async function* () {
      yield ['a'];
      throw new Error('disk gone');
    })();
    await expect(writeCsvFile(out, ['h'], rows)).rejects.toThrow('disk gone');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
