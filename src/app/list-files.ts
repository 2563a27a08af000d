/**
 * One list (a job's rows, a table, a report) written as CSV or as a workbook (SPEC §6 "Files", §14),
 * with the settings both share (csv.headers, locale; csv.bom for CSV). The workbook writer is loaded
 * only here and only for xlsx, so `--help` and the CSV path never load it.
 */
import type { Ctx } from './context.js';
import type { Column, Rows } from '../../jobs/types.js';
import { writeCsv, type WriteOptions } from '../csv.js';
import type { FileKind } from '../domain/file-format.js';

export interface ListFileOptions extends WriteOptions {
  /** The sheet's name (the list's name). */
  name: string;
  /** The workbook's fixed creation time (default 2000-01-01). */
  created?: Date;
  /** Data bars of a report workbook. */
  bars?: ReadonlyArray<{ column: string; first: number; last: number }>;
}

export function listSettings(ctx: Ctx) {
  return {
    tz: ctx.tz,
    bom: ctx.settings.get('csv.bom') !== 'false',
    headers: ctx.settings.get('csv.headers') === 'labels' ? ('labels' as const) : ('keys' as const),
    locale: ctx.settings.locale,
  };
}

/** Write the rows to `file` as `kind`, atomically, 0600. Returns the row count. */
export async function writeListFile(ctx: Ctx, kind: FileKind, file: string, columns: readonly Column[], rows: Rows, options: ListFileOptions): Promise<number> {
  const { name, created, bars, ...write } = options;
  if (kind === 'csv') return writeCsv(file, columns, rows, listSettings(ctx), write);
  const { writeXlsx } = await import('../xlsx/write.js');
  return writeXlsx(file, columns, rows, { ...listSettings(ctx), sheet: name, created, bars }, write);
}
