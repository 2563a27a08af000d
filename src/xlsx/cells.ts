/**
 * The pure part of the workbook writer (SPEC §14): how one job cell becomes one SpreadsheetML cell,
 * decided by the column's type, never by the value (a phone `02157970561` is text because its column
 * is text). No I/O here; src/xlsx/write.ts streams these strings into the zip.
 */
import type { Column, ColumnType, Row } from '../../jobs/types.js';
import { formatLocal } from '../domain/time.js';

/** Style ids of styles.xml (cellXfs), in order. */
export const STYLE = {
  general: 0,
  text: 1,
  textQuoted: 2,
  money: 3,
  int: 4,
  decimal1: 5,
  decimal2: 6,
  date: 7,
  datetime: 8,
  header: 9,
} as const;

/** Leading characters a spreadsheet may run as a formula (the CSV writer's list: ASCII and full-width). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);
export const looksLikeFormula = (text: string): boolean => text.length > 0 && FORMULA_START.has(text[0]!);

// XML 1.0 cannot carry most C0 controls at all; they are dropped (tab, CR and LF stay).
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text for an XML text node or attribute. Excel reads `_xHHHH_` in a cell as an escape: its `_` is escaped too. */
const NEEDS_ESCAPE = /[&<>"_\u0000-\u001F\uFFFE\uFFFF]/;
export function xmlText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
}

const EPOCH_1899 = Date.UTC(1899, 11, 30);

/** A calendar day → the spreadsheet's date serial (days since 1899-12-30). null when not `YYYY-MM-DD`. */
export function daySerial(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  return (Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) - EPOCH_1899) / 86_400_000;
}

/** A shop-local `YYYY-MM-DD HH:mm` → the date-time serial, to the minute. */
export function localSerial(local: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const days = (Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) - EPOCH_1899) / 86_400_000;
  const minutes = +m[4]! * 60 + +m[5]!;
  return minutes === 0 ? days : days + minutes / 1440;
}

/** A serial back to `YYYY-MM-DD` (and ` HH:mm` when it has a time of day), rounded to the minute. */
export function serialText(serial: number, withTime: boolean): string {
  const minutes = Math.round(serial * 1440);
  const iso = new Date(EPOCH_1899 + minutes * 60_000).toISOString();
  return withTime && minutes % 1440 !== 0 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

const EDGE_SPACE = /^\s|\s$|\n/;
function textCell(text: string): string {
  const start = FORMULA_START.has(text[0]!) ? '<c s="2" t="inlineStr"><is><t' : '<c s="1" t="inlineStr"><is><t';
  return (EDGE_SPACE.test(text) ? start + ' xml:space="preserve">' : start + '>') + xmlText(text) + '</t></is></c>';
}

const numberCell = (style: number, n: number) => `<c s="${style}"><v>${n}</v></c>`;

/** An empty cell is not written: the next cell carries its column in `r`. */
const EMPTY = '';

/** One cell's XML, `<c s=…>…</c>` without its `r` (rowCellsXml adds it); '' for an empty cell. */
export function cellXml(type: ColumnType, value: Row[string], tz: string): string {
  const blank = value === null || value === undefined || value === '';
  if (blank) return type === 'money' ? numberCell(STYLE.money, 0) : EMPTY;
  switch (type) {
    case 'text':
      return textCell(typeof value === 'string' ? value : String(value));
    case 'money':
      return numberCell(STYLE.money, Number(value) / 100);
    case 'int': {
      const n = Math.trunc(Number(value));
      return Number.isFinite(n) ? numberCell(STYLE.int, n) : EMPTY;
    }
    case 'decimal1':
    case 'decimal2': {
      const n = Number(value);
      return Number.isFinite(n) ? numberCell(type === 'decimal1' ? STYLE.decimal1 : STYLE.decimal2, n) : EMPTY;
    }
    case 'date': {
      const serial = daySerial(String(value));
      return serial === null ? textCell(String(value)) : numberCell(STYLE.date, serial);
    }
    case 'datetime': {
      const text = String(value);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) || Number.isNaN(Date.parse(text))) return textCell(text);
      const serial = localSerial(formatLocal(text, tz));
      return serial === null ? textCell(String(value)) : numberCell(STYLE.datetime, serial);
    }
  }
}

/** Column letters of a 0-based index: 0 → A, 26 → AA. */
export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The row writer of a column list: each row's cells with their references, so empty cells are left
 * out. Column letters and keys are worked out once; text cells (most of a list) are written in line.
 */
export function rowXmlWriter(columns: readonly Column[], tz: string): (row: Row, rowNumber: number) => string {
  const keys = columns.map((c) => c.key);
  const refs = columns.map((_, i) => `<c r="${columnLetters(i)}`);
  const types = columns.map((c) => c.type);
  const figures = columns.map((c) => c.sheet === 'number');
  const n = columns.length;
  return (row, rowNumber) => {
    let xml = `<row r="${rowNumber}">`;
    for (let i = 0; i < n; i++) {
      const value = row[keys[i]!];
      let cell: string;
      if (types[i] === 'text' && typeof value === 'string' && value !== '' && !figures[i]) cell = textCell(value);
      else if (figures[i] && value !== null && value !== undefined && value !== '' && Number.isFinite(Number(value))) cell = numberCell(STYLE.general, Number(value));
      else cell = cellXml(types[i]!, value, tz);
      if (cell) xml += refs[i] + rowNumber + '"' + cell.slice(2);
    }
    return xml + '</row>';
  };
}

/** One row's cells (rowXmlWriter without the row element). */
export function rowCellsXml(columns: readonly Column[], row: Row, tz: string, rowNumber: number): string {
  const xml = rowXmlWriter(columns, tz)(row, rowNumber);
  return xml.slice(xml.indexOf('>') + 1, -'</row>'.length);
}

/** Display width in spreadsheet characters: East Asian wide characters count two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000;
    w += wide ? 2 : 1;
  }
  return w;
}

const FIXED_WIDTH: Partial<Record<ColumnType, number>> = { date: 10, datetime: 16 };
export const MAX_WIDTH = 60;

/** How wide a value shows, for the column widths (longest line of a multi-line text). */
export function valueWidth(type: ColumnType, value: Row[string]): number {
  if (value === null || value === undefined || value === '') return type === 'money' ? 4 : 0;
  const fixed = FIXED_WIDTH[type];
  if (fixed) return fixed;
  if (type === 'money') return (Number(value) / 100).toFixed(2).length;
  const text = typeof value === 'string' ? value : String(value);
  let w = 0;
  for (const line of text.split('\n')) w = Math.max(w, displayWidth(line));
  return w;
}

/** `<cols>`: each width fits its widest cell (header included), between 6 and MAX_WIDTH, plus a margin. */
export function colsXml(widths: readonly number[]): string {
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${Math.min(MAX_WIDTH, Math.max(6, w)) + 2}" customWidth="1"/>`);
  return `<cols>${cols.join('')}</cols>`;
}
