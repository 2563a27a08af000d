/**
 * Imports as spreadsheets and big files really are (issue 12.7, issue 13 items 5, 9, 13): trailing
 * empty header columns and empty rows, Chinese Excel dates, bytes in no known encoding, a rejected
 * file that cannot be written, chunked reading with one short final write, and desks writing meanwhile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import { importFile, parseCsv, parseCsvChunk, type ImportOptions } from '../../src/app/importer.js';
import { Db } from '../../src/db/sqlite.js';
import { PitstopError } from '../../src/errors.js';
import { tempDir, testCtx } from '../helpers.js';

let ctx: Ctx;
let dir: string;
beforeEach(async () => {
  ctx = await testCtx('2026-11-23 10:00', path.join((dir = tempDir()), 'pitstop.db'));
});
afterEach(async () => {
  await ctx.db.close();
});

function csv(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  return file;
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
const auditRows = async () => (await ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import'"))!.n;
const run = (kind: 'customers' | 'vehicles', file: string, options: ImportOptions = {}) => importFile(ctx, kind, file, options);

describe('spreadsheet-made files (12.7)', () => {
  it('ignores empty trailing header columns and empty rows', async () => {
    const r = await run('customers', csv('c.csv', ['姓名,手机,备注,,', '张伟,13800000001,,,', ',,,,', '', '李娜,13800000002,老客户,,']));
    expect(r).toMatchObject({ rows: 2, imported: 2, rejected: [] });
    expect(await ctx.db.all('SELECT name, phone, note FROM customers ORDER BY id')).toEqual([
      { name: '张伟', phone: '13800000001', note: null },
      { name: '李娜', phone: '13800000002', note: '老客户' },
    ]);
  });

  it('a cell under an empty header column is still refused, naming the line', async () => {
    const err = await failure(run('customers', csv('c.csv', ['name,phone,,', '张伟,13800000001,,', '李娜,13800000002,x,'])));
    expect(err.details).toEqual(['line 3: expected 2 cells like the header, found 4']);
    expect(await count('customers')).toBe(0);
  });

  it('accepts the dates Chinese Excel writes: 2024/5/10, 2024-5-10, 2024年5月10日', async () => {
    await run('customers', csv('c.csv', ['name,phone', '张伟,13800000001']));
    const r = await run('vehicles', csv('v.csv', [
      '车主手机,车牌号,购车日期,上次保养日期,上次保养里程,,',
      '13800000001,沪A11111,2024/5/10,2026/6/1,42000,,',
      '13800000001,沪A22222,2024-5-10,2026-6-1,42000,,',
      '13800000001,沪A33333,2024年5月10日,2026年6月1日,42000,,',
      '13800000001,沪A44444,2024-05-10,2026-06-01,42000,,',
      ',,,,,,',
    ]));
    expect(r).toMatchObject({ rows: 4, imported: 4 });
    const rows = await ctx.db.all<{ purchased_on: string; last_service_on: string }>('SELECT purchased_on, last_service_on FROM vehicles');
    expect(rows.every((v) => v.purchased_on === '2024-05-10' && v.last_service_on === '2026-06-01')).toBe(true);
    const bad = await failure(run('vehicles', csv('v2.csv', ['customer_phone,plate,purchased_on', '13800000001,沪A55555,2024/2/30'])));
    expect(bad.details).toEqual(['line 2: invalid purchased_on "2024/2/30": expected an existing date YYYY-MM-DD']);
  });
});

describe('bytes that are neither UTF-8 nor GB18030 (13.9)', () => {
  it('exit 2 naming the line; nothing imported, no U+FFFD', async () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, Buffer.concat([
      Buffer.from('name,phone\r\n张伟,13800000001\r\n', 'utf8'),
      Buffer.from([0xff, 0xfe, 0xfa, 0xfb]),
      Buffer.from(',13800000002\r\n', 'utf8'),
    ]));
    const err = await failure(run('customers', file));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^line 3: bytes that are neither UTF-8 nor GBK\/GB18030/);
    expect(await count('customers')).toBe(0);
    // the same bytes in a GBK file
    const gbk = path.join(dir, 'gbk.csv');
    fs.writeFileSync(gbk, Buffer.concat([
      Buffer.from([0xd0, 0xd5, 0xc3, 0xfb]), Buffer.from(',phone\r\n'), // 姓名 in GBK
      Buffer.from([0xd5, 0xc5, 0xce, 0xb0]), Buffer.from(',13800000001\r\n'), // 张伟
      Buffer.from([0xff, 0xfe, 0xfa, 0xfb]), Buffer.from(',13800000002\r\n'),
    ]));
    expect((await failure(run('customers', gbk))).message).toMatch(/^line 3: bytes that are neither/);
    expect(await count('customers')).toBe(0);
  });
});

describe('--skip-invalid when the rejected file cannot be written (13.5)', () => {
  it('a folder in the way: exit 2, nothing imported, no audit row', async () => {
    const file = csv('c.csv', ['name,phone', '张伟,13800000001', '李娜,12345']);
    fs.mkdirSync(path.join(dir, 'c.rejected.csv'));
    const err = await failure(run('customers', file, { skipInvalid: true }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('c.rejected.csv');
    expect(err.message).toContain('nothing imported');
    expect(await count('customers')).toBe(0);
    expect(await auditRows()).toBe(0);
  });
});

describe('big files (13.13)', () => {
  const big = (name: string, n: number, bad?: number) => {
    const lines = ['name,phone'];
    for (let i = 0; i < n; i++) lines.push(i === bad ? `坏行,1234` : `客户${i},139${String(i).padStart(8, '0')}`);
    return csv(name, lines);
  };

  it('the streaming parser gives the same records whatever the chunk boundaries', () => {
    const text = '\uFEFFa,b\r\n"x\r\ny",2\r\n"q""q",3\n\n4,"5"\r6,7\r\n';
    const whole = parseCsv(text);
    for (let size = 1; size <= 7; size++) {
      const rows: ReturnType<typeof parseCsv> = [];
      let rest = '';
      let line = 1;
      for (let i = 0; i < text.length; i += size) {
        const r = parseCsvChunk(rest + text.slice(i, i + size), line, false);
        rows.push(...r.rows);
        ({ rest, line } = r);
      }
      rows.push(...parseCsvChunk(rest, line, true).rows);
      expect(rows).toEqual(whole);
    }
  });

  it('all or nothing with a bad row late in the file; the staging table is gone afterwards', async () => {
    const err = await failure(run('customers', big('late.csv', 60_000, 59_990)));
    expect(err.message).toMatch(/^1 invalid row of 60000/);
    expect(err.details).toEqual(['line 59992: invalid phone "1234": expected a mainland mobile number: 11 digits starting 13–19 (landlines only for fleet customers)']);
    expect(await count('customers')).toBe(0);
    expect(await auditRows()).toBe(0);
    expect(await ctx.db.all("SELECT name FROM sqlite_temp_master WHERE type = 'table'")).toEqual([]);
    expect(await ctx.db.all("SELECT name FROM sqlite_master WHERE name LIKE 'import%'")).toEqual([]);
  });

  it('holds the write lock for one short transaction whose statements do not grow with the file', async () => {
    const inside: string[] = [];
    let open = false;
    const db = ctx.db as unknown as Record<'run' | 'all' | 'get' | 'exec', (sql: string, p?: unknown) => Promise<unknown>>;
    for (const m of ['run', 'all', 'get', 'exec'] as const) {
      const original = db[m]!.bind(ctx.db);
      db[m] = (sql: string, p?: unknown) => {
        if (sql === 'BEGIN IMMEDIATE') open = true;
        else if (sql === 'COMMIT' || sql === 'ROLLBACK') open = false;
        else if (open) inside.push(sql);
        return original(sql, p);
      };
    }
    const r = await run('customers', big('b.csv', 50_000));
    expect(r.imported).toBe(50_000);
    expect(inside.length).toBeLessThanOrEqual(4); // count, move, audit — not one INSERT per 10 000 rows
    expect(await ctx.db.get('SELECT id, name FROM customers WHERE phone = ?', ['13900049999'])).toEqual({ id: 50_000, name: '客户49999' });
  });

  it('a desk writes from its own connection while a big file is read and checked', async () => {
    const desk = await Db.open(ctx.db.file, { busyTimeoutMs: 2000 });
    try {
      const writes: Promise<unknown>[] = [];
      let i = 0;
      const r = await run('customers', big('desk.csv', 40_000), {
        // each progress step (every 10 000 rows) is a moment mid-import: a desk adds a customer then
        onProgress: (phase) => {
          if (phase !== 'checked') return;
          const n = i++;
          writes.push(desk.transaction((d) => d.run("INSERT INTO customers (name, phone, created_at) VALUES (?, ?, '2026-11-23T02:00:00.000Z')", [`柜台${n}`, `1370000000${n}`])));
        },
      });
      const results = await Promise.allSettled(writes);
      expect(results.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(r.imported).toBe(40_000);
      expect(await count('customers')).toBe(40_004);
    } finally {
      await desk.close();
    }
  });

  it('a desk adding a phone the file also holds while it is staged: the import refuses that row, nothing half-done', async () => {
    const desk = await Db.open(ctx.db.file, { busyTimeoutMs: 2000 });
    try {
      let added: Promise<unknown> | null = null;
      const err = await failure(run('customers', big('race.csv', 20_000), {
        onProgress: (phase, done) => {
          if (phase === 'checked' && done === 10_000) {
            added = desk.run("INSERT INTO customers (name, phone, created_at) VALUES ('柜台', '13900019999', '2026-11-23T02:00:00.000Z')");
          }
        },
      }));
      await added;
      expect(err.details).toEqual(['line 20001: phone 13900019999 already belongs to customer 1 (柜台)']);
      expect(await count('customers')).toBe(1);
    } finally {
      await desk.close();
    }
  });
});
