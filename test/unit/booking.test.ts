import { describe, expect, it } from 'vitest';
import {
  checkPlacement, daySlots, depositShortfall, fits, isNoShow, minimumDeposit, nearestFreeStarts, noShowCutoff, overlaps,
  parseMinutes, parseSource, peakOverlap, transition, withinHours, type BookingStatus, type Interval,
} from '../../src/domain/booking.js';
import { formatLocal, parseLocalDateTime } from '../../src/domain/time.js';
import { PitstopError } from '../../src/errors.js';
import { exitOfSync as exitOf } from '../exit.js';

const TZ = 'Asia/Shanghai';
const at = (t: string) => parseLocalDateTime('at', t, TZ);
const iv = (start: string, minutes: number): Interval => ({ start: at(start).getTime(), end: at(start).getTime() + minutes * 60_000 });
const hours = { open: 8 * 60 + 30, close: 18 * 60, tz: TZ };
const local = (d: Date) => formatLocal(d, TZ);


describe('overlaps (half-open intervals)', () => {
  it.each([
    ['one ends exactly when the other starts', iv('2026-11-24 09:00', 60), iv('2026-11-24 10:00', 60), false],
    ['one starts exactly when the other ends', iv('2026-11-24 10:00', 60), iv('2026-11-24 09:00', 60), false],
    ['one minute of overlap', iv('2026-11-24 09:00', 61), iv('2026-11-24 10:00', 60), true],
    ['same start', iv('2026-11-24 09:00', 30), iv('2026-11-24 09:00', 120), true],
    ['contained', iv('2026-11-24 09:00', 240), iv('2026-11-24 10:00', 30), true],
    ['apart', iv('2026-11-24 09:00', 30), iv('2026-11-24 11:00', 30), false],
  ])('%s', (_name, a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
    expect(overlaps(b, a)).toBe(expected);
  });
});

describe('capacity: peakOverlap and fits', () => {
  const cand = iv('2026-11-24 09:00', 60);
  it.each<[string, Interval[], number]>([
    ['nothing booked', [], 0],
    ['one ending exactly at the start', [iv('2026-11-24 08:00', 60)], 0],
    ['one starting exactly at the end', [iv('2026-11-24 10:00', 60)], 0],
    ['two back to back inside never run at once', [iv('2026-11-24 09:00', 30), iv('2026-11-24 09:30', 30)], 1],
    ['two overlapping each other inside', [iv('2026-11-24 09:00', 45), iv('2026-11-24 09:30', 30)], 2],
    ['a long one from before plus one inside', [iv('2026-11-24 08:00', 180), iv('2026-11-24 09:50', 30)], 2],
    ['three at the same moment, one elsewhere', [iv('2026-11-24 09:10', 10), iv('2026-11-24 09:15', 10), iv('2026-11-24 09:00', 60), iv('2026-11-24 12:00', 60)], 3],
    ['an overlap only at the slot edge is none', [iv('2026-11-24 08:30', 30), iv('2026-11-24 10:00', 30)], 0],
  ])('%s', (_name, others, peak) => {
    expect(peakOverlap(cand, others)).toBe(peak);
  });

  it.each<[number, Interval[], boolean]>([
    [1, [], true],
    [1, [iv('2026-11-24 08:00', 60)], true],
    [1, [iv('2026-11-24 09:59', 60)], false],
    [1, [iv('2026-11-24 10:00', 60)], true],
    [4, [iv('2026-11-24 09:00', 60), iv('2026-11-24 09:00', 60), iv('2026-11-24 09:30', 60)], true],
    [4, [iv('2026-11-24 09:00', 60), iv('2026-11-24 09:00', 60), iv('2026-11-24 09:30', 60), iv('2026-11-24 09:45', 60)], false],
    // four bookings but never more than two at once
    [4, [iv('2026-11-24 09:00', 30), iv('2026-11-24 09:00', 30), iv('2026-11-24 09:30', 30), iv('2026-11-24 09:30', 30)], true],
    [2, [iv('2026-11-24 09:00', 30), iv('2026-11-24 09:00', 30), iv('2026-11-24 09:30', 30)], false],
  ])('bays=%i with %j → fits %s', (bays, others, expected) => {
    expect(fits(cand, others, bays)).toBe(expected);
  });
});

describe('opening hours: open ≤ start < close', () => {
  it.each([
    [8 * 60 + 29, false],
    [8 * 60 + 30, true],
    [17 * 60 + 59, true],
    [18 * 60, false],
    [0, false],
  ])('start %i → %s', (m, ok) => expect(withinHours(m, hours.open, hours.close)).toBe(ok));
});

describe('checkPlacement', () => {
  const now = at('2026-11-23 10:00');
  const base = { minutes: 60, bays: 1, hours, notBefore: now, busy: [] as Interval[], force: false };
  it('accepts a free slot within hours', () => {
    expect(checkPlacement({ ...base, at: at('2026-11-24 09:00') })).toEqual([]);
  });
  it('accepts a start exactly now, refuses one minute before, even with --force', () => {
    expect(checkPlacement({ ...base, at: at('2026-11-23 10:00') })).toEqual([]);
    expect(exitOf(() => checkPlacement({ ...base, at: at('2026-11-23 09:59') }))).toBe(4);
    expect(exitOf(() => checkPlacement({ ...base, at: at('2026-11-23 09:59'), force: true }))).toBe(4);
  });
  it('refuses outside hours unless forced (and reports what was forced)', () => {
    expect(exitOf(() => checkPlacement({ ...base, at: at('2026-11-24 18:00') }))).toBe(4);
    expect(exitOf(() => checkPlacement({ ...base, at: at('2026-11-24 08:00') }))).toBe(4);
    expect(checkPlacement({ ...base, at: at('2026-11-24 17:59') })).toEqual([]);
    expect(checkPlacement({ ...base, at: at('2026-11-24 18:00'), force: true })[0]).toMatch(/outside opening hours/);
  });
  it('a full slot names the nearest free starts; --force books over capacity', () => {
    const busy = [iv('2026-11-24 09:00', 60)];
    let message = '';
    try {
      checkPlacement({ ...base, busy, at: at('2026-11-24 09:30') });
    } catch (err) {
      message = (err as Error).message;
      expect((err as PitstopError).exitCode).toBe(4);
    }
    expect(message).toContain('is full: 1 of 1 bays');
    expect(message).toContain('nearest free start times: 2026-11-24 10:00, 2026-11-24 10:30, 2026-11-24 11:00');
    expect(checkPlacement({ ...base, busy, at: at('2026-11-24 09:30'), force: true })[0]).toMatch(/over capacity/);
  });
  it('bays=4: a fifth overlapping booking is full, a fourth is not', () => {
    const three = [iv('2026-11-24 09:00', 60), iv('2026-11-24 09:00', 60), iv('2026-11-24 09:00', 60)];
    expect(checkPlacement({ ...base, bays: 4, busy: three, at: at('2026-11-24 09:30') })).toEqual([]);
    expect(exitOf(() => checkPlacement({ ...base, bays: 4, busy: [...three, iv('2026-11-24 09:15', 30)], at: at('2026-11-24 09:30') }))).toBe(4);
  });
});

describe('nearestFreeStarts', () => {
  const now = at('2026-11-23 10:00');
  const q = { minutes: 60, bays: 1, hours, notBefore: now };
  it('searches both directions on the same day, nearest first, earlier first on a tie', () => {
    const busy = [iv('2026-11-24 12:00', 60)];
    const r = nearestFreeStarts({ ...q, busy, at: at('2026-11-24 12:00') }).map(local);
    // 11:00 ends exactly at 12:00 (fits); 11:30 would overlap; 13:00 starts when the busy one ends
    expect(r).toEqual(['2026-11-24 11:00', '2026-11-24 13:00', '2026-11-24 10:30']);
  });
  it('goes on to the following days when the day is full, never into the past', () => {
    const busy = [iv('2026-11-23 08:30', 9.5 * 60 + 60)];
    const r = nearestFreeStarts({ ...q, busy, at: at('2026-11-23 16:00') }).map(local);
    expect(r).toEqual(['2026-11-24 08:30', '2026-11-24 09:00', '2026-11-24 09:30']);
  });
  it('skips the past on the requested day', () => {
    const busy = [iv('2026-11-23 10:00', 60)];
    const r = nearestFreeStarts({ ...q, busy, at: at('2026-11-23 10:00') }).map(local);
    expect(r).toEqual(['2026-11-23 11:00', '2026-11-23 11:30', '2026-11-23 12:00']);
  });
});

describe('daySlots', () => {
  it('free capacity by half hour', () => {
    const slots = daySlots('2026-11-24', hours, 2, [iv('2026-11-24 09:00', 60), iv('2026-11-24 09:30', 30)]);
    expect(slots).toHaveLength(19);
    expect(slots.slice(0, 4).map((s) => [s.time, s.booked, s.free])).toEqual([
      ['08:30', 0, 2], ['09:00', 1, 1], ['09:30', 2, 0], ['10:00', 0, 2],
    ]);
  });
});

describe('deposit rule', () => {
  it.each([
    [100000, '0.5', 50000],
    [33333, '0.5', 16667], // rounds up to the cent
    [33333, '0.3333', 11110],
    [100000, '0', 0],
    [100000, '1', 100000],
    [0, '0.5', 0],
  ])('parts %i × %s → minimum %i', (parts, ratio, min) => expect(minimumDeposit(parts, ratio)).toBe(min));
  it.each([
    [100000, 50000, '0.5', null],
    [100000, 49999, '0.5', 50000],
    [100000, 0, '0.5', 50000],
    [100000, 120000, '0.5', null],
  ])('parts %i, deposit %i, ratio %s → shortfall %s', (parts, dep, ratio, r) => expect(depositShortfall(parts, dep, ratio)).toBe(r));
});

describe('status machine', () => {
  const cases: Array<[BookingStatus, Parameters<typeof transition>[2], BookingStatus | null]> = [
    ['booked', 'confirm', 'confirmed'],
    ['confirmed', 'confirm', null],
    ['booked', 'arrive', 'arrived'],
    ['confirmed', 'arrive', 'arrived'],
    ['booked', 'cancel', 'cancelled'],
    ['confirmed', 'cancel', 'cancelled'],
    ['booked', 'no_show', 'no_show'],
    ['confirmed', 'no_show', 'no_show'],
    ['confirmed', 'move', 'confirmed'],
    ['arrived', 'cancel', null],
    ['cancelled', 'confirm', null],
    ['no_show', 'arrive', null],
    ['cancelled', 'move', null],
    ['arrived', 'no_show', null],
  ];
  it.each(cases)('%s --%s--> %s', (from, action, to) => {
    if (to) expect(transition(7, from, action)).toBe(to);
    else {
      expect(exitOf(() => transition(7, from, action))).toBe(4);
      expect(() => transition(7, from, action)).toThrow(`booking 7 is ${from}`);
    }
  });
});

describe('no-show rule', () => {
  const start = at('2026-11-24 09:00').getTime();
  it.each<[BookingStatus, string, boolean]>([
    ['booked', '2026-11-24 09:29', false],
    ['booked', '2026-11-24 09:30', true],
    ['confirmed', '2026-11-24 09:30', true],
    ['confirmed', '2026-11-24 12:00', true],
    ['arrived', '2026-11-24 12:00', false],
    ['cancelled', '2026-11-24 12:00', false],
    ['no_show', '2026-11-24 12:00', false],
  ])('%s at %s → %s', (status, t, expected) => expect(isNoShow(status, start, 30, at(t).getTime())).toBe(expected));
  it('cutoff is at − minutes', () => expect(local(noShowCutoff(at('2026-11-24 09:30'), 30))).toBe('2026-11-24 09:00'));
});

describe('parsers', () => {
  it('source and minutes', () => {
    expect(parseSource(undefined)).toBe('phone');
    expect(parseSource('walk-in')).toBe('walk_in');
    expect(exitOf(() => parseSource('fax'))).toBe(2);
    expect(parseMinutes('９０')).toBe(90);
    expect(exitOf(() => parseMinutes('4'))).toBe(2);
    expect(exitOf(() => parseMinutes('1441'))).toBe(2);
  });
});
