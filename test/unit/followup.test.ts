import { describe, expect, it } from 'vitest';
import {
  QUESTIONS, checkCallable, checkCallbackForm, complaintReplyBy, nextWorkingDay, parseReason, parseResult, parseScores, type CallbackResult,
} from '../../src/domain/followup.js';
import { formatLocal, parseLocalDateTime } from '../../src/domain/time.js';
import { exitOfSync as exitOf } from '../exit.js';


describe('the callback form', () => {
  it('has the five questions of seeds/004 in order', () => {
    expect(QUESTIONS.map((q) => q.key)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    expect(QUESTIONS[1]!.zh).toContain('接待');
    expect(QUESTIONS[4]!.zh).toContain('提车速度');
  });

  it.each([
    ['5,5,4,5,5', [5, 5, 4, 5, 5]],
    ['1，2，3，4，5', [1, 2, 3, 4, 5]],
    ['５,５,５,５,５', [5, 5, 5, 5, 5]],
  ])('scores %s', (text, scores) => expect(parseScores(text)).toEqual(scores));
  it.each(['5,5,5,5', '5,5,5,5,5,5', '0,5,5,5,5', '6,5,5,5,5', '5,5,x,5,5', '4.5,5,5,5,5', ''])('refuses scores %j (exit 2)', (text) => {
    expect(exitOf(() => parseScores(text))).toBe(2);
  });

  it.each<[CallbackResult, number[] | null, string | null, number]>([
    ['reached', [5, 5, 5, 5, 5], null, 0],
    ['reached', [3, 3, 3, 3, 3], null, 0],
    ['reached', [5, 5, 2, 5, 5], null, 2],
    ['reached', [1, 5, 5, 5, 5], null, 2],
    ['reached', [5, 5, 2, 5, 5], 'repair_quality', 0],
    ['reached', null, null, 0],
    ['reached', null, 'price', 0],
    ['no_answer', [5, 5, 5, 5, 5], null, 2],
    ['later', [5, 5, 5, 5, 5], null, 2],
    ['refused', null, null, 0],
    ['wrong_number', null, null, 0],
  ])('%s scores %j reason %s → exit %i', (result, scores, reason, code) => {
    expect(exitOf(() => checkCallbackForm(result, scores, reason as never))).toBe(code);
  });

  it('names --reason when a low score lacks one', () => {
    expect(() => checkCallbackForm('reached', [5, 5, 2, 5, 5], null)).toThrow(/--reason.*q3=2/);
  });

  it('results and reasons', () => {
    expect(parseResult('No-Answer')).toBe('no_answer');
    expect(exitOf(() => parseResult('maybe'))).toBe(2);
    expect(parseReason('parts_supply')).toBe('parts_supply');
    expect(exitOf(() => parseReason('weather'))).toBe(2);
  });

  it.each([
    ['delivered', 0],
    ['ready', 4],
    ['open', 4],
    ['cancelled', 4],
  ])('callable when %s → exit %i', (status, code) => expect(exitOf(() => checkCallable('RO-20261123-0001', status))).toBe(code));
});

describe('complaint reply-by: shop.close on the next working day (Mon–Fri)', () => {
  const TZ = 'Asia/Shanghai';
  it.each([
    ['2026-11-23', '2026-11-24'], // Monday → Tuesday
    ['2026-11-27', '2026-11-30'], // Friday → Monday
    ['2026-11-28', '2026-11-30'], // Saturday → Monday
    ['2026-11-29', '2026-11-30'], // Sunday → Monday
    ['2026-12-31', '2027-01-01'], // Thursday → Friday (holidays are not known)
  ])('%s → %s', (day, next) => expect(nextWorkingDay(day)).toBe(next));
  it.each([
    ['2026-11-27 23:50', '2026-11-30 18:00'],
    ['2026-11-24 00:10', '2026-11-25 18:00'],
  ])('opened %s → reply by %s', (opened, replyBy) => {
    expect(formatLocal(complaintReplyBy(parseLocalDateTime('at', opened, TZ), '18:00', TZ), TZ)).toBe(replyBy);
  });
});
