/**
 * `pitstop export TABLE` and the CSV writer behind it: UTF-8 with a BOM and CRLF so Excel and WPS read
 * Chinese correctly, a formula guard on text cells (a cell starting `=` must not run in a spreadsheet),
 * rows streamed one at a time, files written to a temporary name and renamed, owner-only (0600).
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Ctx } from './context.js';
import { auditExport } from './privacy.js';
import { assertReplaceable } from '../fsx/atomic.js';
import { usage } from '../errors.js';
import { maskPhone } from '../domain/identity.js';
import { FREE_TEXT_COLUMNS, isPhoneColumn, maskText } from '../domain/privacy.js';
import { writeCsvFile, writeCsvStream, type CsvCell } from '../csv.js';
import { formatLocal, STORED_INSTANT } from '../domain/time.js';
import { fileKinds, withExtension, type FileFormat } from '../domain/file-format.js';
import type { Column, ColumnType } from '../../jobs/types.js';

/** The documented tables of SPEC §7. */
export const EXPORT_TABLES = [
  'customers', 'vehicles', 'staff', 'bookings', 'orders', 'order_lines', 'findings', 'payments',
  'callbacks', 'complaints', 'job_runs', 'job_listings', 'audit_log', 'settings',
] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

// The CSV writer of untyped records (export, rejected import rows) lives with the jobs' one in src/csv.ts.
export { csvField, csvLine, writeCsvFile, writeCsvStream, type CsvCell, type CellCsvOptions as CsvOptions } from '../csv.js';

export function parseTable(text: string): ExportTable {
  const t = String(text ?? '').normalize('NFKC').trim().toLowerCase();
  if ((EXPORT_TABLES as readonly string[]).includes(t)) return t as ExportTable;
  throw usage(`unknown table ${JSON.stringify(text)}: expected one of ${EXPORT_TABLES.join(', ')}`);
}

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

/** Export one table with all its columns, streamed row by row. */
export async function exportTable(ctx: Ctx, tableText: string, options: ExportOptions = {}): Promise<{ table: ExportTable; rows: number; file: string | null; files?: string[] }> {
  const table = parseTable(tableText);
  const format = options.format ?? 'csv';
  if (format !== 'csv' && !options.out) throw usage(`--format ${format} writes a workbook file: give --out FILE (a workbook is not sent to stdout)`);
  const info = await ctx.db.all<{ name: string; pk: number; type: string }>(`PRAGMA table_info(${table})`);
  const columns = info.map((c) => c.name);
  const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const key = pk.length ? pk : ['rowid'];
  const phoneAt = new Set(columns.flatMap((c, i) => (isPhoneColumn(c) ? [i] : [])));
  // phone numbers people typed into notes, complaints, comments (issue 13.7)
  const textAt = columns.flatMap((c, i) => ((FREE_TEXT_COLUMNS[table] ?? []).includes(c) ? [i] : []));
  // instants (`…_at`) print shop-local, `YYYY-MM-DD HH:mm`, like the job CSVs (SPEC §9)
  const instantAt = columns.flatMap((c, i) => (c.endsWith('_at') ? [i] : []));
  const tz = ctx.tz;
  const mask = !!options.maskPhone;
  const db = ctx.db;
  // `localInstants`: CSV prints instants as shop-local text; a workbook gets the stored instant and makes a date cell of it
  const tableRows = async function* (localInstants = true) {
    for await (const row of db.scanTable<Record<string, CsvCell>>(table, columns, key)) {
      const cells = columns.map((c) => row[c]);
      if (localInstants) for (const i of instantAt) {
        const v = cells[i];
        if (typeof v === 'string' && STORED_INSTANT.test(v)) cells[i] = formatLocal(v, tz);
      }
      if (mask) {
        for (const i of phoneAt) if (typeof cells[i] === 'string') cells[i] = maskPhone(cells[i] as string);
        for (const i of textAt) if (typeof cells[i] === 'string') cells[i] = maskText(cells[i] as string);
      }
      yield cells;
    }
  };
  const csv = { bom: ctx.settings.get('csv.bom') !== 'false', guard: true };
  // one snapshot across the pages, so rows written meanwhile by the desks are all in or all out
  const result = await db.snapshot(async () => {
    if (options.out) {
      let count = 0;
      const files: string[] = [];
      for (const kind of fileKinds(format)) {
        const file = path.resolve(format === 'both' ? withExtension(options.out, kind) : options.out);
        if (kind === 'csv') count = await writeCsvFile(file, columns, tableRows(), csv);
        else {
          assertReplaceable(file, '--out', options.out);
          const { writeXlsx } = await import('../xlsx/write.js');
          const typed: Column[] = info.map((c) => ({ key: c.name, zh: c.name, en: c.name, type: tableColumnType(c.name, c.type ?? '') }));
          const objects = (async function* () {
            for await (const cells of tableRows(false)) yield Object.fromEntries(columns.map((c, i) => [c, cells[i] as string | number | null]));
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
  // Who took what out of the shop, how many rows, masked or not (issue 13.7).
  await auditExport(ctx, 'export', table, { rows: result.rows, to: result.file ?? 'stdout', masked: mask });
  return result;
}
