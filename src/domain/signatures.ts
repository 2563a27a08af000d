/**
 * Sign-offs as records (SPEC §11, §16): who signed what on a repair order and when, and which of the
 * signatures `sign.required` asks for are missing at `order start` and `order deliver`.
 *
 * A signature satisfies a requirement only if it was made after the last change of what it covers:
 * the estimate after the last line added, edited or removed (and after a reopen); the additional work
 * after the last additional line was added; the declined work after the last decline; the delivery
 * after the last QC pass. So a signature made before a reopen or a line edit does not cover what changed.
 */
import { invalid, show } from './errors.js';

export const SIGN_ROLES = ['customer', 'advisor', 'technician', 'inspector'] as const;
export type SignRole = (typeof SIGN_ROLES)[number];
export const SIGN_WHATS = ['estimate', 'additional', 'declined', 'delivery'] as const;
export type SignWhat = (typeof SIGN_WHATS)[number];

export interface Signature {
  role: SignRole | string;
  what: SignWhat | string;
  name: string | null;
  signed_at: string;
}

/** What an order's requirements are judged on (instants are ISO strings that sort as text). */
export interface SignFacts {
  status: string;
  ready_at: string | null;
  reopened_at: string | null;
  /** when the lines last changed: added, edited or removed */
  lines_changed_at: string | null;
  /** the latest additional line still on the order, or null when there is none */
  additional_at: string | null;
  /** the latest decline of a line still on the order, or null when nothing is declined */
  declined_at: string | null;
  /** open safety findings of the vehicle this order does not fix: labels and when the latest was found */
  open_safety: { labels: string[]; latest_at: string } | null;
}

export function parseSignRole(text: string): SignRole {
  if (!(SIGN_ROLES as readonly string[]).includes(text)) throw invalid('--as', text, `one of ${SIGN_ROLES.join(', ')}`);
  return text as SignRole;
}

export function parseSignWhat(text: string): SignWhat {
  if (!(SIGN_WHATS as readonly string[]).includes(text)) throw invalid('--what', text, `one of ${SIGN_WHATS.join(', ')}`);
  return text as SignWhat;
}

/** `sign.required`: a comma-separated list of SIGN_WHATS, possibly empty. */
export function parseSignRequired(text: string): SignWhat[] {
  const keys = text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of keys) if (!(SIGN_WHATS as readonly string[]).includes(k)) throw new Error(`a comma-separated list of ${SIGN_WHATS.join(', ')} (or empty), not ${show(k)}`);
  return SIGN_WHATS.filter((w) => keys.includes(w));
}

/** `order sign` without --what: the estimate before work starts, the delivery after QC (§16). */
export function defaultSignWhat(status: string): SignWhat | null {
  if (status === 'open' || status === 'approved') return 'estimate';
  if (status === 'ready') return 'delivery';
  return null;
}

const later = (...xs: Array<string | null>): string | null => xs.reduce<string | null>((m, x) => (x && (!m || x > m) ? x : m), null);

/** The customer's signature of `what` made at or after `since` (any, when since is null). */
function signedSince(signatures: readonly Signature[], what: SignWhat, since: string | null): boolean {
  return signatures.some((s) => s.role === 'customer' && s.what === what && (!since || s.signed_at >= since));
}

export interface MissingSignature {
  what: SignWhat;
  /** why it is asked for, in the shop's words */
  reason: string;
}

/** The customer's estimate signature `order start` needs (when `estimate` is required). */
export function missingAtStart(required: readonly SignWhat[], facts: SignFacts, signatures: readonly Signature[]): MissingSignature[] {
  if (!required.includes('estimate')) return [];
  const since = later(facts.lines_changed_at, facts.reopened_at);
  return signedSince(signatures, 'estimate', since) ? [] : [{ what: 'estimate', reason: since && signatures.some((s) => s.what === 'estimate') ? 'the estimate changed after it was signed' : 'the customer has not signed the estimate' }];
}

/** Whether declined work needs the customer's signature on this order (declined lines, or open safety findings). */
export function declinedWorkSince(facts: SignFacts): string | null {
  return later(facts.declined_at, facts.open_safety?.latest_at ?? null);
}

/** The customer's signatures `order deliver` needs, per required key (§16: additional, declined, delivery). */
export function missingAtDelivery(required: readonly SignWhat[], facts: SignFacts, signatures: readonly Signature[]): MissingSignature[] {
  const missing: MissingSignature[] = [];
  if (required.includes('additional') && facts.additional_at && !signedSince(signatures, 'additional', later(facts.additional_at, facts.reopened_at))) {
    missing.push({ what: 'additional', reason: 'work was added after the estimate' });
  }
  const declinedSince = declinedWorkSince(facts);
  if (required.includes('declined') && declinedSince && !signedSince(signatures, 'declined', later(declinedSince, facts.reopened_at))) {
    missing.push({ what: 'declined', reason: facts.open_safety ? `safety findings ${facts.open_safety.labels.join(', ')} are not fixed` : 'work was declined' });
  }
  if (required.includes('delivery') && !signedSince(signatures, 'delivery', later(facts.ready_at, facts.reopened_at))) {
    missing.push({ what: 'delivery', reason: 'the customer has not signed for the car' });
  }
  return missing;
}

/**
 * The warning `order deliver` prints when a safety finding goes out unfixed and unsigned (SPEC §12),
 * or null. With `declined` in `sign.required` the delivery is refused instead.
 */
export function unsignedSafetyWarning(facts: SignFacts, signatures: readonly Signature[]): string | null {
  if (!facts.open_safety) return null;
  if (signedSince(signatures, 'declined', later(facts.open_safety.latest_at, facts.reopened_at))) return null;
  return `safety findings ${facts.open_safety.labels.join(', ')} of this car are neither fixed nor signed as declined by the customer (order sign --as customer --what declined)`;
}

export function describeMissing(orderNumber: string, missing: readonly MissingSignature[]): string {
  return `order ${orderNumber} needs the customer's signature (sign.required): ${missing.map((m) => `${m.what} (${m.reason})`).join('; ')}; record it with: pitstop order sign ${orderNumber} --as customer --what ${missing[0]!.what}`;
}
