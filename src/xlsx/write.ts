/**
 * The workbook writer of the lists (SPEC §14): one sheet named after the list, header row (keys or
 * labels per csv.headers) frozen and filtered, widths fitted to the text, typed cells (cells.ts).
 *
 * Our own writer over Node's zlib (zip.ts), not exceljs (measured, README "Dependencies"): the sheet
 * is deflated as the rows come, so memory stays flat, and every zip entry carries one fixed date and
 * the document properties one fixed time, so a re-run on the same data writes the same bytes.
 * Written like the CSVs: a hidden temp file in the target folder, 0600, synced, renamed into place.
 */
import type { Column, Row, Rows } from '../../jobs/types.js';
import { batchOf, type WriteOptions } from '../csv.js';
import { writeFileAtomic } from '../fsx/atomic.js';
import { Exit, PitstopError } from '../errors.js';
import { STYLE, colsXml, columnLetters, rowXmlWriter, valueWidth, displayWidth, xmlText } from './cells.js';
import { ZipWriter } from './zip.js';
import { APP, CONTENT_TYPES, ROOT_RELS, STYLES, WORKBOOK_RELS, coreXml, sheetEnd, sheetName, sheetStart, workbookXml } from './parts.js';

export interface XlsxOptions {
  /** The shop's zone: datetime cells are shop-local. */
  tz: string;
  /** Column keys or localized labels in the header row (csv.headers). */
  headers: 'keys' | 'labels';
  locale: 'zh-CN' | 'en';
  /** The sheet's name: the list's (job or table) name. */
  sheet: string;
  /** Written as the workbook's creation time (default 2000-01-01): fixed, so re-runs are byte-identical. */
  created?: Date;
  /** In-cell data bars (the reports' charts): a column over data rows first…last (0-based). */
  bars?: ReadonlyArray<{ column: string; first: number; last: number }>;
}

const DEFAULT_CREATED = new Date(Date.UTC(2000, 0, 1));
/** Rows measured for the column widths before the sheet starts streaming. */
const MEASURED_ROWS = 1000;
/** Sheet XML deflated a chunk at a time (characters). */
const CHUNK = 512 * 1024;

const interrupted = () => new PitstopError(Exit.interrupted, 'interrupted; the file was not written');

function headerLabel(c: Column, options: Pick<XlsxOptions, 'headers' | 'locale'>): string {
  return options.headers === 'labels' ? (options.locale === 'en' ? c.en : c.zh) : c.key;
}

/**
 * Write `rows` as a one-sheet workbook to `file`, atomically, mode 0600. The rows are streamed (the
 * first MEASURED_ROWS are held to fit the column widths); with `sorting` they are put in order first,
 * as the CSV writer does. Returns the number of data rows.
 */
export async function writeXlsx(
  file: string,
  columns: readonly Column[],
  rows: Rows,
  options: XlsxOptions,
  { onRow, signal, sorting, writeChunk }: WriteOptions = {},
): Promise<number> {
  // the one atomic write (src/fsx/atomic.ts): random exclusive temp, every byte written, synced, renamed, 0600
  return writeFileAtomic(file, async (out) => {
    const name = sheetName(options.sheet);
    const widths = columns.map((c) => displayWidth(headerLabel(c, options)) + 2); // room for the filter button
    const measure = (row: Row) => {
      for (let i = 0; i < columns.length; i++) widths[i] = Math.max(widths[i]!, valueWidth(columns[i]!.type, row[columns[i]!.key]));
    };
    const zip = new ZipWriter((bytes) => out.write(bytes));
    await zip.file('[Content_Types].xml', CONTENT_TYPES);
    await zip.file('_rels/.rels', ROOT_RELS);
    await zip.file('docProps/app.xml', APP);
    await zip.file('docProps/core.xml', coreXml(options.created ?? DEFAULT_CREATED));
    await zip.file('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
    await zip.file('xl/styles.xml', STYLES);
    const sheet = await zip.entry('xl/worksheets/sheet1.xml');
    let pending = '';
    const push = async (xml: string, final = false) => {
      pending += xml;
      if (pending.length >= CHUNK || final) {
        if (signal?.aborted) throw interrupted();
        await sheet.push(Buffer.from(pending, 'utf8'));
        pending = '';
      }
    };
    const header = columns.map((c, i) => `<c r="${columnLetters(i)}1" s="${STYLE.header}" t="inlineStr"><is><t>${xmlText(headerLabel(c, options))}</t></is></c>`).join('');
    const start = () => sheetStart(colsXml(widths)) + `<row r="1">${header}</row>`;
    let count = 0;
    const writeRow = rowXmlWriter(columns, options.tz);
    const rowXml = (row: Row) => writeRow(row, ++count + 1);

    if (sorting) {
      const found: { key: string; row: Row }[] = [];
      for await (const batch of rows) {
        if (signal?.aborted) throw interrupted();
        for (const row of batchOf(batch)) {
          found.push({ key: sorting.key(row), row });
          measure(row);
          onRow?.(row);
        }
      }
      found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      await push(start());
      for (const f of found) await push(rowXml(f.row));
    } else {
      let held: Row[] | null = [];
      for await (const batch of rows) {
        if (signal?.aborted) throw interrupted();
        for (const row of batchOf(batch)) {
          onRow?.(row);
          if (held) {
            held.push(row);
            measure(row);
            if (held.length < MEASURED_ROWS) continue;
            await push(start());
            for (const r of held) await push(rowXml(r));
            held = null;
          } else await push(rowXml(row));
        }
      }
      if (held) {
        await push(start());
        for (const r of held) await push(rowXml(r));
      }
    }
    const lastCol = columnLetters(Math.max(0, columns.length - 1));
    const filterRef = `A1:${lastCol}${count + 1}`;
    const index = new Map(columns.map((c, i) => [c.key, i]));
    const bars = (options.bars ?? [])
      .filter((b) => index.has(b.column) && b.last >= b.first)
      .map((b) => {
        const col = columnLetters(index.get(b.column)!);
        return { ref: `${col}${b.first + 2}:${col}${b.last + 2}` };
      });
    await push(sheetEnd(filterRef, bars), true);
    await sheet.end();
    await zip.file('xl/workbook.xml', workbookXml(name, filterRef));
    await zip.finish();
    if (signal?.aborted) throw interrupted();
    return count;
  }, { writeChunk });
}
