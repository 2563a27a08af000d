/**
 * Masking phone numbers in what leaves the desk (issue 13.7): the phone columns, and mobile numbers a
 * person typed into free text (a note, a complaint, a callback comment). Pure.
 */
import { maskPhone } from './identity.js';

/**
 * A mainland mobile written into text, as people type it: `13800138000`, `138 0013 8000`,
 * `138-0013-8000`, with or without `+86`/`86` in front; not part of a longer run of digits.
 */
const MOBILE_IN_TEXT = /(?<![\d])(?:\+?86[\s-]?)?(1[3-9]\d)((?:[\s-]?\d){4})((?:[\s-]?\d){4})(?![\d])/g;

/** A landline as the archive stores a fleet customer's (0 + area code + number, digits only). */
const LANDLINE_DIGITS = /(?<![\d])0\d{9,11}(?![\d])/g;

/** Every mobile number in `text` masked as 138****8000 (separators dropped); the rest unchanged. */
export function maskText(text: string): string {
  return text.replace(MOBILE_IN_TEXT, (_m, head: string, middle: string, tail: string) => {
    const digits = head + middle.replace(/\D/g, '') + tail.replace(/\D/g, '');
    return maskPhone(digits);
  });
}

/**
 * Output for a shared screen: mobile numbers anywhere in it and landlines in their stored form
 * (`02157970561`) masked. For whole printed output (tables, `show`, JSON), where a phone can be in
 * any column.
 */
export function maskOutput(text: string): string {
  return maskText(text).replace(LANDLINE_DIGITS, (d) => maskPhone(d));
}

/** Columns of the exported tables that hold text people typed (and may put a phone number in). */
export const FREE_TEXT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  customers: ['note', 'address', 'company'],
  vehicles: [],
  bookings: ['service', 'complaint'],
  orders: ['complaint', 'belongings', 'damage'],
  order_lines: ['description'],
  findings: ['description'],
  callbacks: ['comment', 'suggestion'],
  complaints: ['description', 'resolution'],
  audit_log: ['details'],
  job_runs: ['error'],
};

/** Columns of the job lists that hold typed text. */
export const JOB_FREE_TEXT_COLUMNS: readonly string[] = ['service', 'complaint', 'open_findings', 'declined_items', 'items', 'note', 'comment', 'description'];

/** A phone column: `phone` or `…_phone`. */
export function isPhoneColumn(name: string): boolean {
  return name === 'phone' || name.endsWith('_phone');
}

/** A list row with its phone columns masked and phone numbers in its free text masked. */
export function maskRow<R extends Record<string, unknown>>(row: R, textColumns: readonly string[] = JOB_FREE_TEXT_COLUMNS): R {
  let copy: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(row)) {
    if (typeof value !== 'string') continue;
    const masked = isPhoneColumn(key) ? maskPhone(value) : textColumns.includes(key) ? maskText(value) : value;
    if (masked !== value) (copy ??= { ...row })[key] = masked;
  }
  return (copy ?? row) as R;
}
