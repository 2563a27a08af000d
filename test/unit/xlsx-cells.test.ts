import { describe, expect, it } from 'vitest';
import { cellXml, columnLetters, daySerial, displayWidth, localSerial, looksLikeFormula, serialText, xmlText } from '../../src/xlsx/cells.js';
import { columnIndex, isDateFormat, numberText, parseXml } from '../../src/xlsx/read.js';

const TZ = 'Asia/Shanghai';

describe('xlsx cells: decided by the column type, never by the value', () => {
  it.each([
    ['text', '02157970561', '<c s="1" t="inlineStr"><is><t>02157970561</t></is></c>'],
    ['text', '0012', '<c s="1" t="inlineStr"><is><t>0012</t></is></c>'],
    ['text', '1E5', '<c s="1" t="inlineStr"><is><t>1E5</t></is></c>'],
    ['text', '=HYPERLINK("x")', '<c s="2" t="inlineStr"><is><t>=HYPERLINK(&quot;x&quot;)</t></is></c>'],
    ['text', '－120', '<c s="2" t="inlineStr"><is><t>－120</t></is></c>'],
    ['text', '王五\n请检查', '<c s="1" t="inlineStr"><is><t xml:space="preserve">王五\n请检查</t></is></c>'],
    ['money', 123456, '<c s="3"><v>1234.56</v></c>'],
    ['money', null, '<c s="3"><v>0</v></c>'],
    ['money', -6000, '<c s="3"><v>-60</v></c>'],
    ['int', -60, '<c s="4"><v>-60</v></c>'],
    ['int', null, ''],
    ['decimal1', 52.5, '<c s="5"><v>52.5</v></c>'],
    ['decimal2', 4.25, '<c s="6"><v>4.25</v></c>'],
    ['date', '2026-11-18', '<c s="7"><v>46344</v></c>'],
    ['date', '', ''],
    ['datetime', '2026-11-24T15:30:00.000Z', `<c s="8"><v>${46350 + 23.5 / 24}</v></c>`],
  ] as const)('%s %j', (type, value, xml) => {
    expect(cellXml(type, value, TZ)).toBe(xml);
  });

  it('formula-looking text: ASCII and full-width starts, not a quote added', () => {
    for (const s of ['=1+1', '+86', '-x', '@SUM', '\tx', '\rx', '\nx', '＝1', '＋1', '－1', '＠x']) expect(looksLikeFormula(s)).toBe(true);
    for (const s of ['', 'a=1', '0=1', "'=1"]) expect(looksLikeFormula(s)).toBe(false);
    expect(cellXml('text', '=1+1', TZ)).not.toContain("'");
  });

  it('escapes XML and Excel _xHHHH_ sequences, drops characters XML cannot carry', () => {
    expect(xmlText('a<b>&"c"')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(xmlText('_x0041_')).toBe('_x005F_x0041_');
    expect(xmlText('a\u0001b\u0007c\td')).toBe('abc\td');
  });

  it('serials: days since 1899-12-30, minutes as the fraction, and back', () => {
    expect(daySerial('1900-03-01')).toBe(61);
    expect(daySerial('2026-11-18')).toBe(46344);
    expect(daySerial('18/11/2026')).toBeNull();
    expect(localSerial('2026-11-18 12:00')).toBe(46344.5);
    expect(serialText(46344, false)).toBe('2026-11-18');
    expect(serialText(46344.5, true)).toBe('2026-11-18 12:00');
    expect(serialText(46344 + 23.5 / 24, true)).toBe('2026-11-18 23:30');
    expect(serialText(46344, true)).toBe('2026-11-18');
  });

  it('column letters and indexes', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(['A1', 'Z9', 'AA10', 'BC12', 'AAA1'].map(columnIndex)).toEqual([0, 25, 26, 54, 702]);
  });

  it('display width counts Chinese characters as two', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('王五')).toBe(4);
    expect(displayWidth('沪A10004')).toBe(8);
    expect(displayWidth('（全角）')).toBe(8);
  });
});

describe('xlsx reader helpers', () => {
  it('date formats', () => {
    for (const f of ['yyyy-mm-dd', 'yyyy\\-mm\\-dd', 'd/m/yy', 'yyyy"年"m"月"d"日"', '[$-804]yyyy/m/d', 'hh:mm']) expect(isDateFormat(f)).toBe(true);
    for (const f of ['0.00', 'General', '@', '"day"0', '[Red]0.00', '#,##0']) expect(isDateFormat(f)).toBe(false);
  });
  it('numbers as typed: no exponent, no float noise', () => {
    expect(numberText(13800000001)).toBe('13800000001');
    expect(numberText(2157970561)).toBe('2157970561');
    expect(numberText(1e20)).toBe('100000000000000000000');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(1234.5)).toBe('1234.5');
  });
  it('parses elements, attributes, entities, CDATA; skips comments', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><a x="1&amp;2"><b>t&lt;<![CDATA[<raw>]]></b><c/></a>');
    const a = root.children[0] as { name: string; attrs: Record<string, string>; children: unknown[] };
    expect(a.name).toBe('a');
    expect(a.attrs.x).toBe('1&2');
    expect(a.children).toHaveLength(2);
    expect((a.children[0] as { children: string[] }).children.join('')).toBe('t<<raw>');
  });
});
