/**
 * Contact outcomes for the calling lists (SPEC §13, §16): which lists take one, what REF names on each,
 * what each result does to the list, and the `last_contact` cell. Pure.
 */
import { invalid } from './errors.js';
import { addDays, formatLocal, type Day } from './time.js';

export const CONTACT_LISTS = ['appointment-reminders', 'maintenance-due', 'lapsed-customers', 'declined-work', 'arrears', 'credits'] as const;
export type ContactList = (typeof CONTACT_LISTS)[number];
export const CONTACT_RESULTS = ['reached', 'booked', 'declined', 'no_answer', 'later', 'wrong_number', 'refused'] as const;
export type ContactResult = (typeof CONTACT_RESULTS)[number];

/** What REF names on each list (§16). */
export const REF_KIND: Record<ContactList, 'booking' | 'plate' | 'phone' | 'order_or_booking'> = {
  'appointment-reminders': 'booking',
  'maintenance-due': 'plate',
  'lapsed-customers': 'phone',
  'declined-work': 'plate',
  arrears: 'order_or_booking',
  credits: 'order_or_booking',
};

export function parseContactList(text: string | undefined): ContactList {
  if (!text) throw invalid('--list', text ?? '', `one of ${CONTACT_LISTS.join(', ')} (callbacks keep their own form: pitstop callback record)`);
  if (text === 'callbacks') throw invalid('--list', text, 'a calling list; callbacks keep their own form: pitstop callback record RO --result …');
  if (!(CONTACT_LISTS as readonly string[]).includes(text)) throw invalid('--list', text, `one of ${CONTACT_LISTS.join(', ')}`);
  return text as ContactList;
}

export function parseContactResult(text: string | undefined): ContactResult {
  if (!text || !(CONTACT_RESULTS as readonly string[]).includes(text)) throw invalid('--result', text ?? '', `one of ${CONTACT_RESULTS.join(', ')}`);
  return text as ContactResult;
}

/** The last contact cell: `YYYY-MM-DD HH:mm result` in the shop's zone (§16), or ''. */
export function lastContactCell(c: { at: string; result: string } | undefined, zone: string): string {
  return c ? `${formatLocal(c.at, zone)} ${c.result}` : '';
}

/** The latest contact of a subject on a list, as the list rules need it. */
export interface LatestContact {
  /** the contact's shop-local day */
  on: Day;
  result: ContactResult | string;
  /** for `later`: the shop-local day to call again */
  later_on: Day | null;
}

/**
 * What the latest outcome does to a row of maintenance-due or declined-work on day D (§16):
 * `later` keeps it off until its day and lists it on that day even inside the cooldown;
 * `booked`, `declined`, `refused` keep it off for `cooldownDays` from the contact;
 * other outcomes change nothing. Returns 'force' (list it whatever the cooldown), 'skip' or 'keep'.
 */
export function cooldownOutcome(latest: LatestContact | undefined, day: Day, cooldownDays: number): 'force' | 'skip' | 'keep' {
  if (!latest) return 'keep';
  if (latest.result === 'later' && latest.later_on) return latest.later_on === day ? 'force' : latest.later_on > day ? 'skip' : 'keep';
  if (latest.result === 'booked' || latest.result === 'declined' || latest.result === 'refused') return day < addDays(latest.on, cooldownDays) ? 'skip' : 'keep';
  return 'keep';
}
