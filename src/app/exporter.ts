/**
 * `pitstop export TABLE` and the CSV writer behind it: UTF-8 with a BOM and CRLF so Excel and WPS read
 * Chinese correctly, a formula guard on text cells (a cell starting `=` must not run in a spreadsheet),
 * rows streamed one at a time, files written to a temporary name and renamed, owner-only (0600).
 */
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Ctx } from './context.js';
import { usage } from '../errors.js';
import { maskPhone } from '../domain/identity.js';
import { writeCsvFile, writeCsvStream, type CsvCell } from '../csv.js';

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

const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

export interface ExportOptions {
  /** Write here; else to `stdout`. */
  out?: string;
  maskPhone?: boolean;
  stdout?: Writable;
}

/** Export one table with all its columns, streamed row by row. */
export async function exportTable(ctx: Ctx, tableText: string, options: ExportOptions = {}): Promise<{ table: ExportTable; rows: number; file: string | null }> {
  const table = parseTable(tableText);
  const info = await ctx.db.all<{ name: string; pk: number }>(`PRAGMA table_info(${table})`);
  const columns = info.map((c) => c.name);
  const pk = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const key = pk.length ? pk : ['rowid'];
  const phoneAt = new Set(columns.flatMap((c, i) => (c === 'phone' || c.endsWith('_phone') ? [i] : [])));
  const detailsAt = table === 'audit_log' ? columns.indexOf('details') : -1;
  const mask = !!options.maskPhone;
  const db = ctx.db;
  const rows = (async function* () {
    for await (const row of db.scanTable<Record<string, CsvCell>>(table, columns, key)) {
      const cells = columns.map((c) => row[c]);
      if (mask) {
        for (const i of phoneAt) if (typeof cells[i] === 'string') cells[i] = maskPhone(cells[i] as string);
        if (detailsAt >= 0 && typeof cells[detailsAt] === 'string') cells[detailsAt] = (cells[detailsAt] as string).replace(MOBILE_IN_TEXT, maskPhone);
      }
      yield cells;
    }
  })();
  const csv = { bom: ctx.settings.get('csv.bom') !== 'false', guard: true };
  // one snapshot across the pages, so rows written meanwhile by the desks are all in or all out
  return db.snapshot(async () => {
    if (options.out) {
      const file = path.resolve(options.out);
      const count = await writeCsvFile(file, columns, rows, csv);
      return { table, rows: count, file };
    }
    const count = await writeCsvStream(options.stdout ?? process.stdout, columns, rows, csv);
    return { table, rows: count, file: null };
  });
}
