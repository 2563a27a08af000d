import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { bar, displayWidth, fields, json, table } from '../../src/cli/format.js';
import { csvField, csvLine } from '../../src/app/exporter.js';
import { decodeCsv, parseCsv, rejectedPath } from '../../src/app/importer.js';

describe('terminal tables', () => {
  it('counts CJK and full-width characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('张伟')).toBe(4);
    expect(displayWidth('京A12345')).toBe(8);
    expect(displayWidth('ＡＢ')).toBe(4);
  });

  it('aligns columns by display width, numbers to the right', () => {
    const text = table(
      [{ name: '张伟', n: 5 }, { name: 'Bob', n: 120 }],
      [{ header: 'name', value: (r) => r.name }, { header: 'n', value: (r) => r.n, right: true }],
    );
    expect(text).toBe('name    n\n张伟    5\nBob   120\n');
  });

  it('keeps every row on one line', () => {
    expect(table([{ a: 'x\ny' }], [{ header: 'a', value: (r) => r.a }])).toBe('a\nx y\n');
  });

  it('fields leave out empty values', () => {
    expect(fields([['name', '张伟'], ['company', null], ['phone', '138']])).toBe('name   张伟\nphone  138\n');
  });

  it('json and bar', () => {
    expect(json({ a: 1 })).toBe('{\n  "a": 1\n}\n');
    expect(bar(5, 10, 4)).toBe('██');
    expect(bar(0, 10)).toBe('');
  });
});

describe('CSV writer', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+86 138', "'+86 138"],
    ['-120.50', "'-120.50"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\nx', '"\'\nx"'],
    ['＝1+1', "'＝1+1"],
    ['张伟', '张伟'],
  ])('text %j → %j', (value, cell) => expect(csvField(value)).toBe(cell));

  it('numbers and empty values are left alone', () => {
    expect(csvField(-12050)).toBe('-12050');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('=x', false)).toBe('=x');
  });

  it('records end with CRLF', () => {
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('what it writes reads back the same through csv-parse', () => {
    const rows = [['a,b', 'say "hi"', 'two\r\nlines', '张伟', '']];
    const text = rows.map((r) => csvLine(r, false)).join('');
    expect(parse(text)).toEqual(rows);
  });
});

describe('CSV reader (importer)', () => {
  const cases: Array<[string, string]> = [
    ['simple', 'a,b\r\n1,2\r\n'],
    ['LF only and no final newline', 'a,b\n1,2'],
    ['CR only', 'a,b\r1,2\r'],
    ['quoted comma, quote and newline', 'name,note\r\n张伟,"a, ""b""\r\nc"\r\n王芳,x\r\n'],
    ['empty cells', ',,\r\na,,c\r\n'],
    ['trailing comma', 'a,b,\r\n'],
    ['quoted empty', '"",x\r\n'],
  ];
  it.each(cases)('%s: same records as csv-parse', (_name, text) => {
    expect(parseCsv(text).map((r) => r.cells)).toEqual(parse(text, { relax_column_count: true, skip_empty_lines: true }));
  });

  it('agrees with csv-parse on 500 random files (seeded)', () => {
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = ['a', '张', ',', '"', '\r\n', '\n', ' ', '1', '='];
    for (let f = 0; f < 500; f++) {
      const rows = Array.from({ length: 1 + rand(5) }, () =>
        Array.from({ length: 3 }, () => Array.from({ length: rand(6) }, () => alphabet[rand(alphabet.length)]).join('')),
      );
      const text = rows.map((r) => csvLine(r, false)).join('');
      const ours = parseCsv(text).map((r) => r.cells);
      expect(ours, JSON.stringify(text)).toEqual(rows);
      expect(ours).toEqual(parse(text, { relax_column_count: true }));
    }
  });

  it('gives each record the line it starts on (the header is line 1)', () => {
    const rows = parseCsv('\uFEFFh1,h2\r\n1,"x\r\ny"\r\n\r\n3,4\n5,6');
    expect(rows.map((r) => [r.line, r.cells])).toEqual([
      [1, ['h1', 'h2']],
      [2, ['1', 'x\r\ny']],
      [4, ['']],
      [5, ['3', '4']],
      [6, ['5', '6']],
    ]);
  });

  it('refuses an unclosed quote and text after a closing quote, with the line', () => {
    expect(() => parseCsv('a,b\r\n1,"open\r\n')).toThrow(/line 2: a quoted cell is never closed/);
    expect(() => parseCsv('a,b\r\n\r\n"x"y,2\r\n')).toThrow(/line 3: text after a closing quote/);
  });

  it('decodes UTF-8 with or without BOM, else GB18030', () => {
    expect(decodeCsv(Buffer.from('\uFEFF姓名', 'utf8'))).toEqual({ text: '姓名', encoding: 'utf-8' });
    expect(decodeCsv(Buffer.from('姓名', 'utf8'))).toEqual({ text: '姓名', encoding: 'utf-8' });
    expect(decodeCsv(Buffer.from([0xd0, 0xd5, 0xc3, 0xfb]))).toEqual({ text: '姓名', encoding: 'gb18030' }); // 姓名 in GBK
  });

  it('refuses UTF-16 (Excel "Unicode Text") with advice', () => {
    expect(() => decodeCsv(Buffer.from([0xff, 0xfe, 0x53, 0x59]))).toThrow(/UTF-16.*save it as "CSV UTF-8"/);
  });

  it('names the rejected file beside the input', () => {
    expect(rejectedPath('/data/x.csv')).toBe('/data/x.rejected.csv');
    expect(rejectedPath('/data/客户.CSV')).toBe('/data/客户.rejected.CSV');
    expect(rejectedPath('/data/list')).toBe('/data/list.rejected.csv');
  });
});
