/**
 * `pitstop import customers|vehicles FILE` (SPEC §4, §9, §16): a spreadsheet of the archive, as Chinese
 * Excel or WPS saves it, checked row by row with the same rules as `customer add` / `vehicle add`.
 * All or nothing unless `skipInvalid`; duplicates (phone, plate, VIN) within the file or against the
 * database are invalid rows. The file is streamed (memory stays flat for any size) and its checked
 * rows are staged in a TEMP table without the database's write lock, so desks keep working; one short
 * final transaction moves them into place (multi-row INSERT … SELECT).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { validateCustomer, type CustomerInput } from './customers.js';
import { validateVehicleFields, type VehicleInput } from './vehicles.js';
import { Exit, PitstopError, conflict, invalid, notFound, show, usage } from '../errors.js';
import { normalizePhone } from '../domain/identity.js';
import { localDay, spreadsheetDay, toIso } from '../domain/time.js';
import { mapFsError, type Db, type Param } from '../db/sqlite.js';
import { CUSTOMER_COLUMNS, type NewCustomer } from '../db/customers.js';
import { VEHICLE_COLUMNS, type NewVehicle } from '../db/vehicles.js';
import {
  createStaging, dropStaging, moveStaged, stageRows, stagedCount, stagedCustomersTaken, stagedRepeats, stagedVehiclesTaken, unstage,
} from '../db/import.js';
import { writeCsvFile } from './exporter.js';

export const IMPORT_KINDS = ['customers', 'vehicles'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

interface FieldDef {
  key: string;
  required?: boolean;
  /** Other accepted header names: Chinese labels and the CLI flag spellings. */
  names: string[];
}

/** Header names per kind. English names match case-insensitively, with `-` or a space for `_`. */
export const IMPORT_FIELDS: Record<ImportKind, FieldDef[]> = {
  customers: [
    { key: 'name', required: true, names: ['姓名', '客户姓名', '客户名称', '客户', '名称'] },
    { key: 'phone', required: true, names: ['手机', '电话', '手机号', '手机号码', '联系电话', '电话号码', 'mobile'] },
    { key: 'kind', names: ['类型', '客户类型'] },
    { key: 'company', names: ['单位', '公司', '单位名称', '公司名称'] },
    { key: 'address', names: ['地址', '联系地址'] },
    { key: 'note', names: ['备注'] },
    { key: 'do_not_contact', names: ['勿扰', '免打扰', '不联系'] },
    { key: 'calls', names: ['接受电话', '电话回访'] },
    { key: 'messages', names: ['接受短信', '短信'] },
    // as `export customers` writes them: 1 = refuses
    { key: 'no_calls', names: ['拒接电话'] },
    { key: 'no_messages', names: ['拒收短信'] },
  ],
  vehicles: [
    { key: 'customer_phone', required: true, names: ['车主手机', '车主电话', '车主手机号', '手机', '电话', '手机号', '联系电话', 'phone', 'owner_phone'] },
    { key: 'plate', required: true, names: ['车牌号', '车牌', '车牌号码'] },
    { key: 'vin', names: ['车架号', '车辆识别代号', '车辆识别号', '底盘号'] },
    { key: 'make', names: ['品牌', '厂牌'] },
    { key: 'model', names: ['车型', '型号'] },
    { key: 'color', names: ['颜色', '车身颜色'] },
    { key: 'year', names: ['年款', '年份'] },
    { key: 'purchased_on', names: ['购车日期', '购买日期', 'purchased'] },
    { key: 'mileage', names: ['里程', '当前里程', '行驶里程', '公里数', 'initial_km'] },
    { key: 'interval_km', names: ['保养间隔公里', '保养间隔里程'] },
    { key: 'interval_months', names: ['保养间隔月', '保养间隔月数'] },
    { key: 'last_service_on', names: ['上次保养日期', '上次保养', 'last_service'] },
    { key: 'last_service_km', names: ['上次保养里程', '上次保养公里'] },
  ],
};

/** Columns an export carries that an import may meet and ignores (export → import round trip). */
const IGNORED: Record<ImportKind, string[]> = {
  customers: ['id', 'created_at', 'phone_bad_at'],
  vehicles: ['id', 'created_at', 'added_on', 'active', 'customer_id'],
};

function headerName(text: string): string {
  return text.normalize('NFKC').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Column index → field key (null: ignored). Unknown, duplicated or missing required headers: exit 2. */
export function mapHeader(kind: ImportKind, header: readonly string[]): (string | null)[] {
  const lookup = new Map<string, string>();
  for (const f of IMPORT_FIELDS[kind]) for (const n of [f.key, ...f.names]) lookup.set(headerName(n), f.key);
  const seen = new Map<string, string>();
  const keys = header.map((h) => {
    const name = headerName(h);
    if (IGNORED[kind].includes(name)) return null;
    const key = lookup.get(name);
    if (!key) {
      throw usage(`unknown column ${show(h)} in the header of the ${kind} file`, [
        `accepted columns: ${IMPORT_FIELDS[kind].map((f) => `${f.key} (${f.names.filter((n) => /[^\x00-\x7f]/.test(n)).join('/')})`).join(', ')}`,
      ]);
    }
    if (seen.has(key)) throw usage(`columns ${show(seen.get(key))} and ${show(h)} both mean ${key}`);
    seen.set(key, h);
    return key;
  });
  const missing = IMPORT_FIELDS[kind].filter((f) => f.required && !seen.has(f.key));
  if (missing.length) {
    throw usage(`missing required column ${missing.map((f) => `${f.key} (${f.names[0]})`).join(', ')} in the header of the ${kind} file`);
  }
  return keys;
}

/** UTF-8 (with or without BOM), else GBK/GB18030: what Chinese Excel and WPS save. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  refuseUtf16(bytes);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    checkLineEncodings([bytes]);
    return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'gb18030' };
  }
}

function refuseUtf16(bytes: Uint8Array): void {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw usage('the file is UTF-16 (Excel "Unicode Text"); save it as "CSV UTF-8" or "CSV (comma delimited)" and import that');
  }
}

/**
 * Called when a file is not UTF-8 as a whole: look at each line with bytes above ASCII. A line that is
 * neither UTF-8 nor GB18030 (`\xff\xfe\xfa\xfb`) is refused naming it, never imported as U+FFFD. A UTF-8
 * file with a few GBK lines pasted in (or the reverse) would be garbled by decoding it all as GB18030,
 * so lines of both kinds are refused naming both. Takes the file's bytes in chunks (a stream).
 */
export function checkLineEncodings(chunks: Iterable<Uint8Array>): void {
  const scan = lineEncodings();
  for (const bytes of chunks) scan.push(bytes);
  scan.finish();
}

/** checkLineEncodings a chunk at a time: `push` each chunk of the file, then `finish` (which throws). */
export function lineEncodings(): { push(bytes: Uint8Array): void; finish(): void } {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const gb = new TextDecoder('gb18030', { fatal: true });
  const utf8Lines: number[] = [];
  const otherLines: number[] = [];
  const badLines: number[] = [];
  let line = 1;
  let carry: Uint8Array = new Uint8Array(0);
  const look = (chunk: Uint8Array) => {
    if (!chunk.some((b) => b >= 0x80)) return;
    try {
      strict.decode(chunk);
      if (utf8Lines.length < 6) utf8Lines.push(line);
      return;
    } catch {
      // not UTF-8
    }
    try {
      gb.decode(chunk);
      if (otherLines.length < 6) otherLines.push(line);
    } catch {
      if (badLines.length < 6) badLines.push(line);
    }
  };
  return {
    push(bytes) {
      const all = carry.length ? Buffer.concat([carry, bytes]) : bytes;
      let start = 0;
      for (let i = all.indexOf(0x0a); i >= 0; i = all.indexOf(0x0a, start)) {
        look(all.subarray(start, i));
        start = i + 1;
        line++;
      }
      carry = all.slice(start);
    },
    finish() {
      look(carry);
      const list = (lines: number[]) => lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', …' : '');
      if (badLines.length) {
        throw usage(
          `line ${list(badLines)}: bytes that are neither UTF-8 nor GBK/GB18030 text; fix ${badLines.length === 1 ? 'that line' : 'those lines'} or save the file again as "CSV UTF-8"`,
        );
      }
      if (utf8Lines.length && otherLines.length) {
        throw usage(
          `the file mixes encodings: line ${list(utf8Lines)} UTF-8, line ${list(otherLines)} GBK or other; save the whole file once as "CSV UTF-8" and import that`,
        );
      }
    },
  };
}

export interface CsvRow {
  /** File line the row starts on; the header is line 1. */
  line: number;
  cells: string[];
}

/** Parse a whole CSV text (see parseCsvChunk). */
export function parseCsv(text: string): CsvRow[] {
  return parseCsvChunk(text, 1, true).rows;
}

/**
 * RFC 4180 CSV → records, each with the file line it starts on. Quoted cells may hold commas, `""` and
 * line breaks; lines end CRLF, LF or CR. Written here rather than with csv-parse because the import
 * benchmark (≥ 50 000 rows/s) cannot afford csv-parse's ~1 s per 100 000 rows on this machine; the unit
 * tests check it against csv-parse on the tricky cases. An unclosed quote, or text after a closing
 * quote, throws with the line.
 *
 * Streaming: `text` is the next piece of the file, starting at file line `startLine`. Unless `final`,
 * a record that may continue in the next piece is not parsed: it comes back as `rest`, to be put in
 * front of the next piece (with `line`, the line it starts on).
 */
export function parseCsvChunk(text: string, startLine: number, final: boolean): { rows: CsvRow[]; rest: string; line: number } {
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = startLine === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = startLine;
  const more = (recordStart: number, recordLine: number) => ({ rows, rest: text.slice(recordStart), line: recordLine });
  while (i < n) {
    const recordStart = i;
    const recordLine = line;
    const cells: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === 34) {
        let j = i + 1;
        let value = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0 || (!final && q === n - 1)) {
            if (!final) return more(recordStart, recordLine);
            throw new CsvSyntaxError(recordLine, 'a quoted cell is never closed');
          }
          value += text.slice(j, q);
          if (text.charCodeAt(q + 1) === 34) {
            value += '"';
            j = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) line++;
        if (value.includes('\r')) line += (value.match(/\r(?!\n)/g) ?? []).length;
        cells.push(value);
        const c = text.charCodeAt(i);
        if (c === 44) {
          i++;
          continue;
        }
        if (i < n && c !== 10 && c !== 13) throw new CsvSyntaxError(line, 'text after a closing quote (a quote inside a cell must be doubled: "")');
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          j++;
        }
        cells.push(text.slice(i, j));
        i = j;
        if (text.charCodeAt(i) === 44) {
          i++;
          continue;
        }
      }
      break;
    }
    // end of record: CRLF, LF, CR or the end of the text (which, mid-file, may not be the record's end)
    if (!final && (i >= n || (text.charCodeAt(i) === 13 && i + 1 >= n))) {
      line = recordLine;
      return more(recordStart, recordLine);
    }
    const end = text.charCodeAt(i);
    if (end === 13) i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
    else if (end === 10) i++;
    line++;
    rows.push({ line: recordLine, cells });
  }
  return { rows, rest: '', line };
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

/** A row Excel left with nothing in it: skipped, like a blank line. */
function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/**
 * The header without the empty columns Excel leaves at its end (`…,上次保养里程,,`): its width is the
 * width of every data row, whose own empty trailing cells beyond it are dropped too.
 */
export function trimHeader(cells: readonly string[]): string[] {
  let width = cells.length;
  while (width > 1 && cells[width - 1]!.trim() === '') width--;
  return cells.slice(0, width);
}

function fitRow(cells: string[], width: number): string[] {
  if (cells.length <= width) return cells;
  for (let i = width; i < cells.length; i++) if (cells[i]!.trim() !== '') return cells;
  return cells.slice(0, width);
}

/** `x.csv` → `x.rejected.csv` beside it. */
export function rejectedPath(file: string): string {
  const ext = path.extname(file);
  // the rejected rows are always CSV, also for a workbook
  return path.join(path.dirname(file), `${path.basename(file, ext)}.rejected${!ext || /^\.xlsx$/i.test(ext) ? '.csv' : ext}`);
}

export interface RejectedRow {
  line: number;
  error: string;
}

export interface ImportResult {
  kind: ImportKind;
  file: string;
  /** The CSV's text encoding, or `xlsx` for a workbook (its first sheet). */
  encoding: 'utf-8' | 'gb18030' | 'xlsx';
  /** Data rows in the file (blank rows not counted). */
  rows: number;
  imported: number;
  rejected: RejectedRow[];
  rejectedFile: string | null;
  dryRun: boolean;
}

export interface ImportOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  /**
   * Called every 10 000 rows while reading and checking (`done` rows so far, `fraction` of the file
   * read, 0–1), and once when the rows are written (fraction 1).
   */
  onProgress?: (phase: 'checked' | 'imported', done: number, fraction: number) => void;
}

const FLAG_TO_COLUMN: Record<string, string> = {
  purchased: 'purchased_on', 'interval-km': 'interval_km', 'interval-months': 'interval_months',
  'last-service': 'last_service_on', 'last-service-km': 'last_service_km', mileage: 'mileage',
};

/** The validators speak of CLI flags; an import row error names columns instead. */
function rowMessage(err: unknown): string {
  if (!(err instanceof PitstopError)) throw err;
  return err.message
    .replace(/--([a-z-]+)/g, (_m, f: string) => FLAG_TO_COLUMN[f] ?? f.replace(/-/g, '_'))
    .replace(/^invalid ([a-z-]+) /, (_m, f: string) => `invalid ${FLAG_TO_COLUMN[f] ?? f} `)
    .replace(/[,;] (?:or )?use force\b.*$/, '')
    .replace(/[,;] check the VIN, or use force$/, '; check the VIN');
}

const YES = new Set(['1', 'y', 'yes', 'true', '是', '勿扰', '√', 'x']);
const NO = new Set(['', '0', 'n', 'no', 'false', '否']);

function parseFlag(field: string, text: string): boolean {
  const s = text.normalize('NFKC').trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  throw invalid(field, text, 'expected 1/0, yes/no or 是/否');
}

const KIND_WORDS: Record<string, string> = { 私人: 'private', 个人: 'private', 私家: 'private', 单位: 'fleet', 车队: 'fleet', 公司: 'fleet', 企业: 'fleet' };

function required(get: (key: string) => string | undefined, key: string): string {
  const v = get(key);
  if (v === undefined || v.trim() === '') throw invalid(key, v ?? '', 'is required and empty');
  return v;
}

const given = (get: (key: string) => string | undefined, key: string) => (get(key) ?? '').trim() !== '';

function customerOf(get: (key: string) => string | undefined, createdAt: string): NewCustomer {
  const kindText = get('kind')?.normalize('NFKC').trim();
  const input: CustomerInput = {
    name: required(get, 'name'),
    phone: required(get, 'phone'),
    kind: kindText ? (KIND_WORDS[kindText] ?? kindText) : undefined,
    company: get('company'),
    address: get('address'),
    note: get('note'),
    doNotContact: parseFlag('do_not_contact', get('do_not_contact') ?? '') || undefined,
    calls: given(get, 'calls') ? parseFlag('calls', get('calls')!) : given(get, 'no_calls') ? !parseFlag('no_calls', get('no_calls')!) : undefined,
    messages: given(get, 'messages') ? parseFlag('messages', get('messages')!) : given(get, 'no_messages') ? !parseFlag('no_messages', get('no_messages')!) : undefined,
  };
  return validateCustomer(input, createdAt);
}

interface VehicleRow {
  ownerPhone: string;
  vehicle: Omit<NewVehicle, 'customer_id'>;
}

const excelDay = (text: string | undefined) => (text === undefined ? undefined : spreadsheetDay(text));

function vehicleOf(get: (key: string) => string | undefined, ctx: Ctx, today: string): VehicleRow {
  const phoneText = required(get, 'customer_phone');
  let ownerPhone: string;
  try {
    ownerPhone = normalizePhone(phoneText, 'fleet');
  } catch {
    throw invalid('customer_phone', phoneText, "expected the owner's phone, as in the customer archive");
  }
  const input: VehicleInput = {
    plate: required(get, 'plate'),
    vin: get('vin'),
    make: get('make'),
    model: get('model'),
    color: get('color'),
    year: get('year'),
    purchased: excelDay(get('purchased_on')),
    mileage: get('mileage'),
    intervalKm: get('interval_km'),
    intervalMonths: get('interval_months'),
    lastService: excelDay(get('last_service_on')),
    lastServiceKm: get('last_service_km'),
    force: false,
  };
  const { fields: f } = validateVehicleFields(input, today, ctx.settings, false);
  return {
    ownerPhone,
    vehicle: {
      plate: f.plate!, vin: f.vin ?? null, make: f.make ?? null, model: f.model ?? null, color: f.color ?? null,
      year: f.year ?? null, purchased_on: f.purchased_on ?? null, initial_km: f.initial_km ?? null,
      last_service_on: f.last_service_on ?? null, last_service_km: f.last_service_km ?? null,
      interval_km: f.interval_km ?? null, interval_months: f.interval_months ?? null, active: 1,
      created_at: toIso(ctx.now), added_on: today,
    },
  };
}

/** Where the file's bytes come from: a readable regular file (exit 3 when missing, 2 when a folder). */
async function openInput(file: string): Promise<{ size: number; head: Buffer }> {
  try {
    const st = await fs.promises.stat(file);
    if (st.isDirectory()) throw invalid('file', file, 'is a folder, expected a CSV file');
    const fh = await fs.promises.open(file, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      return { size: st.size, head: head.subarray(0, bytesRead) };
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err instanceof PitstopError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notFound('file', file);
    if (code === 'EISDIR') throw invalid('file', file, 'is a folder, expected a CSV file');
    throw invalid('file', file, `cannot be read (${code ?? (err as Error).message})`);
  }
}

const CHUNK = 1 << 20;

/** The file's bytes, a chunk at a time: memory stays flat whatever the file's size. */
async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

class NotUtf8 extends Error {}

/**
 * The file's records, a batch at a time, with their lines, decoded as `encoding`. A UTF-8 read that
 * meets bytes that are not UTF-8 throws NotUtf8 (the caller starts again as GB18030).
 */
type InputEncoding = 'utf-8' | 'gb18030' | 'xlsx';

/**
 * A workbook's first sheet as records: the header row, then the rows with their spreadsheet row
 * numbers (what a person sees in Excel). The sheet is read whole (its XML is in one zip entry); dates
 * Excel kept as plain serial numbers in date columns become `YYYY-MM-DD`.
 */
async function* sheetRecords(kind: ImportKind, file: string, fileText: string, read: { bytes: number }): AsyncGenerator<CsvRow[]> {
  const bytes = await fs.promises.readFile(file);
  const { readSheetTable, serialDates } = await import('../xlsx/read.js');
  const { header, rows } = readSheetTable(bytes, fileText);
  serialDates(rows, mapHeader(kind, header), ['purchased_on', 'last_service_on']);
  read.bytes = bytes.length;
  yield [{ line: 1, cells: header }, ...rows];
}

async function* csvRecords(file: string, fileText: string, encoding: 'utf-8' | 'gb18030', read: { bytes: number }): AsyncGenerator<CsvRow[]> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let rest = '';
  let line = 1;
  const parse = (text: string, final: boolean) => {
    try {
      const r = parseCsvChunk(rest + text, line, final);
      rest = r.rest;
      line = r.line;
      return r.rows;
    } catch (err) {
      if (err instanceof CsvSyntaxError) throw usage(`${fileText}: not a readable CSV file at ${err.message}`);
      throw err;
    }
  };
  const decode = (bytes?: Buffer) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      if (encoding === 'utf-8') throw new NotUtf8();
      throw usage(`${fileText}: bytes that are neither UTF-8 nor GBK/GB18030 text`);
    }
  };
  for await (const bytes of fileChunks(file)) {
    read.bytes += bytes.length;
    const rows = parse(decode(bytes), false);
    if (rows.length) yield rows;
  }
  const rows = parse(decode(), true);
  if (rows.length) yield rows;
}

/** Decide the encoding the slow way (line by line) once the file proved not to be UTF-8. */
async function checkNotUtf8(file: string): Promise<void> {
  const scan = lineEncodings();
  for await (const c of fileChunks(file)) scan.push(c);
  scan.finish();
}

interface Rejected {
  cells: string[];
  error: string;
}

/** What one kind of import needs: turn a row into staged values, and find rows the database refuses. */
interface KindRules {
  toStaged(get: (key: string) => string | undefined, line: number, cells: string | null): Param[];
  /** Columns whose repeats within the file are invalid, in the order they are checked. */
  unique: { column: string; what: string }[];
  againstDb(db: Db): Promise<{ line: number; cells: string | null; error: string }[]>;
  columns: readonly string[];
  entity: string;
}

function rulesFor(ctx: Ctx, kind: ImportKind): KindRules {
  const today = localDay(ctx.now, ctx.tz);
  const createdAt = toIso(ctx.now);
  if (kind === 'customers') {
    return {
      toStaged: (get, line, cells) => {
        const c = customerOf(get, createdAt);
        return [line, cells, ...CUSTOMER_COLUMNS.map((k) => c[k as keyof NewCustomer] as Param)];
      },
      unique: [{ column: 'phone', what: 'phone' }],
      againstDb: async (db) =>
        (await stagedCustomersTaken(db)).map((r) => ({ line: r.line, cells: r.cells, error: `phone ${r.phone} already belongs to customer ${r.id} (${r.name})` })),
      columns: CUSTOMER_COLUMNS,
      entity: 'customer',
    };
  }
  return {
    toStaged: (get, line, cells) => {
      const v = vehicleOf(get, ctx, today);
      return [line, cells, v.ownerPhone, ...VEHICLE_COLUMNS.filter((k) => k !== 'customer_id').map((k) => v.vehicle[k as keyof VehicleRow['vehicle']] as Param)];
    },
    unique: [{ column: 'plate', what: 'plate' }, { column: 'vin', what: 'VIN' }],
    againstDb: async (db) =>
      (await stagedVehiclesTaken(db)).map((r) => ({
        line: r.line,
        cells: r.cells,
        error:
          r.owner === null
            ? `customer_phone ${r.owner_phone}: no customer with this phone (import the customers first)`
            : r.plate_id !== null
              ? `plate ${r.plate} is already registered (vehicle ${r.plate_id})`
              : `VIN ${r.vin} is already registered to ${r.vin_plate}`,
      })),
    columns: VEHICLE_COLUMNS,
    entity: 'vehicle',
  };
}

/** The final move met a row the database now refuses (a desk added the same phone meanwhile): check again. */
class MovedUnderUs extends Error {}

/**
 * Import one CSV file of customers or vehicles. Throws exit 2 listing every invalid row unless
 * skipInvalid. The file is read as a stream and its checked rows are staged in a TEMP table
 * (db/import.ts) without holding the database's write lock; only the final move into the real table
 * is one write transaction. As the user sees it: one command, all or nothing.
 */
export async function importFile(ctx: Ctx, kind: ImportKind, fileText: string, options: ImportOptions = {}): Promise<ImportResult> {
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw invalid('kind', kind, 'expected customers or vehicles');
  const file = path.resolve(fileText);
  const { size, head } = await openInput(file);
  if (size === 0) throw usage(`${fileText} is empty: expected a header line first`);
  // a workbook (zip, or an encrypted/old-format compound file) is read from its first sheet, by row number (SPEC §14)
  const workbook = /\.xlsx$/i.test(file) || (head[0] === 0x50 && head[1] === 0x4b) || (head[0] === 0xd0 && head[1] === 0xcf);
  if (!workbook) refuseUtf16(head);
  const rules = rulesFor(ctx, kind);
  const keepCells = !!options.skipInvalid && !options.dryRun;
  const db = ctx.db;
  // The staging table's pages live in SQLite's temporary file; a bounded cache keeps memory flat.
  await db.exec('PRAGMA temp.cache_size = -8192');
  await createStaging(db, kind);
  try {
    let encoding: InputEncoding = workbook ? 'xlsx' : 'utf-8';
    let read: { header: string[]; rows: number; rejected: Map<number, Rejected> };
    try {
      read = await stageFile(ctx, kind, file, fileText, encoding, size, rules, keepCells, options);
    } catch (err) {
      if (!(err instanceof NotUtf8)) throw err;
      await checkNotUtf8(file); // a line neither UTF-8 nor GB18030, or mixed: exit 2 naming the lines
      encoding = 'gb18030';
      await createStaging(db, kind);
      read = await stageFile(ctx, kind, file, fileText, encoding, size, rules, keepCells, options);
    }
    const { header, rows, rejected } = read;
    const take = async (problems: { line: number; cells: string | null; error: string }[]) => {
      for (const p of problems) rejected.set(p.line, { cells: p.cells ? (JSON.parse(p.cells) as string[]) : [], error: p.error });
      await unstage(db, kind, problems.map((p) => p.line));
    };
    for (const u of rules.unique) {
      await take((await stagedRepeats(db, kind, u.column)).map((r) => ({ ...r, error: `duplicate ${u.what} ${r.key}: already on line ${r.first}` })));
    }

    for (let attempt = 1; ; attempt++) {
      // Against the archive as it is now, without a lock; the unique indexes check again at the move.
      await take(await rules.againstDb(db));
      const list = [...rejected.entries()].sort((a, b) => a[0] - b[0]);
      if (list.length && !options.skipInvalid) {
        const n = list.length;
        throw usage(
          `${n} invalid row${n === 1 ? '' : 's'} of ${rows} in ${fileText}; nothing ${options.dryRun ? 'would be ' : ''}imported (fix ${n === 1 ? 'it' : 'them'}, or use --skip-invalid)`,
          list.map(([line, r]) => `line ${line}: ${r.error}`),
        );
      }
      const result = (imported: number, rejectedFile: string | null): ImportResult => ({
        kind, file, encoding, rows, imported,
        rejected: list.map(([line, r]) => ({ line, error: r.error })),
        rejectedFile, dryRun: !!options.dryRun,
      });
      if (options.dryRun) return result(0, null);
      // The rejected rows are written before anything is imported: when that fails (a folder in the
      // way, a full disk) the command fails with nothing imported.
      const rejectedFile = list.length ? await writeRejected(file, header, list) : null;
      try {
        const imported = await move(ctx, kind, rules, fileText, rejected.size);
        options.onProgress?.('imported', imported, 1);
        return result(imported, rejectedFile);
      } catch (err) {
        if (rejectedFile) await fs.promises.unlink(rejectedFile).catch(() => {});
        if (!(err instanceof MovedUnderUs) || attempt >= 3) throw err instanceof MovedUnderUs ? conflict('the archive kept changing during the import; run it again') : err;
      }
    }
  } finally {
    await dropStaging(db, kind).catch(() => {});
  }
}

/** Read, check and stage the whole file. Rows that fail their own checks are kept (with cells) in `rejected`. */
async function stageFile(
  ctx: Ctx, kind: ImportKind, file: string, fileText: string, encoding: InputEncoding, size: number,
  rules: KindRules, keepCells: boolean, options: ImportOptions,
): Promise<{ header: string[]; rows: number; rejected: Map<number, Rejected> }> {
  const rejected = new Map<number, Rejected>();
  let header: string[] | null = null;
  let keys: (string | null)[] = [];
  const index = new Map<string, number>();
  let rows = 0;
  let pending: Param[][] = [];
  const progress = { bytes: 0 };
  // One batch is written to the staging table (on SQLite's thread) while the next is parsed and checked.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    writing = pending.length ? stageRows(ctx.db, kind, pending) : Promise.resolve();
    writing.catch(() => {}); // awaited at the next flush; never an unhandled rejection meanwhile
    pending = [];
  };
  const source = encoding === 'xlsx' ? sheetRecords(kind, file, fileText, progress) : csvRecords(file, fileText, encoding, progress);
  for await (const batch of source) {
    for (const record of batch) {
      if (isBlank(record.cells)) continue; // blank lines, or rows Excel left with empty cells
      if (!header) {
        header = trimHeader(record.cells);
        keys = mapHeader(kind, header);
        keys.forEach((k, i) => k && index.set(k, i));
        continue;
      }
      rows++;
      const cells = fitRow(record.cells, keys.length);
      if (cells.length !== keys.length) {
        rejected.set(record.line, { cells, error: `expected ${keys.length} cells like the header, found ${cells.length}` });
      } else {
        const get = (key: string) => {
          const i = index.get(key);
          return i === undefined ? undefined : cells[i];
        };
        try {
          pending.push(rules.toStaged(get, record.line, keepCells ? JSON.stringify(cells) : null));
        } catch (err) {
          rejected.set(record.line, { cells, error: rowMessage(err) });
        }
      }
      if (rows % 10_000 === 0) {
        await flush();
        options.onProgress?.('checked', rows, size ? Math.min(1, progress.bytes / size) : 1);
      }
    }
  }
  await flush();
  await writing;
  if (!header) throw usage(`${fileText} is empty: expected a header line first`);
  if (rows === 0) throw usage(`${fileText} has a header but no data rows: nothing to import`);
  return { header, rows, rejected };
}

async function writeRejected(file: string, header: readonly string[], list: [number, Rejected][]): Promise<string> {
  const out = rejectedPath(file);
  const width = header.length;
  try {
    await writeCsvFile(out, [...header, 'error'], (function* () {
      for (const [, r] of list) yield [...r.cells, ...new Array(Math.max(0, width - r.cells.length)).fill(''), r.error];
    })(), { bom: true, guard: false });
  } catch (err) {
    const mapped = mapFsError(err, out);
    if (mapped instanceof PitstopError && mapped.exitCode !== Exit.usage) throw mapped;
    const reason = fs.existsSync(out) && fs.statSync(out).isDirectory() ? 'a folder is in the way' : (err as Error).message;
    throw usage(`cannot write the rejected rows to ${out} (${reason}); nothing imported`);
  }
  return out;
}

/** The one write transaction of an import: every staged row into place, and the audit row. */
async function move(ctx: Ctx, kind: ImportKind, rules: KindRules, fileText: string, rejected: number): Promise<number> {
  // A large file's new rows and index pages outgrow SQLite's default 2 MB page cache, which then spills
  // pages to the WAL and reads them back before COMMIT; 64 MB keeps the write in memory (about 8 % of a
  // 100 000-row import, measured). The connection's own setting comes back afterwards.
  const cache = (await ctx.db.get<{ cache_size: number }>('PRAGMA main.cache_size'))?.cache_size ?? -2000;
  await ctx.db.exec('PRAGMA main.cache_size = -65536');
  try {
    return await ctx.db.transaction(async (db) => {
      const staged = await stagedCount(db, kind);
      let moved: number;
      try {
        moved = await moveStaged(db, kind, rules.columns);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT') throw new MovedUnderUs();
        throw err;
      }
      if (moved !== staged) throw new MovedUnderUs(); // an owner vanished meanwhile
      await audit(ctx, 'import', rules.entity, null, { file: path.resolve(fileText), imported: moved, rejected });
      return moved;
    });
  } finally {
    await ctx.db.exec(`PRAGMA main.cache_size = ${Number(cache)}`);
  }
}
