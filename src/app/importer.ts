/**
 * `pitstop import customers|vehicles FILE` (SPEC §4): a spreadsheet of the archive, as Chinese Excel
 * or WPS saves it, checked row by row with the same rules as `customer add` / `vehicle add`.
 * All or nothing unless `skipInvalid`; duplicates (phone, plate, VIN) within the file or against the
 * database are invalid rows. Fast path: one transaction, bulk duplicate look-ups, multi-row INSERTs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { validateCustomer, type CustomerInput } from './customers.js';
import { validateVehicleFields, type VehicleInput } from './vehicles.js';
import { Exit, PitstopError, invalid, notFound, show, usage } from '../errors.js';
import { normalizePhone } from '../domain/identity.js';
import { localDay, toIso } from '../domain/time.js';
import { insertMany, type Db, type Param } from '../db/sqlite.js';
import { CUSTOMER_COLUMNS, type NewCustomer } from '../db/customers.js';
import { VEHICLE_COLUMNS, type NewVehicle } from '../db/vehicles.js';
import { customersByPhone, vehiclesByPlate, vehiclesByVin } from '../db/import.js';
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
  customers: ['id', 'created_at'],
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
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw usage('the file is UTF-16 (Excel "Unicode Text"); save it as "CSV UTF-8" or "CSV (comma delimited)" and import that');
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    refuseMixedEncodings(bytes);
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/**
 * A file that is not UTF-8 as a whole may still be a UTF-8 file with a few GBK lines pasted in
 * (or the reverse). Decoding it all as GB18030 would silently garble the UTF-8 names, so when some
 * lines with Chinese text are valid UTF-8 and others are not, refuse it naming both kinds of lines.
 */
function refuseMixedEncodings(bytes: Uint8Array): void {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const utf8Lines: number[] = [];
  const otherLines: number[] = [];
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    const chunk = bytes.subarray(start, i);
    if (chunk.some((b) => b >= 0x80)) {
      try {
        strict.decode(chunk);
        utf8Lines.push(line);
      } catch {
        otherLines.push(line);
      }
    }
    start = i + 1;
    line++;
  }
  if (utf8Lines.length && otherLines.length) {
    const list = (lines: number[]) => lines.slice(0, 5).join(', ') + (lines.length > 5 ? ', …' : '');
    throw usage(
      `the file mixes encodings: line ${list(utf8Lines)} UTF-8, line ${list(otherLines)} GBK or other; save the whole file once as "CSV UTF-8" and import that`,
    );
  }
}

export interface CsvRow {
  /** File line the row starts on; the header is line 1. */
  line: number;
  cells: string[];
}

/**
 * RFC 4180 CSV → records, each with the file line it starts on. Quoted cells may hold commas, `""` and
 * line breaks; lines end CRLF, LF or CR. Written here rather than with csv-parse because the import
 * benchmark (≥ 50 000 rows/s) cannot afford csv-parse's ~1 s per 100 000 rows on this machine; the unit
 * tests check it against csv-parse on the tricky cases. An unclosed quote, or text after a closing
 * quote, throws with the line.
 */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === 34) {
        let j = i + 1;
        let value = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new CsvSyntaxError(startLine, 'a quoted cell is never closed');
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
    // end of record: CRLF, LF, CR or the end of the text
    const end = text.charCodeAt(i);
    if (end === 13) i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
    else if (end === 10) i++;
    line++;
    rows.push({ line: startLine, cells });
  }
  return rows;
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

/** Parse CSV text into the header and the data rows (blank rows skipped). A broken quote: exit 2 with its line. */
export function parseCsvText(text: string, file: string): { header: string[]; headerLine: number; rows: CsvRow[] } {
  let records: CsvRow[];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw usage(`${file}: not a readable CSV file at ${err.message}`);
    throw err;
  }
  const rows = records.filter((r) => !r.cells.every((c) => c.trim() === '')); // blank lines, or rows Excel left with empty cells
  const first = rows.shift();
  if (!first) throw usage(`${file} is empty: expected a header line first`);
  return { header: first.cells, headerLine: first.line, rows };
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
  /** Called every 10 000 rows while checking and while writing. */
  onProgress?: (phase: 'checked' | 'imported', done: number, total: number) => void;
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

interface Candidate<T> {
  line: number;
  cells: string[];
  value: T;
}

interface Checked<T> {
  valid: Candidate<T>[];
  rejected: Map<number, { cells: string[]; error: string }>;
}

function checkRows<T>(
  rows: CsvRow[],
  keys: (string | null)[],
  toValue: (get: (key: string) => string | undefined) => T,
  onProgress: ImportOptions['onProgress'],
): Checked<T> {
  const valid: Candidate<T>[] = [];
  const rejected = new Map<number, { cells: string[]; error: string }>();
  const index = new Map<string, number>();
  keys.forEach((k, i) => k && index.set(k, i));
  rows.forEach((row, n) => {
    if (row.cells.length !== keys.length) {
      rejected.set(row.line, { cells: row.cells, error: `expected ${keys.length} cells like the header, found ${row.cells.length}` });
    } else {
      const get = (key: string) => {
        const i = index.get(key);
        return i === undefined ? undefined : row.cells[i];
      };
      try {
        valid.push({ line: row.line, cells: row.cells, value: toValue(get) });
      } catch (err) {
        rejected.set(row.line, { cells: row.cells, error: rowMessage(err) });
      }
    }
    if (onProgress && (n + 1) % 10_000 === 0) onProgress('checked', n + 1, rows.length);
  });
  return { valid, rejected };
}

/** Mark later rows repeating an earlier row's key invalid. */
function rejectRepeats<T>(checked: Checked<T>, keyOf: (v: T) => string | null, what: string): void {
  const first = new Map<string, number>();
  checked.valid = checked.valid.filter((c) => {
    const k = keyOf(c.value);
    if (k === null) return true;
    const earlier = first.get(k);
    if (earlier === undefined) {
      first.set(k, c.line);
      return true;
    }
    checked.rejected.set(c.line, { cells: c.cells, error: `duplicate ${what} ${k}: already on line ${earlier}` });
    return false;
  });
}

function rejectWhere<T>(checked: Checked<T>, problem: (v: T) => string | null): void {
  checked.valid = checked.valid.filter((c) => {
    const error = problem(c.value);
    if (error) checked.rejected.set(c.line, { cells: c.cells, error });
    return !error;
  });
}

function required(get: (key: string) => string | undefined, key: string): string {
  const v = get(key);
  if (v === undefined || v.trim() === '') throw invalid(key, v ?? '', 'is required and empty');
  return v;
}

function customerOf(get: (key: string) => string | undefined, createdAt: string): NewCustomer {
  const kindText = get('kind')?.normalize('NFKC').trim();
  const input: CustomerInput = {
    name: required(get, 'name'),
    phone: required(get, 'phone'),
    kind: kindText ? (KIND_WORDS[kindText] ?? kindText) : undefined,
    company: get('company'),
    address: get('address'),
    note: get('note'),
    doNotContact: parseFlag('do_not_contact', get('do_not_contact') ?? ''),
  };
  return validateCustomer(input, createdAt);
}

interface VehicleRow {
  ownerPhone: string;
  vehicle: Omit<NewVehicle, 'customer_id'>;
}

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
    purchased: get('purchased_on'),
    mileage: get('mileage'),
    intervalKm: get('interval_km'),
    intervalMonths: get('interval_months'),
    lastService: get('last_service_on'),
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

function readInput(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notFound('file', file);
    if (code === 'EISDIR') throw invalid('file', file, 'is a folder, expected a CSV file');
    throw invalid('file', file, `cannot be read (${code ?? (err as Error).message})`);
  }
}

/** Import one CSV file of customers or vehicles. Throws exit 2 listing every invalid row unless skipInvalid. */
export async function importFile(ctx: Ctx, kind: ImportKind, fileText: string, options: ImportOptions = {}): Promise<ImportResult> {
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw invalid('kind', kind, 'expected customers or vehicles');
  const file = path.resolve(fileText);
  const bytes = readInput(file);
  if (bytes.length === 0) throw usage(`${fileText} is empty: expected a header line first`);
  // a workbook (zip, or an encrypted/old-format compound file) is read from its first sheet, by row number
  const workbook = /\.xlsx$/i.test(file) || (bytes[0] === 0x50 && bytes[1] === 0x4b) || (bytes[0] === 0xd0 && bytes[1] === 0xcf);
  const { header, rows, encoding } = workbook
    ? { ...(await import('../xlsx/read.js')).readSheetTable(bytes, fileText), encoding: 'xlsx' as const }
    : (() => {
        const { text, encoding } = decodeCsv(bytes);
        return { ...parseCsvText(text, fileText), encoding };
      })();
  const keys = mapHeader(kind, header);
  if (encoding === 'xlsx') (await import('../xlsx/read.js')).serialDates(rows, keys, ['purchased_on', 'last_service_on']);
  if (rows.length === 0) throw usage(`${fileText} has a header but no data rows: nothing to import`);
  const today = localDay(ctx.now, ctx.tz);
  const progress = options.onProgress;

  let imported = 0;
  let rejected: Map<number, { cells: string[]; error: string }>;
  if (kind === 'customers') {
    const createdAt = toIso(ctx.now);
    const checked = checkRows(rows, keys, (get) => customerOf(get, createdAt), progress);
    rejectRepeats(checked, (c) => c.phone, 'phone');
    rejected = checked.rejected;
    const againstDb = async (db: Db) => {
      const taken = await customersByPhone(db, checked.valid.map((c) => c.value.phone));
      rejectWhere(checked, (c) => {
        const other = taken.get(c.phone);
        return other ? `phone ${c.phone} already belongs to customer ${other.id} (${other.name})` : null;
      });
    };
    imported = await commit(ctx, options, againstDb, checked, rows.length, kind, fileText, (db, chunk) =>
      insertMany(db, 'customers', [...CUSTOMER_COLUMNS], chunk.map((c) => CUSTOMER_COLUMNS.map((k) => c.value[k as keyof NewCustomer] as Param))),
    );
  } else {
    const checked = checkRows(rows, keys, (get) => vehicleOf(get, ctx, today), progress);
    rejectRepeats(checked, (v) => v.vehicle.plate, 'plate');
    rejectRepeats(checked, (v) => v.vehicle.vin, 'VIN');
    rejected = checked.rejected;
    const owners = new Map<string, number>();
    const againstDb = async (db: Db) => {
      const valid = checked.valid.map((c) => c.value);
      const [found, plates, vins] = await Promise.all([
        customersByPhone(db, valid.map((v) => v.ownerPhone)),
        vehiclesByPlate(db, valid.map((v) => v.vehicle.plate)),
        vehiclesByVin(db, valid.flatMap((v) => (v.vehicle.vin ? [v.vehicle.vin] : []))),
      ]);
      found.forEach((c, phone) => owners.set(phone, c.id));
      rejectWhere(checked, (v) => {
        if (!owners.has(v.ownerPhone)) return `customer_phone ${v.ownerPhone}: no customer with this phone (import the customers first)`;
        if (plates.has(v.vehicle.plate)) return `plate ${v.vehicle.plate} is already registered (vehicle ${plates.get(v.vehicle.plate)})`;
        if (v.vehicle.vin && vins.has(v.vehicle.vin)) return `VIN ${v.vehicle.vin} is already registered to ${vins.get(v.vehicle.vin)}`;
        return null;
      });
    };
    imported = await commit(ctx, options, againstDb, checked, rows.length, kind, fileText, (db, chunk) =>
      insertMany(db, 'vehicles', [...VEHICLE_COLUMNS], chunk.map((c) => {
        const row = { ...c.value.vehicle, customer_id: owners.get(c.value.ownerPhone)! } as NewVehicle;
        return VEHICLE_COLUMNS.map((k) => row[k as keyof NewVehicle] as Param);
      })),
    );
  }

  const list = [...rejected.entries()].sort((a, b) => a[0] - b[0]);
  let rejectedFile: string | null = null;
  if (options.skipInvalid && !options.dryRun && list.length) {
    rejectedFile = rejectedPath(file);
    const width = header.length;
    await writeCsvFile(rejectedFile, [...header, 'error'], (async function* () {
      for (const [, r] of list) yield [...r.cells, ...new Array(Math.max(0, width - r.cells.length)).fill(''), r.error];
    })(), { bom: true, guard: false });
  }
  return {
    kind, file, encoding, rows: rows.length, imported,
    rejected: list.map(([line, r]) => ({ line, error: r.error })),
    rejectedFile, dryRun: !!options.dryRun,
  };

}

/** Check against the database and write, in one transaction (reads only for a dry run). Returns the rows written. */
async function commit<T>(
  ctx: Ctx,
  options: ImportOptions,
  againstDb: (db: Db) => Promise<void>,
  checked: Checked<T>,
  total: number,
  kind: ImportKind,
  fileText: string,
  insert: (db: Db, chunk: Candidate<T>[]) => Promise<void>,
): Promise<number> {
  const refuse = () => {
    if (!checked.rejected.size || options.skipInvalid) return;
    const lines = [...checked.rejected.entries()].sort((a, b) => a[0] - b[0]).map(([line, r]) => `line ${line}: ${r.error}`);
    const n = checked.rejected.size;
    throw usage(
      `${n} invalid row${n === 1 ? '' : 's'} of ${total} in ${fileText}; nothing ${options.dryRun ? 'would be ' : ''}imported (fix ${n === 1 ? 'it' : 'them'}, or use --skip-invalid)`,
      lines,
    );
  };
  if (options.dryRun) {
    await againstDb(ctx.db);
    refuse();
    return 0;
  }
  // A large file's new rows and index pages outgrow SQLite's default 2 MB page cache, which then spills
  // pages to the WAL and reads them back before COMMIT; 64 MB keeps the write in memory (about 8 % of a
  // 100 000-row import, measured). The connection's own setting comes back afterwards.
  const cache = (await ctx.db.get<{ cache_size: number }>('PRAGMA cache_size'))?.cache_size ?? -2000;
  await ctx.db.exec('PRAGMA cache_size = -65536');
  try {
    return await ctx.db.transaction(async (db) => {
      await againstDb(db);
      refuse();
      const valid = checked.valid;
      for (let i = 0; i < valid.length; i += 10_000) {
        await insert(db, valid.slice(i, i + 10_000));
        options.onProgress?.('imported', Math.min(i + 10_000, valid.length), valid.length);
      }
      await audit(ctx, 'import', kind === 'customers' ? 'customer' : 'vehicle', null, {
        file: path.resolve(fileText),
        imported: valid.length,
        rejected: checked.rejected.size,
      });
      return valid.length;
    });
  } finally {
    await ctx.db.exec(`PRAGMA cache_size = ${Number(cache)}`);
  }
}
