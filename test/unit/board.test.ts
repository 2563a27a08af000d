/** The board's pure rules (SPEC §16 "Capacity and the board"): bay holds and where an order stands. */
import { describe, expect, it } from 'vitest';
import { bayHold, boardState, formatMinutes, overdueHours } from '../../src/domain/board.js';

const T = (hhmm: string) => Date.parse(`2026-11-23T${hhmm}:00.000Z`);
const iso = (hhmm: string) => new Date(T(hhmm)).toISOString();

describe('bayHold', () => {
  it.each([
    // status, opened, promised, now → [start, end] or null
    ['open', '01:00', '09:00', '02:00', ['01:00', '09:00']],
    ['in_progress', '01:00', '03:00', '05:00', ['01:00', '05:00']], // overdue: until now
    ['approved', '01:00', null, '01:30', ['01:00', '02:00']], // no promise: opening + 60 min
    ['approved', '01:00', null, '04:00', ['01:00', '04:00']],
    ['ready', '01:00', '09:00', '02:00', null], // waiting for its owner: no bay
    ['delivered', '01:00', '09:00', '02:00', null],
    ['cancelled', '01:00', '09:00', '02:00', null],
  ])('%s opened %s promised %s at %s → %o', (status, opened, promised, now, want) => {
    const hold = bayHold({ status, opened_at: iso(opened), promised_at: promised ? iso(promised) : null }, T(now), 60);
    expect(hold).toEqual(want ? { start: T(want[0]!), end: T(want[1]!) } : null);
  });
});

describe('boardState', () => {
  it.each([
    // status, opened, promised, at → minutes_left, overdue, check
    ['in_progress', '01:00', '09:00', '06:59', 121, false, false], // 74.8 %
    ['in_progress', '01:00', '09:00', '07:00', 120, false, true], // 75 %: check
    ['ready', '01:00', '09:00', '08:00', 60, false, false], // progress made
    ['approved', '01:00', '09:00', '10:30', -90, true, true],
    ['open', '01:00', null, '10:30', null, false, false],
  ])('%s %s→%s at %s', (status, opened, promised, at, left, overdue, check) => {
    const s = boardState({ status, opened_at: iso(opened), promised_at: promised ? iso(promised) : null }, T(at));
    expect(s).toMatchObject({ minutes_left: left, overdue, check });
  });

  it('formats and measures', () => {
    expect(formatMinutes(125)).toBe('2h 05m');
    expect(formatMinutes(-90)).toBe('-1h 30m');
    expect(overdueHours(T('01:00'), T('03:29'))).toBe(2.4);
    expect(overdueHours(T('01:00'), T('01:00'))).toBe(0);
  });
});

describe('credits and overdue rules', async () => {
  const { planCredits } = await import('../../src/domain/jobs/credits.js');
  const { stageAt } = await import('../../src/domain/jobs/overdue.js');
  it('lists what is owed before the end, oldest first, then by reference', () => {
    const rows = [
      { reference: 'RO-2', since: '2026-11-02T01:00:00.000Z', amount_cents: 100 },
      { reference: '7', since: '2026-11-01T01:00:00.000Z', amount_cents: 300 },
      { reference: '5', since: '2026-11-01T01:00:00.000Z', amount_cents: 300 },
      { reference: '9', since: '2026-11-01T01:00:00.000Z', amount_cents: 0 }, // refunded
      { reference: '8', since: '2026-11-09T01:00:00.000Z', amount_cents: 300 }, // after the end
    ];
    expect(planCredits(rows, '2026-11-05T16:00:00.000Z').map((r) => r.reference)).toEqual(['5', '7', 'RO-2']);
  });
  it.each([
    [{ approved_at: null, started_at: null }, 'open'],
    [{ approved_at: '2026-11-23T01:00:00.000Z', started_at: null }, 'approved'],
    [{ approved_at: '2026-11-23T01:00:00.000Z', started_at: '2026-11-23T02:00:00.000Z' }, 'in_progress'],
    [{ approved_at: '2026-11-23T01:00:00.000Z', started_at: '2026-11-23T05:00:00.000Z' }, 'approved'], // started after the moment
  ])('stage at 03:00 of %o is %s', (times, stage) => {
    expect(stageAt({ kind: 'order', status: 'ready', ...times }, '2026-11-23T03:00:00.000Z')).toBe(stage);
  });
});
