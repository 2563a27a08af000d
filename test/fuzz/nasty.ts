/**
 * A seeded generator of hostile input for the fuzz tests: malformed numbers, dates and times, SQL
 * metacharacters, control and bidirectional characters, zero-width and full-width characters, very
 * long strings, and random mutations of valid values. Same seed, same strings.
 */

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
export const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** Strings every validator must survive. */
export const NASTY: readonly string[] = [
  '', ' ', '\t', '\n', '0', '-0', '-1', '−5', '-5', '+5', '12.345', '1,234.50', '1，234', '1 234', '1234.5.6', '.5', '5.',
  '1e3', '1e309', '-1e309', 'NaN', 'Infinity', '-Infinity', 'null', 'undefined', 'true', '0x10', '0b11', '0o7', '1_000',
  '99999999999999999999', '9007199254740993', '-9007199254740993', '123456789012345678901234567890.12',
  '１２３', '１３８００００００01', '１２.５', '٣', '三', '²', '½',
  "'; DROP TABLE customers;--", '" OR 1=1 --', "Robert'); DELETE FROM audit_log;--", '%', '_', '\\', '`', '$(rm -rf /)', '${HOME}',
  '\u0000', 'a\u0000b', '\u0007', '\u001b[31mred', '\r', '\r\n', 'a\rb', '\u007f', '\u0085',
  '\u202e', 'abc\u202Edcba', '\u202d', '\u2066x\u2069', '\u200f', '\u200e', '\u061c',
  '\u200b', '1\u200b2', '\ufeff', '\ufeff123', '\u2060', '\u00ad',
  '\ud800', 'a\udc00b', '😀', '👨‍👩‍👧', 'é', 'e\u0301', 'ﬁ', 'Ⅻ',
  '2026-02-30', '2026-02-29', '2024-02-29', '2026-13-01', '2026-00-10', '2026-11-31', '0000-01-01', '9999-12-31', '1899-12-31',
  '2026-11-23 24:00', '2026-11-23 23:60', '2026-11-23 10:00:00', '2026-11-23T10:00', '2026-11-23T10:00Z', '2026-11-23 10:00+08:00',
  '2026/11/23 10:00', '23/11/2026', '2026-11-23 9:00', '2026-11-23  10:00', '20261123', 'today', 'now', 'tomorrow',
  '10:00', '24:00', '23:59', '-01:00', '10:00-11:00', '25:00-26:00',
  'x'.repeat(101), 'x'.repeat(2001), '9'.repeat(1000), '张'.repeat(300), 'a'.repeat(100_000),
];

/** A random mutation of a valid value: insert, replace, duplicate, cut, or wrap in something nasty. */
export function mutate(r: Rand, valid: string): string {
  const at = int(r, 0, valid.length);
  const piece = pick(r, ['\u0000', '\u202e', '\u200b', "'", '"', ';', '--', ',', '.', '-', ' ', '\n', '９', 'Ｏ', 'I', 'O', '0', '9', '\ufeff', '\\']);
  switch (int(r, 0, 6)) {
    case 0: return valid.slice(0, at) + piece + valid.slice(at);
    case 1: return valid.slice(0, at) + piece + valid.slice(at + 1);
    case 2: return valid + valid;
    case 3: return valid.slice(0, at);
    case 4: return piece + valid + piece;
    case 5: return valid.slice(0, at) + valid.slice(at).repeat(int(r, 2, 50));
    default: return pick(r, NASTY) + valid;
  }
}

/** Either a fixed nasty string, a mutation of a valid one, or (now and then) a valid one unchanged. */
export function nastyFor(r: Rand, valid: readonly string[]): string {
  const x = r();
  if (x < 0.45) return pick(r, NASTY);
  if (x < 0.9) return mutate(r, pick(r, valid));
  return pick(r, valid);
}

/** Does the text carry characters no stored value may keep? (controls, bidi overrides and isolates) */
export function hasForbidden(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(text);
}

/** Half of a surrogate pair on its own: not text; SQLite stores U+FFFD instead. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Invisible characters a stored value should not keep (zero-width, bidi marks, BOM): reported, not fatal. */
export function hasInvisible(text: string): boolean {
  return /[\u200b-\u200f\u2060\ufeff\u00ad\u061c]/.test(text);
}
