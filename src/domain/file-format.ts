/** Which files a list is written as (SPEC §14): `--format csv|xlsx|both`, default the setting jobs.format. */
import { invalid } from './errors.js';

export const FILE_FORMATS = ['csv', 'xlsx', 'both'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
export type FileKind = 'csv' | 'xlsx';

export function parseFileFormat(flag: string, text: string): FileFormat {
  const t = String(text ?? '').normalize('NFKC').trim().toLowerCase();
  if ((FILE_FORMATS as readonly string[]).includes(t)) return t as FileFormat;
  throw invalid(flag, text, 'expected csv, xlsx or both');
}

/** The files of a format, CSV first. */
export const fileKinds = (format: FileFormat): FileKind[] => (format === 'both' ? ['csv', 'xlsx'] : [format]);

/** `x.csv` → `x.xlsx` (and back); a name without either extension gets the kind's. */
export function withExtension(file: string, kind: FileKind): string {
  const bare = file.replace(/\.(csv|xlsx)$/i, '');
  return `${bare}.${kind}`;
}
