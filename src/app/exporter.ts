/**
 * `pitstop export TABLE` and the CSV writer behind it: UTF-8 with a BOM and CRLF so Excel and WPS read
 * Chinese correctly, a formula guard on text cells (a cell starting `=` must not run in a spreadsheet),
 * rows streamed one at a time, files written to a temporary name and renamed, owner-only (0600).
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Ctx } from './context.js';
import { invalid, usage } from '../errors.js';
import { maskPhone } from '../domain/identity.js';
import { guardFormula, quoteCell } from '../csv.js';
import { fileKinds, withExtension, type FileFormat } from '../domain/file-format.js';
import type { Column, ColumnType } from '../../jobs/types.js';

/** The documented tables of SPEC §7. */
export const EXPORT_TABLES = [
  'customers', 'vehicles', 'staff', 'bookings', 'orders', 'order_lines', 'findings', 'payments',
  'callbacks', 'complaints', 'job_runs', 'job_listings', 'audit_log', 'settings',
] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export type CsvCell = string | number | boolean | null | undefined;

/** One cell: text that could start a formula gets a leading `'` (the jobs' rule, src/csv.ts); numbers are left alone. */
export function csvField(value: CsvCell, guard = true): string {
  if (value === null || value === undefined) return '';
  return quoteCell(typeof value === 'string' ? (guard ? guardFormula(value) : value) : String(value));
}

/** One record with its CRLF. */
export function csvLine(cells: readonly CsvCell[], guard = true): string {
  return cells.map((c) => csvField(c, guard)).join(',') + '\r\n';
}

export interface CsvOptions {
  /** UTF-8 byte-order mark first (setting csv.bom). Default true. */
  bom?: boolean;
  /** Formula guard on text cells. Default true. */
  guard?: boolean;
}

type Rows = AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>;

const FLUSH_AT = 64 * 1024;

/** Write a CSV to `file` through a temporary file in the same folder, renamed when complete. Returns the row count. */
export async function writeCsvFile(file: string, header: readonly string[], rows: Rows, options: CsvOptions = {}): Promise<number> {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw invalid('out', file, `folder ${dir} does not exist`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw invalid('out', file, 'is a folder; give a file name');
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await fs.promises.open(tmp, 'wx', 0o600);
  let count = 0;
  try {
    let buf = (options.bom ?? true ? '\uFEFF' : '') + csvLine(header, options.guard ?? true);
    for await (const row of rows) {
      buf += csvLine(row, options.guard ?? true);
      count++;
      if (buf.length >= FLUSH_AT) {
        await handle.write(buf);
        buf = '';
      }
    }
    if (buf) await handle.write(buf);
    await handle.sync();
    await handle.close();
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await handle.close().catch(() => {});
    await fs.promises.unlink(tmp).catch(() => {});
    throw err;
  }
  return count;
}

/** Write a CSV to a stream (stdout), waiting when it is full. Returns the row count. */
export async function writeCsvStream(stream: Writable, header: readonly string[], rows: Rows, options: CsvOptions = {}): Promise<number> {
  let count = 0;
  const flush = async (text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  let buf = (options.bom ?? true ? '\uFEFF' : '') + csvLine(header, options.guard ?? true);
  for await (const row of rows) {
    buf += csvLine(row, options.guard ?? true);
    count++;
    if (buf.length >= FLUSH_AT) {
      await flush(buf);
      buf = '';
    }
  }
  if (buf) await flush(buf);
  return count;
}

export function parseTable(text: string): ExportTable {
  const t = String(text ?? '').normalize('NFKC').trim().toLowerCase();
  if ((EXPORT_TABLES as readonly string[]).includes(t)) return t as ExportTable;
  throw usage(`unknown table ${JSON.stringify(text)}: expected one of ${EXPORT_TABLES.join(', ')}`);
}

const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

export interface ExportOptions {
  /** Write here; else to `stdout`. */
  out?: string;
  maskPhone?: boolean;
  stdout?: Writable;
  /** csv (default), xlsx or both; a workbook needs `out` (`both` with x.csv writes x.csv and x.xlsx). */
  format?: FileFormat;
}

/**
 * A table column's cell type in a workbook: by its declared type and its name (SPEC §7 naming), never
 * by the values: `…_at` instants as shop-local date-times, `…_on` as dates, integers (ids, `…_cents`,
 * km) as numbers, all other text as text (phones, plates, order numbers keep every digit).
 */
export function tableColumnType(name: string, declared: string): ColumnType {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'int';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'decimal2';
  if (name.endsWith('_at')) return 'datetime';
  if (name.endsWith('_on')) return 'date';
  return 'text';
}

/** `--out` must be a regular file (replaced whole) in an existing folder. */
function checkOut(file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw invalid('out', file, `folder ${dir} does not exist`);
  if (fs.existsSync(file) && !fs.statSync(file).isFile()) throw invalid('out', file, 'is not a regular file; give a file name');
}

/** Export one table with all its columns, streamed row by row. */
export async function exportTable(ctx: Ctx, tableText: string, options: ExportOptions = {}): Promise<{ table: ExportTable; rows: number; file: string | null; files?: string[] }> {
  const table = parseTable(tableText);
  const format = options.format ?? 'csv';
  if (format !== 'csv' && !options.out) throw usage(`--format ${format} writes a workbook file: give --out FILE (a workbook is not sent to stdout)`);
  const info = await ctx.db.all<{ name: string; pk: number; type: string }>(`PRAGMA table_info(${table})`);
  const columns = info.map((c) => c.name);
  const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const key = pk.length ? pk : ['rowid'];
  const phoneAt = new Set(columns.flatMap((c, i) => (c === 'phone' || c.endsWith('_phone') ? [i] : [])));
  const detailsAt = table === 'audit_log' ? columns.indexOf('details') : -1;
  const mask = !!options.maskPhone;
  const db = ctx.db;
  const tableRows = async function* () {
    for await (const row of db.scanTable<Record<string, CsvCell>>(table, columns, key)) {
      const cells = columns.map((c) => row[c]);
      if (mask) {
        for (const i of phoneAt) if (typeof cells[i] === 'string') cells[i] = maskPhone(cells[i] as string);
        if (detailsAt >= 0 && typeof cells[detailsAt] === 'string') cells[detailsAt] = (cells[detailsAt] as string).replace(MOBILE_IN_TEXT, maskPhone);
      }
      yield cells;
    }
  };
  const csv = { bom: ctx.settings.get('csv.bom') !== 'false', guard: true };
  // one snapshot across the pages, so rows written meanwhile by the desks are all in or all out
  return db.snapshot(async () => {
    if (options.out) {
      let count = 0;
      const files: string[] = [];
      for (const kind of fileKinds(format)) {
        const file = path.resolve(format === 'both' ? withExtension(options.out, kind) : options.out);
        if (kind === 'csv') count = await writeCsvFile(file, columns, tableRows(), csv);
        else {
          checkOut(file);
          const { writeXlsx } = await import('../xlsx/write.js');
          const typed: Column[] = info.map((c) => ({ key: c.name, zh: c.name, en: c.name, type: tableColumnType(c.name, c.type ?? '') }));
          const objects = (async function* () {
            for await (const cells of tableRows()) yield Object.fromEntries(columns.map((c, i) => [c, cells[i] as string | number | null]));
          })();
          count = await writeXlsx(file, typed, objects, { tz: ctx.tz, headers: 'keys', locale: ctx.settings.locale, sheet: table });
        }
        files.push(file);
      }
      return { table, rows: count, file: files[0]!, ...(files.length > 1 ? { files } : {}) };
    }
    const count = await writeCsvStream(options.stdout ?? process.stdout, columns, tableRows(), csv);
    return { table, rows: count, file: null };
  });
}
