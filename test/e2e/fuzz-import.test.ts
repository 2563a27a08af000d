/**
 * Fuzz the CSV importer: a fixed list of hostile files through the binary (malformed quotes, stray
 * BOMs, mixed encodings, very long fields, binary junk, a 1 000 000-column line, empty and header-only
 * files…), then seeded byte-level mutations of a valid file through the importer in-process. Every
 * case: exit 0 with clean rows, or exit 2 (4 for a duplicate) with `pitstop: …`, nothing imported, no
 * stack trace. PITSTOP_FUZZ_LONG=1 runs many more mutations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDir, testCtx } from '../helpers.js';
import { hasForbidden, int, pick, rng } from '../fuzz/nasty.js';
import { importFile } from '../../src/app/importer.js';
import { PitstopError } from '../../src/errors.js';
import type { Ctx } from '../../src/app/context.js';
import { Db } from '../../src/db/sqlite.js';

const LONG = !!process.env.PITSTOP_FUZZ_LONG;
const SEED = Number(process.env.PITSTOP_FUZZ_SEED ?? 20261123);
const MUTATIONS = LONG ? 5_000 : 300;

const findings: string[] = [];
afterAll(() => {
  if (findings.length) console.log(`[import fuzz findings] ${findings.join(' | ')}`);
});

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** 张三 in GBK, written by hand so no encoder library is needed. */
const GBK_ZHANGSAN = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]);

interface FileCase {
  name: string;
  bytes: Buffer;
  /** exit codes accepted */
  codes: number[];
  /** rows expected imported when it succeeds */
  rows?: number;
}

function fileCases(): FileCase[] {
  const r = rng(SEED);
  const junk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(r() * 256);
  const wide = 'name,phone' + ',x'.repeat(999_998) + '\n';
  return [
    { name: 'empty file', bytes: Buffer.alloc(0), codes: [2] },
    { name: 'BOM only', bytes: BOM, codes: [2] },
    { name: 'blank lines only', bytes: utf8('\r\n\r\n\n'), codes: [2] },
    { name: 'header only', bytes: utf8('name,phone\r\n'), codes: [2], rows: 0 },
    { name: 'unclosed quote', bytes: utf8('name,phone\n"张三,13800000001\n李四,13800000002\n'), codes: [2] },
    { name: 'text after closing quote', bytes: utf8('name,phone\n"张三"x,13800000001\n'), codes: [2] },
    { name: 'bare quote inside a cell', bytes: utf8('name,phone\n张"三,13800000001\n'), codes: [0, 2], rows: 1 },
    { name: 'stray BOM before a row', bytes: Buffer.concat([utf8('name,phone\n'), BOM, utf8('张三,13800000001\n')]), codes: [0, 2], rows: 1 },
    { name: 'double BOM', bytes: Buffer.concat([BOM, BOM, utf8('name,phone\n张三,13800000001\n')]), codes: [0, 2], rows: 1 },
    { name: 'mixed UTF-8 and GBK', bytes: Buffer.concat([utf8('name,phone\n李四,13800000002\n'), GBK_ZHANGSAN, utf8(',13800000001\n')]), codes: [2], rows: 0 },
    { name: 'GBK file', bytes: Buffer.concat([utf8('name,phone\n'), GBK_ZHANGSAN, utf8(',13800000001\n')]), codes: [0], rows: 1 },
    { name: 'UTF-16LE with BOM', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,phone\n张三,13800000001\n', 'utf16le')]), codes: [2] },
    { name: '1 MB name', bytes: utf8(`name,phone\n${'张'.repeat(1_000_000)},13800000001\n`), codes: [2] },
    { name: '1 MB quoted cell with newlines', bytes: utf8(`name,phone,note\n张三,13800000001,"${'行\n'.repeat(300_000)}"\n`), codes: [0, 2], rows: 1 },
    { name: 'binary junk', bytes: junk, codes: [2] },
    { name: 'NUL bytes in a cell', bytes: utf8('name,phone\n张\u0000三,13800000001\n'), codes: [2] },
    { name: '1 000 000-column header', bytes: utf8(wide + '张三,13800000001\n'), codes: [0, 2] },
    { name: '1 000 000-column row', bytes: utf8('name,phone\n张三,13800000001' + ','.repeat(999_998) + '\n'), codes: [0, 2] },
    { name: 'CR line endings', bytes: utf8('name,phone\r张三,13800000001\r李四,13800000002\r'), codes: [0], rows: 2 },
    { name: 'SQL metacharacters', bytes: utf8(`name,phone\n"Robert'); DROP TABLE customers;--",13800000001\n`), codes: [0], rows: 1 },
    { name: 'RTL override in a name', bytes: utf8('name,phone\n张\u202e三,13800000001\n'), codes: [2] },
    { name: 'one bad row among many', bytes: utf8('name,phone\n' + Array.from({ length: 5000 }, (_, i) => `客户${i},137${String(i).padStart(8, '0')}`).join('\n') + '\n坏,12345\n'), codes: [2] },
    { name: 'duplicate phone in the file', bytes: utf8('name,phone\n张三,13800000001\n李四,+8613800000001\n'), codes: [2, 4] },
    { name: 'wrong header', bytes: utf8('foo,bar\n1,2\n'), codes: [2] },
  ];
}

describe('fuzz: hostile CSV files through pitstop import', () => {
  it('each is imported whole and clean, or refused with a clear message and nothing imported', async () => {
    const dir = tempDir('pitstop-import-fuzz-');
    const dbFile = path.join(dir, 'pitstop.db');
    const run = cliFor(dbFile);
    expect(run(['customer', 'add', '--name', '老客户', '--phone', '13900000000', '-q']).code).toBe(0);
    const db = await Db.open(dbFile, { readonly: true });
    const count = async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM customers'))!.n;
    const audit = async () => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!.n;
    const failures: string[] = [];
    const outcomes: string[] = [];
    try {
      for (const [k, c] of fileCases().entries()) {
        // each file its own phone numbers, so one file's rows never collide with another's
        c.bytes = Buffer.from(c.bytes.toString('latin1').replaceAll('1380000000', `138${String(k).padStart(2, '0')}00000`), 'latin1');
        const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.csv`);
        fs.writeFileSync(file, c.bytes);
        const before = await count();
        const auditBefore = await audit();
        const res = run(['import', 'customers', file]);
        const added = (await count()) - before;
        outcomes.push(`${c.name}: exit ${res.code}${res.code === 0 ? ` (${added} rows)` : ''}`);
        if (!c.codes.includes(res.code)) failures.push(`${c.name}: exit ${res.code}, expected ${c.codes.join('/')}: ${res.stderr.slice(0, 200)}`);
        if (/\n\s+at |internal error/.test(res.stderr)) failures.push(`${c.name}: stack trace: ${res.stderr.slice(0, 200)}`);
        if (res.code !== 0) {
          if (!res.stderr.startsWith('pitstop: ')) failures.push(`${c.name}: stderr ${res.stderr.slice(0, 100)}`);
          if (res.stderr.length > 2000) failures.push(`${c.name}: a ${res.stderr.length}-character error message`);
          if (added !== 0 || (await audit()) !== auditBefore) failures.push(`${c.name}: failed but wrote ${added} rows`);
        } else {
          if (c.rows !== undefined && added !== c.rows) failures.push(`${c.name}: imported ${added} rows, expected ${c.rows}`);
          const rows = await db.all<{ name: string; phone: string }>('SELECT name, phone FROM customers ORDER BY id DESC LIMIT ?', [Math.max(added, 0)]);
          for (const row of rows) {
            if (hasForbidden(row.name) || !/^1[3-9]\d{9}$/.test(row.phone)) failures.push(`${c.name}: stored ${JSON.stringify(row).slice(0, 80)}`);
            if (/\ufeff/.test(row.name)) findings.push(`${c.name}: a BOM kept inside the name`);
            if (/[寮犱笁]/.test(row.name)) findings.push(`${c.name}: UTF-8 text decoded as GBK (mojibake ${JSON.stringify(row.name)})`);
          }
        }
      }
      const integrity = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
      expect(integrity.map((x) => x.integrity_check)).toEqual(['ok']);
    } finally {
      await db.close();
    }
    console.log(`[figures] import fuzz, hostile files: ${outcomes.join('; ')}`);
    expect(failures).toEqual([]);
  }, 180_000);
});

describe(`fuzz: ${MUTATIONS} seeded mutations of a valid CSV through the importer in-process`, () => {
  let ctx: Ctx;
  const dir = tempDir('pitstop-import-mut-');
  beforeAll(async () => {
    ctx = await testCtx('2026-11-23 10:00', path.join(dir, 'pitstop.db'));
  });
  afterAll(async () => {
    await ctx?.db.close();
  });

  const base = Buffer.concat([
    BOM,
    utf8('姓名,手机,类型,单位,地址,备注\r\n'),
    ...Array.from({ length: 40 }, (_, i) => utf8(`客户${i},137${String(i).padStart(8, '0')},${i % 5 ? 'private' : 'fleet'},"公司, ${i}","地址""${i}""",备注${i}\r\n`)),
  ]);
  const pieces = [BOM, utf8('"'), utf8(','), utf8('\n'), utf8('\r'), Buffer.from([0]), Buffer.from([0xff]), Buffer.from([0xc3]), GBK_ZHANGSAN, utf8('\u202e'), utf8('""'), utf8('=1+1')];

  function mutateBytes(r: () => number, b: Buffer): Buffer {
    let out = Buffer.from(b);
    for (let k = int(r, 1, 4); k > 0; k--) {
      const at = int(r, 0, out.length);
      switch (int(r, 0, 4)) {
        case 0: out = Buffer.concat([out.subarray(0, at), pick(r, pieces), out.subarray(at)]); break;
        case 1: out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + int(r, 1, 20)))]); break;
        case 2: if (out.length) out[Math.min(at, out.length - 1)] = int(r, 0, 255); break;
        case 3: out = out.subarray(0, at); break;
        default: out = Buffer.concat([out.subarray(0, at), Buffer.from(out.subarray(at, at + 30)), out.subarray(at)]);
      }
    }
    return out;
  }

  it('never throws anything but a PitstopError, and a failed import writes nothing', async () => {
    const r = rng(SEED + 7);
    const failures: string[] = [];
    const tally: Record<string, number> = {};
    const file = path.join(dir, 'm.csv');
    for (let i = 0; i < MUTATIONS; i++) {
      fs.writeFileSync(file, mutateBytes(r, base));
      const before = (await ctx.db.get<{ n: number; a: number }>('SELECT (SELECT COUNT(*) FROM customers) AS n, (SELECT COUNT(*) FROM audit_log) AS a'))!;
      let outcome: string;
      try {
        const res = await importFile(ctx, 'customers', file);
        outcome = 'ok';
        const rows = await ctx.db.all<{ name: string; phone: string }>('SELECT name, phone FROM customers ORDER BY id DESC LIMIT ?', [res.imported]);
        for (const row of rows) if (hasForbidden(row.name) || !/^(1[3-9]\d{9}|0\d{9,11})$/.test(row.phone)) failures.push(`case ${i}: stored ${JSON.stringify(row)}`);
        // start over for the next case
        await ctx.db.exec('DELETE FROM customers; DELETE FROM audit_log;');
      } catch (err) {
        if (!(err instanceof PitstopError)) {
          failures.push(`case ${i}: ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
          outcome = 'crash';
        } else {
          outcome = `exit ${err.exitCode}`;
          if (![2, 4].includes(err.exitCode)) failures.push(`case ${i}: exit ${err.exitCode}: ${err.message}`);
          const after = (await ctx.db.get<{ n: number; a: number }>('SELECT (SELECT COUNT(*) FROM customers) AS n, (SELECT COUNT(*) FROM audit_log) AS a'))!;
          if (after.n !== before.n || after.a !== before.a) failures.push(`case ${i}: failed but wrote rows`);
        }
      }
      tally[outcome] = (tally[outcome] ?? 0) + 1;
    }
    console.log(`[figures] import fuzz, ${MUTATIONS} mutations: ${JSON.stringify(tally)}, ${failures.length} failures`);
    expect(failures.slice(0, 10)).toEqual([]);
  }, MUTATIONS * 200 + 60_000);
});
