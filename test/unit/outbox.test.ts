/** The outbox's rules (SPEC §13): quiet hours across midnight, backoff and Retry-After, the rate limit, keys. */
import { describe, expect, it } from 'vitest';
import { backoffMinutes, isQuiet, messageKey, nextTry, parseQuiet, payloadOf, quietEnds, rateAllows, retryAfterSeconds } from '../../src/domain/outbox.js';

const m = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

describe('quiet hours', () => {
  const night = parseQuiet('21:00-08:30');
  it.each([
    ['20:59', false], ['21:00', true], ['23:59', true], ['00:00', true], ['08:29', true], ['08:30', false], ['12:00', false],
  ])('21:00-08:30 at %s → %s', (t, quiet) => expect(isQuiet(night, m(t))).toBe(quiet));

  it('a window within one day', () => {
    const lunch = parseQuiet('12:00-13:30');
    expect([isQuiet(lunch, m('11:59')), isQuiet(lunch, m('12:00')), isQuiet(lunch, m('13:29')), isQuiet(lunch, m('13:30'))]).toEqual([false, true, true, false]);
  });

  it('ends the same morning, or the next one when it began in the evening', () => {
    expect(quietEnds(night!, '2026-12-04', m('22:15'))).toEqual({ day: '2026-12-05', minute: m('08:30') });
    expect(quietEnds(night!, '2026-12-05', m('03:00'))).toEqual({ day: '2026-12-05', minute: m('08:30') });
  });

  it('off, and bad windows refused', () => {
    expect(parseQuiet('off')).toBeNull();
    expect(isQuiet(null, m('03:00'))).toBe(false);
    for (const bad of ['21-8', '25:00-08:00', '21:00-21:00', '21:00 - 08:30']) expect(() => parseQuiet(bad)).toThrow();
  });
});

describe('retries', () => {
  const now = new Date('2026-12-04T02:00:00.000Z');
  it('back off 1, 5, 15, 60, 240 minutes, then give up at max_attempts', () => {
    expect([1, 2, 3, 4, 5, 6].map(backoffMinutes)).toEqual([1, 5, 15, 60, 240, 240]);
    expect(nextTry(1, 5, now, null)).toEqual(new Date('2026-12-04T02:01:00.000Z'));
    expect(nextTry(4, 5, now, null)).toEqual(new Date('2026-12-04T03:00:00.000Z'));
    expect(nextTry(5, 5, now, null)).toBeNull();
  });

  it('a Retry-After longer than the backoff wins', () => {
    expect(nextTry(1, 5, now, 120)).toEqual(new Date('2026-12-04T02:02:00.000Z'));
    expect(nextTry(3, 5, now, 120)).toEqual(new Date('2026-12-04T02:15:00.000Z'));
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Fri, 04 Dec 2026 02:05:00 GMT', now)).toBe(300);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
  });
});

describe('rate and keys', () => {
  it('the rate limit counts the last minute', () => {
    expect(rateAllows(59, 60)).toBe(true);
    expect(rateAllows(60, 60)).toBe(false);
  });

  it('a key names the job, the run and the row subject, never its position; the payload is the same bytes every time', () => {
    expect(messageKey('maintenance-due', '2026-12-04', 'vehicle:17')).toBe('maintenance-due/2026-12-04/vehicle:17');
    const msg = { id: 3, key: 'k', job: 'maintenance-due', subject: 'vehicle:17', customer_id: 9, to_phone: '13800000001', text: '您好', params: '{"plate":"京A12345"}' };
    expect(payloadOf(msg)).toBe(payloadOf({ ...msg }));
    expect(JSON.parse(payloadOf(msg))).toEqual({ id: 3, idempotency_key: 'k', to: '13800000001', text: '您好', customer_id: 9, kind: 'maintenance-due', template: 'maintenance-due', params: { plate: '京A12345' } });
  });
});
