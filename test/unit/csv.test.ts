import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRecord, formatCell, guardFormula, headerRecord, quoteCell, removeStaleTemps, rowWriter, sortedRecords, writeCsv } from '../../src/csv.js';
import type { Column, Row } from '../../jobs/types.js';
import { tempDir } from '../helpers.js';

const TZ = 'Asia/Shanghai';

describe('formula guard (text cells only)', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+8613800000000', "'+8613800000000"],
    ['-60', "'-60"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['\nx', "'\nx"],
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠a', "'＠a"],
    ['a=b', 'a=b'],
    ['张三', '张三'],
    ['', ''],
    [' =1', ' =1'],
  ])('%j → %j', (input, expected) => {
    expect(guardFormula(input)).toBe(expected);
  });
});

describe('quoting (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line1\nline2', '"line1\nline2"'],
    ['cr\rhere', '"cr\rhere"'],
    ['中文，全角逗号', '中文，全角逗号'],
  ])('%j → %j', (input, expected) => {
    expect(quoteCell(input)).toBe(expected);
  });

  it('a guarded cell that starts with a line feed is also quoted', () => {
    expect(csvRecord([formatCell('text', '\n=1', TZ)])).toBe(`"'\n=1"\r\n`);
  });
});

describe('cell formats', () => {
  it.each<[Column['type'], Row[string], string]>([
    ['money', 123450, '1234.50'],
    ['money', 5, '0.05'],
    ['money', -6000, '-60.00'],
    ['money', 0, '0.00'],
    ['money', null, '0.00'],
    ['money', undefined, '0.00'],
    ['int', -60, '-60'],
    ['int', 0, '0'],
    ['int', null, ''],
    ['decimal1', 52.3, '52.3'],
    ['decimal1', 50, '50.0'],
    ['decimal2', 4.5, '4.50'],
    ['decimal2', null, ''],
    ['date', '2026-11-23', '2026-11-23'],
    ['date', null, ''],
    ['date', '', ''],
    // 01:30Z is 09:30 in Shanghai; 16:30Z on the 23rd is 00:30 on the 24th
    ['datetime', '2026-11-23T01:30:00.000Z', '2026-11-23 09:30'],
    ['datetime', '2026-11-23T16:30:00.000Z', '2026-11-24 00:30'],
    ['datetime', null, ''],
    ['text', null, ''],
    ['text', '-60', "'-60"],
    ['text', 42, '42'],
  ])('%s %j → %j', (type, value, expected) => {
    expect(formatCell(type, value, TZ)).toBe(expected);
  });

  it('numbers are never prefixed and a negative money value stays a number', () => {
    const line = csvRecord([formatCell('money', -6000, TZ), formatCell('int', -3, TZ), formatCell('text', '-3', TZ)]);
    expect(line).toBe("-60.00,-3,'-3\r\n");
  });
});

const columns: Column[] = [
  { key: 'name', zh: '客户', en: 'Customer', type: 'text' },
  { key: 'amount', zh: '金额', en: 'Amount', type: 'money' },
  { key: 'at', zh: '时间', en: 'Time', type: 'datetime' },
];

describe('rowWriter', () => {
  const types = ['text', 'money', 'int', 'decimal1', 'decimal2', 'date', 'datetime'] as const;
  const all: Column[] = types.map((type) => ({ key: type, zh: type, en: type, type }));
  const values: Array<Record<string, string | number | null>> = [
    { text: 'a,b', money: 123456, int: 7, decimal1: 1.5, decimal2: 2.25, date: '2026-11-23', datetime: '2026-11-23T01:30:00.000Z' },
    { text: 'say "hi"\nthen =go', money: -5, int: '-3', decimal1: null, decimal2: 'x', date: '2026,11', datetime: null },
    { text: null, money: null, int: null, decimal1: 0, decimal2: -0.5, date: 'a"b', datetime: '2026-11-23T16:30:00.000Z' },
    { text: '=SUM(A1)', money: '1,5', int: '1,5', decimal1: '1\n2', decimal2: 3, date: '', datetime: '' },
  ];
  it.each(values)('writes what csvRecord(formatCell…) writes: %j', (row) => {
    expect(rowWriter(all, TZ)(row)).toBe(csvRecord(all.map((c) => formatCell(c.type, row[c.key], TZ))));
  });

  it('no columns: an empty record', () => expect(rowWriter([], TZ)({})).toBe('\r\n'));

  it('writes what csvRecord(formatCell…) writes, on 2 000 random rows of awkward values', () => {
    let seed = 11;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pieces = ['', 'a', '张三', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', '＝', '＋', '－', '＠', '😀', ' ', "'", '0', '1.5', '-7'];
    const value = (): string | number | null =>
      [null, '', rnd(2e6) - 1e6, (rnd(2e6) - 1e6) / 100, Array.from({ length: 1 + rnd(4) }, () => pieces[rnd(pieces.length)]).join('')][rnd(5)]!;
    const write = rowWriter(all, TZ);
    for (let i = 0; i < 2000; i++) {
      const row = Object.fromEntries(types.map((t) => [t, t === 'datetime' && rnd(2) ? '2026-11-23T16:30:00.000Z' : t === 'datetime' ? null : value()]));
      expect(write(row), JSON.stringify(row)).toBe(csvRecord(all.map((c) => formatCell(c.type, row[c.key], TZ))));
    }
  });
});

describe('header row', () => {
  it('keys by default, labels by locale', () => {
    expect(headerRecord(columns, { headers: 'keys', locale: 'zh-CN' })).toBe('name,amount,at\r\n');
    expect(headerRecord(columns, { headers: 'labels', locale: 'zh-CN' })).toBe('客户,金额,时间\r\n');
    expect(headerRecord(columns, { headers: 'labels', locale: 'en' })).toBe('Customer,Amount,Time\r\n');
  });
});

async function* rowsOf(rows: Row[]): AsyncIterable<Row> {
  for (const r of rows) yield r;
}

describe('writeCsv', () => {
  const rows: Row[] = [
    { name: '张三', amount: 12345, at: '2026-11-23T01:30:00.000Z', extra: 'not written' },
    { name: '=HYPERLINK("x")', amount: null, at: null },
    { name: 'two\nlines', amount: -6000, at: '2026-11-23T16:30:00.000Z' },
  ];

  it('writes BOM, header, CRLF rows; mode 0600; no temp file left', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.csv');
    const n = await writeCsv(file, columns, rowsOf(rows), { tz: TZ, bom: true, headers: 'keys', locale: 'zh-CN' });
    expect(n).toBe(3);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1)).toBe(
      'name,amount,at\r\n' +
        '张三,123.45,2026-11-23 09:30\r\n' +
        `"'=HYPERLINK(""x"")",0.00,\r\n` +
        '"two\nlines",-60.00,2026-11-24 00:30\r\n',
    );
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['x.csv']);
  });

  it('without BOM, labels in English', async () => {
    const file = path.join(tempDir(), 'y.csv');
    await writeCsv(file, columns, rowsOf([]), { tz: TZ, bom: false, headers: 'labels', locale: 'en' });
    expect(fs.readFileSync(file, 'utf8')).toBe('Customer,Amount,Time\r\n');
  });

  it('the same rows give a byte-identical file', async () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.csv');
    const opts = { tz: TZ, bom: true, headers: 'keys' as const, locale: 'zh-CN' as const };
    await writeCsv(a, columns, rowsOf(rows), opts);
    const first = fs.readFileSync(a);
    await writeCsv(a, columns, rowsOf(rows), opts);
    expect(fs.readFileSync(a).equals(first)).toBe(true);
  });

  it('a failing row source leaves neither a file nor a temp file, and keeps an older file intact', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'z.csv');
    fs.writeFileSync(file, 'old');
    async function* failing(): AsyncIterable<Row> {
      yield { name: 'a', amount: 1, at: null };
      throw new Error('boom');
    }
    await expect(writeCsv(file, columns, failing(), { tz: TZ, bom: true, headers: 'keys', locale: 'zh-CN' })).rejects.toThrow('boom');
    expect(fs.readdirSync(dir)).toEqual(['z.csv']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
  });

  it('streams: large outputs are flushed while rows are still coming', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.csv');
    let sizeSeenMidway = -1;
    async function* many(): AsyncIterable<Row> {
      for (let i = 0; i < 20000; i++) {
        if (i === 15000) {
          const temp = fs.readdirSync(dir).find((n) => n.endsWith('.tmp'))!;
          sizeSeenMidway = fs.statSync(path.join(dir, temp)).size;
        }
        yield { name: `customer ${i}`, amount: i, at: null };
      }
    }
    expect(await writeCsv(file, columns, many(), { tz: TZ, bom: false, headers: 'keys', locale: 'zh-CN' })).toBe(20000);
    expect(sizeSeenMidway).toBeGreaterThan(100_000);
    expect(fs.readFileSync(file, 'utf8').split('\r\n')).toHaveLength(20002);
  });

  it('sorting: rows that come in any order are written by key, ties in arrival order; onRow sees them as they arrive', async () => {
    const file = path.join(tempDir(), 's.csv');
    const arriving: Row[] = [
      { name: 'c', amount: 300, k: 'b' },
      { name: 'a,1', amount: 100, k: 'a' },
      { name: 'd', amount: 400, k: 'b' },
      { name: '=b', amount: 200, k: 'a' },
    ];
    const seen: unknown[] = [];
    const n = await writeCsv(file, columns, rowsOf(arriving), { tz: TZ, bom: false, headers: 'keys', locale: 'zh-CN' }, {
      onRow: (r) => seen.push(r.name),
      sorting: { key: (r) => r.k as string },
    });
    expect(n).toBe(4);
    expect(seen).toEqual(['c', 'a,1', 'd', '=b']); // as they arrive
    expect(fs.readFileSync(file, 'utf8')).toBe('name,amount,at\r\n"a,1",1.00,\r\n\'=b,2.00,\r\nc,3.00,\r\nd,4.00,\r\n');
    const out = await sortedRecords(columns, rowsOf(arriving), TZ, { key: (r) => String(1000 - (r.amount as number)) });
    expect(out.map((r) => r.toString())).toEqual(['d,4.00,\r\n', 'c,3.00,\r\n', "'=b,2.00,\r\n", '"a,1",1.00,\r\n']);
  });

  it('sorting: a large output comes out whole and in order across write chunks', async () => {
    const file = path.join(tempDir(), 'big-sorted.csv');
    async function* backwards(): AsyncIterable<Row[]> {
      for (let i = 19_999; i >= 0; i -= 1000) yield Array.from({ length: 1000 }, (_, k) => ({ name: `客户 ${String(i - k).padStart(5, '0')}`, amount: i - k, at: null }));
    }
    const n = await writeCsv(file, columns, backwards(), { tz: TZ, bom: true, headers: 'keys', locale: 'zh-CN' }, { sorting: { key: (r) => r.name as string } });
    expect(n).toBe(20_000);
    const lines = fs.readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFFname,amount,at');
    expect(lines.slice(1, -1)).toEqual(Array.from({ length: 20_000 }, (_, i) => `客户 ${String(i).padStart(5, '0')},${(i / 100).toFixed(2)},`));
  });

  it('removes temp files left by a dead process in the folder (whatever file they were for), not those of live ones', () => {
    const dir = tempDir();
    const file = path.join(dir, 'r.csv');
    const dead = path.join(dir, '.r.csv.999999999.abcd.tmp');
    const live = path.join(dir, `.r.csv.${process.ppid}.abcd.tmp`);
    const other = path.join(dir, '.s.csv.999999999.abcd.tmp');
    for (const f of [dead, live, other]) fs.writeFileSync(f, 'x');
    removeStaleTemps(file);
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    // a killed run of another list, or a killed backup, leaves litter in the same folder: it goes too (issue 13.6)
    expect(fs.existsSync(other)).toBe(false);
  });
});

describe('writeCsv abandoned by a signal', () => {
  it('removes the temp file, keeps the older file and fails with exit 130', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.csv');
    fs.writeFileSync(file, 'old');
    const controller = new AbortController();
    async function* rows(): AsyncIterable<Row> {
      for (let i = 0; ; i++) {
        if (i === 100_000) controller.abort();
        yield { name: `n${i}`, amount: i, at: null };
      }
    }
    const err = await writeCsv(file, columns, rows(), { tz: TZ, bom: true, headers: 'keys', locale: 'zh-CN' }, { signal: controller.signal }).catch((e) => e);
    expect(err.exitCode).toBe(130);
    expect(fs.readdirSync(dir)).toEqual(['a.csv']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
  });
});
