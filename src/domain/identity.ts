/** Validation and normalization of the identifiers a shop types: phones, plates, VINs, odometer. */
import { invalid } from './errors.js';

/** NFKC first, so full-width input (`１３８…`, `京Ａ１２３４５`) works; then trim. */
export function nfkc(text: string): string {
  return String(text ?? '').normalize('NFKC').trim();
}

export type CustomerKind = 'private' | 'fleet';

/**
 * A mainland mobile (1[3-9] + 9 digits) after removing spaces, dashes and a +86/86 prefix; a fleet
 * customer may also give a landline: 0 + area code + number. Returns the digits.
 */
export function normalizePhone(text: string, kind: CustomerKind = 'private'): string {
  let digits = nfkc(text).replace(/[\s\-()（）]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (/^86\d{11}$/.test(digits)) digits = digits.slice(2);
  if (/^1[3-9]\d{9}$/.test(digits)) return digits;
  if (kind === 'fleet' && /^0\d{2,3}\d{7,8}$/.test(digits) && digits.length <= 12) return digits;
  throw invalid(
    'phone',
    text,
    kind === 'fleet'
      ? 'expected a mainland mobile (11 digits, 13…–19…) or a landline 0 + area code + number'
      : 'expected a mainland mobile number: 11 digits starting 13–19 (landlines only for fleet customers)',
  );
}

/** 138****0001: for lists that leave the desk. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4) : phone;
}

export const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const L = 'A-HJ-NP-Z'; // plate letters: no I, no O
const PLATE_7 = new RegExp(`^[${PROVINCES}][${L}][${L}0-9]{4}[${L}0-9挂学警港澳]$`);
// New-energy: small cars D/F then 5 characters; large vehicles 5 digits then D/F.
const PLATE_8 = new RegExp(`^[${PROVINCES}][${L}](?:[DF][${L}0-9][0-9]{4}|[0-9]{5}[DF])$`);

/** Chinese plate, upper case without spaces, dots or `·`. */
export function normalizePlate(text: string): string {
  const plate = nfkc(text).toUpperCase().replace(/[\s.·•・\-]/g, '');
  if (PLATE_7.test(plate) || PLATE_8.test(plate)) return plate;
  let hint = 'expected a Chinese plate: province + letter + 5 letters/digits (7), or 8 for new-energy';
  if (plate.length > 1 && /[IO]/.test(plate.slice(1))) hint = 'I and O are not plate letters (use 1 and 0)';
  else if (plate && !PROVINCES.includes(plate[0]!)) hint = `must start with a province abbreviation (${PROVINCES.slice(0, 6)}…)`;
  throw invalid('plate', text, hint);
}

const VIN_VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** The ISO 3779 / GB 16735 check digit (position 9) a VIN should have. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i]!;
    const value = c >= '0' && c <= '9' ? Number(c) : VIN_VALUES[c]!;
    sum += value * VIN_WEIGHTS[i]!;
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

export interface VinResult {
  vin: string;
  /** Set when the check digit is wrong: what it should be. */
  expectedCheck?: string;
}

/** 17 characters from A–H J–N P R–Z 0–9. The check digit is reported, not thrown: `--force` may accept it. */
export function normalizeVin(text: string): VinResult {
  const vin = nfkc(text).toUpperCase().replace(/[\s\-]/g, '');
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) {
    const hint = /[IOQ]/.test(vin) ? 'I, O and Q are not used in VINs' : 'expected 17 characters from A–H, J–N, P, R–Z, 0–9';
    throw invalid('vin', text, hint);
  }
  const expected = vinCheckDigit(vin);
  return vin[8] === expected ? { vin } : { vin, expectedCheck: expected };
}

/** A whole number of km. */
export function parseKm(field: string, text: string | number): number {
  const s = nfkc(String(text));
  if (/^\d{8,}$/.test(s.replace(/^0+(?=\d)/, ''))) throw invalid(field, text, 'too large: at most 9999999 km');
  if (!/^\d+$/.test(s)) throw invalid(field, text, 'expected a whole number of km, like 45210');
  return Number(s);
}

export interface Reading {
  km: number;
  day: string;
}

export type MileageProblem =
  | { kind: 'backwards'; last: Reading }
  | { kind: 'jump'; last: Reading; maxKm: number };

/**
 * Never below the last known reading, and not more than maxDailyKm × max(1, days since it) above it.
 * Returns the problem (the caller decides: exit 4, or `--force` and audit) or null.
 */
export function checkMileage(km: number, day: string, last: Reading | null, maxDailyKm: number, daysSince: number): MileageProblem | null {
  if (!last) return null;
  if (km < last.km) return { kind: 'backwards', last };
  const maxKm = last.km + maxDailyKm * Math.max(1, daysSince);
  if (km > maxKm) return { kind: 'jump', last, maxKm };
  void day;
  return null;
}

export function describeMileageProblem(km: number, p: MileageProblem): string {
  return p.kind === 'backwards'
    ? `mileage ${km} is below the last reading ${p.last.km} km on ${p.last.day}; use --force if the odometer was replaced`
    : `mileage ${km} is more than ${p.maxKm} km (last reading ${p.last.km} km on ${p.last.day}), likely a typo; use --force if it is right`;
}

/** Free text from a person or a spreadsheet: NFKC, trimmed, control characters refused. */
export function cleanText(field: string, text: string | undefined, max = 2000): string | null {
  if (text === undefined || text === null) return null;
  const s = String(text).normalize('NFKC').trim();
  if (s === '') return null;
  // Allow line breaks and tabs in notes; refuse other control and bidi-override characters.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(s)) {
    throw invalid(field, text, 'contains control characters');
  }
  if (s.length > max) throw invalid(field, text, `longer than ${max} characters`);
  return s;
}

/** A person's or company's name: required, one line. */
export function cleanName(field: string, text: string | undefined, max = 100): string {
  const s = cleanText(field, text ?? '', max);
  if (!s) throw invalid(field, text ?? '', 'must not be empty');
  if (/[\r\n\t]/.test(s)) throw invalid(field, text, 'must be on one line');
  return s;
}

/**
 * The longest `--search` text: far above any name, phone, company or plate, and far below what makes
 * SQLite refuse a LIKE pattern ("too complex", 50 000 bytes).
 */
export const SEARCH_MAX = 200;

/** A `--search` text: NFKC, trimmed; empty is no search; over SEARCH_MAX characters is exit 2. */
export function cleanSearch(text: string | undefined, field = '--search'): string | undefined {
  if (text === undefined) return undefined;
  const s = nfkc(text);
  if (s.length > SEARCH_MAX) throw invalid(field, text, `is ${s.length} characters long; a search may be at most ${SEARCH_MAX} characters`);
  return s === '' ? undefined : s;
}
