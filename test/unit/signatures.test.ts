/** Which signatures sign.required asks for, and when a signature covers what changed (SPEC §11, §16). */
import { describe, expect, it } from 'vitest';
import {
  defaultSignWhat, describeMissing, missingAtDelivery, missingAtStart, parseSignRequired, unsignedSafetyWarning, type Signature, type SignFacts,
} from '../../src/domain/signatures.js';

const facts = (over: Partial<SignFacts> = {}): SignFacts => ({
  status: 'approved', ready_at: null, reopened_at: null, lines_changed_at: null, additional_at: null, declined_at: null, open_safety: null, ...over,
});
const sig = (what: string, signed_at: string, role = 'customer'): Signature => ({ role, what, name: null, signed_at });
const T = (h: number) => `2026-11-23T${String(h).padStart(2, '0')}:00:00.000Z`;

describe('sign.required', () => {
  it.each([
    ['', []],
    ['estimate', ['estimate']],
    [' delivery , estimate ', ['estimate', 'delivery']],
    ['estimate,additional,declined,delivery', ['estimate', 'additional', 'declined', 'delivery']],
  ])('%j reads as %j', (text, keys) => expect(parseSignRequired(text)).toEqual(keys));

  it.each(['estimates', 'estimate;delivery', 'customer'])('%j is refused', (text) => expect(() => parseSignRequired(text)).toThrow(/comma-separated list/));
});

describe('order sign --what by default', () => {
  it.each([
    ['open', 'estimate'],
    ['approved', 'estimate'],
    ['in_progress', null],
    ['ready', 'delivery'],
    ['delivered', null],
  ])('%s → %s', (status, what) => expect(defaultSignWhat(status)).toBe(what));
});

describe('at order start', () => {
  it('needs the customer\'s estimate signature, after the last line change and reopen', () => {
    expect(missingAtStart([], facts(), [])).toEqual([]);
    expect(missingAtStart(['estimate'], facts(), [])).toEqual([{ what: 'estimate', reason: 'the customer has not signed the estimate' }]);
    expect(missingAtStart(['estimate'], facts(), [sig('estimate', T(9))])).toEqual([]);
    // the advisor's signature is not the customer's
    expect(missingAtStart(['estimate'], facts(), [sig('estimate', T(9), 'advisor')])).toHaveLength(1);
    // a line edited after the signature: the estimate changed
    expect(missingAtStart(['estimate'], facts({ lines_changed_at: T(10) }), [sig('estimate', T(9))])).toEqual([{ what: 'estimate', reason: 'the estimate changed after it was signed' }]);
    expect(missingAtStart(['estimate'], facts({ lines_changed_at: T(10) }), [sig('estimate', T(9)), sig('estimate', T(11))])).toEqual([]);
    expect(missingAtStart(['estimate'], facts({ reopened_at: T(12) }), [sig('estimate', T(11))])).toHaveLength(1);
    // delivery signatures do not count
    expect(missingAtStart(['estimate', 'delivery'], facts(), [sig('delivery', T(9))])).toHaveLength(1);
  });
});

describe('at order deliver', () => {
  const all = ['additional', 'declined', 'delivery'] as const;
  it('asks only what applies, each key on its own', () => {
    expect(missingAtDelivery(all, facts({ ready_at: T(15) }), [sig('delivery', T(16))])).toEqual([]);
    expect(missingAtDelivery(['estimate'], facts({ ready_at: T(15), declined_at: T(9) }), [])).toEqual([]);
    expect(missingAtDelivery(all, facts({ ready_at: T(15), additional_at: T(12), declined_at: T(9) }), []).map((m) => m.what)).toEqual(['additional', 'declined', 'delivery']);
  });

  it('a signature before the QC pass, the last added line or a reopen does not count', () => {
    expect(missingAtDelivery(['delivery'], facts({ ready_at: T(15) }), [sig('delivery', T(14))]).map((m) => m.what)).toEqual(['delivery']);
    expect(missingAtDelivery(['additional'], facts({ additional_at: T(12) }), [sig('additional', T(11))]).map((m) => m.what)).toEqual(['additional']);
    expect(missingAtDelivery(['additional'], facts({ additional_at: T(12) }), [sig('additional', T(12))])).toEqual([]);
    expect(missingAtDelivery(['declined'], facts({ declined_at: T(9), reopened_at: T(13) }), [sig('declined', T(10))]).map((m) => m.what)).toEqual(['declined']);
  });

  it('open safety findings need the declined signature too', () => {
    const f = facts({ open_safety: { labels: ['F7', 'F9'], latest_at: T(10) } });
    expect(missingAtDelivery(['declined'], f, [])).toEqual([{ what: 'declined', reason: 'safety findings F7, F9 are not fixed' }]);
    expect(missingAtDelivery(['declined'], f, [sig('declined', T(11))])).toEqual([]);
    expect(unsignedSafetyWarning(f, [])).toMatch(/^safety findings F7, F9 of this car are neither fixed nor signed as declined/);
    expect(unsignedSafetyWarning(f, [sig('declined', T(9))])).not.toBeNull();
    expect(unsignedSafetyWarning(f, [sig('declined', T(10))])).toBeNull();
    expect(unsignedSafetyWarning(facts(), [])).toBeNull();
  });

  it('the message names the order, what is missing, why, and the command', () => {
    expect(describeMissing('RO-20261123-0001', [{ what: 'delivery', reason: 'the customer has not signed for the car' }])).toBe(
      "order RO-20261123-0001 needs the customer's signature (sign.required): delivery (the customer has not signed for the car); record it with: pitstop order sign RO-20261123-0001 --as customer --what delivery",
    );
  });
});
