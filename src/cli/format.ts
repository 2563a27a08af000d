/** Terminal output: aligned tables that count CJK characters as two columns, and JSON. */

/** Display width: East Asian wide and full-width characters take two columns. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 32 || (cp >= 0x300 && cp <= 0x36f)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

export type Cell = string | number | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** right-align (numbers, money) */
  right?: boolean;
}

/** Render rows as an aligned table; one line per row, cells on one line each. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => oneLine(c.value(r))));
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((row) => displayWidth(row[i]!))));
  const line = (values: string[]) => values.map((v, i) => pad(v, widths[i]!, !!columns[i]!.right)).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n') + '\n';
}

function oneLine(v: Cell): string {
  if (v === null || v === undefined) return '';
  return String(v).replace(/[\r\n\t]+/g, ' ');
}

/** `label: value` lines for one record, labels aligned. Empty values are left out. */
export function fields(pairs: ReadonlyArray<[string, Cell]>): string {
  const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => displayWidth(k)));
  return shown.map(([k, v]) => `${pad(k, width, false)}  ${String(v)}`).join('\n') + '\n';
}

/**
 * The shop's zone for machine output, set when a command opens its database. --json prints every
 * stored instant with the shop's offset (SPEC §9): `2026-11-03T10:00:00+08:00`, never UTC.
 */
let outputZone: string | null = null;
let toLocalIso: ((instant: string, zone: string) => string) | null = null;
let instantPattern: RegExp | null = null;

export async function setOutputZone(zone: string): Promise<void> {
  const time = await import('../domain/time.js');
  outputZone = zone;
  toLocalIso = time.formatIsoLocal;
  instantPattern = time.STORED_INSTANT;
}

export function json(value: unknown): string {
  const zone = outputZone;
  if (!zone || !toLocalIso || !instantPattern) return JSON.stringify(value, null, 2) + '\n';
  const convert = toLocalIso;
  const pattern = instantPattern;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && pattern.test(v) ? convert(v, zone) : v), 2) + '\n';
}

/** A horizontal bar for charts in the terminal: `value` out of `max`, `width` cells wide. */
export function bar(value: number, max: number, width = 30): string {
  if (max <= 0 || value <= 0) return '';
  const eighths = Math.round((value / max) * width * 8);
  const full = Math.floor(eighths / 8);
  const part = eighths % 8;
  return '█'.repeat(full) + (part ? '▏▎▍▌▋▊▉'[part - 1]! : '');
}
