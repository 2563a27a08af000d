/**
 * The workbook reader of the imports (SPEC §14): the first sheet of an `.xlsx` as rows of text cells,
 * each with its spreadsheet row number (the line number of the error listing). A cell Excel typed as
 * a number comes back as the digits (`13800000001`, never `1.38E+10`); a number with a date format as
 * `YYYY-MM-DD` (with ` HH:mm` when it has a time of day); booleans as 1/0; formulas as their cached
 * result. Not a zip, an encrypted (password-protected) workbook or one without a sheet: exit 2.
 */
import { unzip, ZipError } from './zip.js';
import { invalid } from '../errors.js';
import { serialText } from './cells.js';

export interface SheetRow {
  /** The spreadsheet's row number (1 = the first row). */
  line: number;
  cells: string[];
}

interface Element {
  name: string;
  attrs: Record<string, string>;
  /** Text content of the element's own text nodes (entities decoded). */
  children: Array<Element | string>;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITY[e] ?? m;
  });
}

/** A small non-validating XML parser: elements, attributes, text, CDATA; skips comments, PIs, doctypes. */
export function parseXml(xml: string): Element {
  const root: Element = { name: '#root', attrs: {}, children: [] };
  const stack: Element[] = [root];
  const tag = /<(\/?)([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![^>]*>/g;
  const attr = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let at = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const top = stack[stack.length - 1]!;
    if (m.index > at) top.children.push(decode(xml.slice(at, m.index)));
    at = tag.lastIndex;
    if (m[5] !== undefined) {
      top.children.push(m[5]);
      continue;
    }
    if (!m[2]) continue; // comment, PI, doctype
    const name = m[2].includes(':') ? m[2].slice(m[2].indexOf(':') + 1) : m[2];
    if (m[1]) {
      // close: pop to the matching element (tolerates sloppy nesting)
      for (let i = stack.length - 1; i > 0; i--) if (stack[i]!.name === name) {
        stack.length = i;
        break;
      }
      continue;
    }
    const attrs: Record<string, string> = {};
    for (let a = attr.exec(m[3] ?? ''); a; a = attr.exec(m[3] ?? '')) attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
    attr.lastIndex = 0;
    const el: Element = { name, attrs, children: [] };
    top.children.push(el);
    if (!m[4]) stack.push(el);
  }
  return root;
}

const elements = (el: Element, name?: string): Element[] =>
  el.children.filter((c): c is Element => typeof c !== 'string' && (name === undefined || c.name === name));
const first = (el: Element | undefined, name: string): Element | undefined => (el ? elements(el, name)[0] : undefined);

/** All text below an element, leaving out phonetic runs (`rPh`, the furigana of East Asian text). */
function textOf(el: Element): string {
  let s = '';
  for (const c of el.children) {
    if (typeof c === 'string') s += c;
    else if (c.name !== 'rPh' && c.name !== 'phoneticPr') s += textOf(c);
  }
  return s;
}

/** One attribute's value from an element's attribute text. */
const ATTR = new Map<string, RegExp>();
function attrOf(attrs: string, name: string): string | undefined {
  let re = ATTR.get(name);
  if (!re) ATTR.set(name, (re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = re.exec(attrs);
  return m ? decode(m[1] ?? m[2] ?? '') : undefined;
}

/** The text of a string item (`<si>`, `<is>`): its `<t>` runs, leaving out phonetic runs (`rPh`). */
function richText(xml: string): string {
  const plain = xml.includes('rPh') ? xml.replace(/<(?:[\w.-]+:)?rPh\b[\s\S]*?<\/(?:[\w.-]+:)?rPh>/g, '') : xml;
  let s = '';
  for (const m of plain.matchAll(/<(?:[\w.-]+:)?t\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?t>)/g)) s += m[1] ?? '';
  return unescapeX(decode(s));
}

/** Excel's `_xHHHH_` escapes in cell text (a control character, or `_x005F_` for a literal `_`). */
const unescapeX = (text: string) => text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** `BC12` → 54 (0-based column index). */
export function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** A number format shows a date when it has d, m, y (or h, s) outside quotes, escapes and [colours]. */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** A number as the digits a person typed: no exponent for whole numbers, no float noise. */
export function numberText(n: number): string {
  if (Number.isInteger(n)) return String(n); // no exponent below 1e21
  return String(Number(n.toPrecision(15)));
}

function notWorkbook(file: string, why: string) {
  return invalid('file', file, why);
}

/** Read the first sheet of a workbook's bytes. `file` names it in messages. */
export function readXlsx(bytes: Uint8Array, file: string): SheetRow[] {
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw notWorkbook(file, 'is a password-protected workbook or an old .xls file; remove the password or save it as .xlsx (Excel Workbook) first');
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw notWorkbook(file, 'is not an .xlsx workbook');
  let parts: Map<string, Buffer>;
  try {
    parts = unzip(bytes, (name) => /^xl\//i.test(name));
  } catch (err) {
    if (err instanceof ZipError) throw notWorkbook(file, `is not a readable .xlsx workbook (${err.message})`);
    throw err;
  }
  const part = (name: string): string | null => {
    const key = [...parts.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
    return key ? parts.get(key)!.toString('utf8') : null;
  };
  const workbook = part('xl/workbook.xml');
  if (workbook === null) throw notWorkbook(file, 'is not an .xlsx workbook (it has no xl/workbook.xml)');
  const sheetEl = first(first(first(parseXml(workbook), 'workbook'), 'sheets'), 'sheet');
  if (!sheetEl) throw notWorkbook(file, 'has no sheet');
  const relId = sheetEl.attrs['r:id'] ?? Object.entries(sheetEl.attrs).find(([k]) => k.endsWith(':id'))?.[1];
  let target = 'worksheets/sheet1.xml';
  const rels = part('xl/_rels/workbook.xml.rels');
  if (rels && relId) {
    const rel = elements(first(parseXml(rels), 'Relationships') ?? { name: '', attrs: {}, children: [] }, 'Relationship').find((r) => r.attrs.Id === relId);
    if (rel?.attrs.Target) target = rel.attrs.Target;
  }
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const sheetXml = part(sheetPath);
  if (sheetXml === null) throw notWorkbook(file, `has no sheet data (${sheetPath} is missing)`);

  const shared: string[] = [];
  const sst = part('xl/sharedStrings.xml');
  if (sst) for (const m of sst.matchAll(/<(?:[\w.-]+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?si>)/g)) shared.push(richText(m[1] ?? ''));

  // which cell styles show a date, and whether with a time
  const dateStyle: Array<'date' | 'datetime' | null> = [];
  const styles = part('xl/styles.xml');
  if (styles) {
    const sheet = first(parseXml(styles), 'styleSheet');
    const custom = new Map<number, string>();
    for (const f of elements(first(sheet, 'numFmts') ?? { name: '', attrs: {}, children: [] }, 'numFmt')) custom.set(Number(f.attrs.numFmtId), f.attrs.formatCode ?? '');
    for (const xf of elements(first(sheet, 'cellXfs') ?? { name: '', attrs: {}, children: [] }, 'xf')) {
      const id = Number(xf.attrs.numFmtId ?? 0);
      const code = custom.get(id);
      const isDate = code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id);
      const hasTime = code !== undefined ? /[hs]/i.test(code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '')) : id >= 18 && id !== 14;
      dateStyle.push(isDate ? (hasTime ? 'datetime' : 'date') : null);
    }
  }

  // The sheet can be long: scanned with a few expressions rather than built into a tree.
  const rows: SheetRow[] = [];
  let rowNumber = 0;
  const rowRe = /<(?:[\w.-]+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?row>)/g;
  const cellRe = /<(?:[\w.-]+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?c>)/g;
  const valueRe = /<(?:[\w.-]+:)?v\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?v>/;
  const inlineRe = /<(?:[\w.-]+:)?is\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?is>/;
  for (const r of sheetXml.matchAll(rowRe)) {
    const rAttr = attrOf(r[1]!, 'r');
    rowNumber = rAttr ? Number(rAttr) : rowNumber + 1;
    const cells: string[] = [];
    let col = -1;
    for (const c of (r[2] ?? '').matchAll(cellRe)) {
      const attrs = c[1]!;
      const ref = attrOf(attrs, 'r');
      col = ref ? columnIndex(ref) : col + 1;
      const t = attrOf(attrs, 't') ?? 'n';
      const body = c[2] ?? '';
      let text = '';
      if (t === 'inlineStr') text = richText(inlineRe.exec(body)?.[1] ?? '');
      else {
        const v = valueRe.exec(body);
        if (v) {
          const raw = decode(v[1]!);
          if (t === 's') text = shared[Number(raw)] ?? '';
          else if (t === 'd') text = raw.slice(0, raw.length > 10 ? 16 : 10).replace('T', ' ');
          else if (t === 'str' || t === 'e') text = unescapeX(raw);
          else if (t === 'b') text = raw === '1' || raw === 'true' ? '1' : '0';
          else {
            const n = Number(raw);
            const kind = dateStyle[Number(attrOf(attrs, 's') ?? 0)] ?? null;
            text = raw === '' || !Number.isFinite(n) ? raw : kind ? serialText(n, kind === 'datetime') : numberText(n);
          }
        }
      }
      while (cells.length < col) cells.push('');
      cells[col] = text;
    }
    rows.push({ line: rowNumber, cells });
  }
  return rows;
}

/**
 * The first sheet as an import table: the first non-blank row is the header; blank rows are skipped;
 * each row is as wide as the header (a spreadsheet leaves trailing empty cells out), so a row is only
 * "too long" when it has text beyond the header's last column.
 */
export function readSheetTable(bytes: Uint8Array, file: string): { header: string[]; rows: SheetRow[] } {
  const all = readXlsx(bytes, file).filter((r) => r.cells.some((c) => c.trim() !== ''));
  const head = all.shift();
  if (!head) throw invalid('file', file, 'has an empty first sheet: expected a header row first');
  let width = head.cells.length;
  while (width > 0 && head.cells[width - 1]!.trim() === '') width--;
  const header = head.cells.slice(0, width);
  const rows = all.map((r) => {
    const cells = r.cells.slice();
    while (cells.length > width && cells[cells.length - 1]!.trim() === '') cells.pop();
    while (cells.length < width) cells.push('');
    return { line: r.line, cells };
  });
  return { header, rows };
}

/**
 * Date columns whose cells Excel kept as plain numbers (a date typed into a General cell, or pasted
 * as a value): a 5-digit serial (1954 … 2173) becomes its `YYYY-MM-DD`. Other text is left for the
 * importer's date check.
 */
export function serialDates(rows: SheetRow[], keys: readonly (string | null)[], dateKeys: readonly string[]): void {
  const at = keys.flatMap((k, i) => (k && dateKeys.includes(k) ? [i] : []));
  if (!at.length) return;
  for (const row of rows) {
    for (const i of at) {
      const cell = row.cells[i];
      if (cell && /^\d{5}(\.\d+)?$/.test(cell)) row.cells[i] = serialText(Number(cell), false);
    }
  }
}
