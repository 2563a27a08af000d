/** The rules of contact outcomes and consent per channel (SPEC §13, §16). */
import { describe, expect, it } from 'vitest';
import { cooldownOutcome, lastContactCell, parseContactList, parseContactResult } from '../../src/domain/contacts.js';
import { consentOf } from '../../src/app/customers.js';

describe('what the latest outcome does to a maintenance-due or declined-work row on day D', () => {
  it.each([
    ['no contact', undefined, '2026-12-10', 'keep'],
    ['reached', { on: '2026-12-01', result: 'reached', later_on: null }, '2026-12-10', 'keep'],
    ['no_answer', { on: '2026-12-09', result: 'no_answer', later_on: null }, '2026-12-10', 'keep'],
    ['later, before its day', { on: '2026-12-01', result: 'later', later_on: '2026-12-11' }, '2026-12-10', 'skip'],
    ['later, on its day', { on: '2026-12-01', result: 'later', later_on: '2026-12-10' }, '2026-12-10', 'force'],
    ['later, after its day', { on: '2026-12-01', result: 'later', later_on: '2026-12-09' }, '2026-12-10', 'keep'],
    ['booked the day before', { on: '2026-12-09', result: 'booked', later_on: null }, '2026-12-10', 'skip'],
    ['declined 29 days before (cooldown 30)', { on: '2026-11-11', result: 'declined', later_on: null }, '2026-12-10', 'skip'],
    ['refused 30 days before (cooldown 30): over', { on: '2026-11-10', result: 'refused', later_on: null }, '2026-12-10', 'keep'],
  ] as const)('%s → %s', (_what, latest, day, expected) => {
    expect(cooldownOutcome(latest, day, 30)).toBe(expected);
  });

  it('a cooldown of 0 days keeps nothing off', () => {
    expect(cooldownOutcome({ on: '2026-12-10', result: 'refused', later_on: null }, '2026-12-10', 0)).toBe('keep');
  });
});

describe('last_contact', () => {
  it('is "YYYY-MM-DD HH:mm result" in the shop zone, or empty', () => {
    expect(lastContactCell({ at: '2026-12-03T16:30:00.000Z', result: 'later' }, 'Asia/Shanghai')).toBe('2026-12-04 00:30 later');
    expect(lastContactCell(undefined, 'Asia/Shanghai')).toBe('');
  });
});

describe('lists and results', () => {
  it('callbacks keep their own form; unknown names are refused naming the flag', () => {
    expect(parseContactList('declined-work')).toBe('declined-work');
    expect(() => parseContactList('callbacks')).toThrow(/callbacks keep their own form/);
    expect(() => parseContactList('x')).toThrow(/invalid --list "x"/);
    expect(parseContactResult('wrong_number')).toBe('wrong_number');
    expect(() => parseContactResult('busy')).toThrow(/invalid --result "busy"/);
  });
});

describe('consent per channel', () => {
  const none = { no_calls: 0, no_messages: 0 } as const;
  it.each([
    [{}, none, { no_calls: 0, no_messages: 0, do_not_contact: 0 }],
    [{ doNotContact: true }, none, { no_calls: 1, no_messages: 1, do_not_contact: 1 }],
    [{ doNotContact: true, messages: true }, none, { no_calls: 1, no_messages: 0, do_not_contact: 0 }],
    [{ calls: false }, none, { no_calls: 1, no_messages: 0, do_not_contact: 0 }],
    [{ messages: false }, { no_calls: 1, no_messages: 0 }, { no_calls: 1, no_messages: 1, do_not_contact: 1 }],
    [{ doNotContact: false }, { no_calls: 1, no_messages: 1 }, { no_calls: 0, no_messages: 0, do_not_contact: 0 }],
    [{ calls: true }, { no_calls: 1, no_messages: 1 }, { no_calls: 0, no_messages: 1, do_not_contact: 0 }],
  ] as const)('%j over %j → %j', (input, current, expected) => {
    expect(consentOf(input, current)).toEqual(expected);
  });
});
