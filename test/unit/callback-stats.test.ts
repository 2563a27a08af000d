import { describe, expect, it } from 'vitest';
import { callbackStats, formatStatValue, type StatsCallback } from '../../src/domain/callbackStats.js';

const reached = (scores: Array<number | null>, reason: string | null = null, suggestion: string | null = null): StatsCallback =>
  ({ result: 'reached', scores, reason, suggestion });
const other = (result: string): StatsCallback => ({ result, scores: [null, null, null, null, null], reason: null, suggestion: null });

const show = (rows: ReturnType<typeof callbackStats>) => rows.map((r) => `${r.metric}|${r.key}|${formatStatValue(r)}`);

describe('callbackStats (SPEC §6.6)', () => {
  it('a month with no delivered order: counts 0, ratios empty, no top rows', () => {
    expect(show(callbackStats([]))).toEqual([
      'delivered_orders||0', 'reached||0', 'coverage_pct||',
      'avg_score|q1|', 'avg_score|q2|', 'avg_score|q3|', 'avg_score|q4|', 'avg_score|q5|',
      'satisfied_pct||',
    ]);
  });

  it('coverage, averages over reached callbacks, satisfaction and top lists', () => {
    const rows = callbackStats([
      { callbacks: [other('no_answer'), reached([5, 5, 4, 5, 5], null, '  more  parking ')] }, // satisfied
      { callbacks: [reached([3, 4, 4, 4, 4], 'price', 'more parking')] }, // 3 < 4: not satisfied
      { callbacks: [reached([4, null, 5, 4, 4])] }, // unanswered q2 skipped: satisfied
      { callbacks: [other('refused')] },
      { callbacks: [] },
      { callbacks: [reached([1, 2, 2, 1, 1], 'repair_quality', 'wash the car'), reached([2, 2, 2, 2, 2], 'price')] },
      { callbacks: [reached([null, null, null, null, null], 'delivery_time')] }, // no score: not satisfied
    ]);
    // 7 orders, 5 reached → 71.428… → 71.4
    // q1: (5+3+4+1+2)/5 = 3.00; q2: (5+4+2+2)/4 = 3.25; q3: (4+4+5+2+2)/5 = 3.40; q4: (5+4+4+1+2)/5 = 3.20; q5 = 3.20
    // satisfied: 2 of 6 reached callbacks → 33.33 → 33.3
    expect(show(rows)).toEqual([
      'delivered_orders||7', 'reached||5', 'coverage_pct||71.4',
      'avg_score|q1|3.00', 'avg_score|q2|3.25', 'avg_score|q3|3.40', 'avg_score|q4|3.20', 'avg_score|q5|3.20',
      'satisfied_pct||33.3',
      'top_reason|price|2', 'top_reason|delivery_time|1', 'top_reason|repair_quality|1',
      'top_suggestion|more parking|2', 'top_suggestion|wash the car|1',
    ]);
  });

  it('rounds half up: 1 of 8 = 12.5, 2 of 3 = 66.7, scores 4,4,5 → 4.33, 4,5 → 4.50', () => {
    const eight = [{ callbacks: [reached([4, 4, 4, 4, 4])] }, ...Array.from({ length: 7 }, () => ({ callbacks: [] }))];
    expect(formatStatValue(callbackStats(eight)[2]!)).toBe('12.5');
    const three = [{ callbacks: [reached([4, 4, 4, 4, 4])] }, { callbacks: [reached([4, 5, 4, 4, 4])] }, { callbacks: [reached([5, null, 4, 4, 4])] }];
    const rows = callbackStats(three);
    expect(formatStatValue(rows[2]!)).toBe('100.0');
    expect(formatStatValue(rows[3]!)).toBe('4.33');
    expect(formatStatValue(rows[4]!)).toBe('4.50');
    const two = [{ callbacks: [reached([4, 4, 4, 4, 4])] }, { callbacks: [reached([4, 4, 4, 4, 4])] }, { callbacks: [] }];
    expect(formatStatValue(callbackStats(two)[2]!)).toBe('66.7');
  });

  it('keeps the five most frequent reasons, ties by code point', () => {
    const reasons = ['f', 'e', 'd', 'c', 'b', 'a', 'a', 'f'];
    const rows = callbackStats([{ callbacks: reasons.map((r) => reached([5, 5, 5, 5, 5], r)) }]).filter((r) => r.metric === 'top_reason');
    expect(rows.map((r) => `${r.key}:${r.value}`)).toEqual(['a:2', 'f:2', 'b:1', 'c:1', 'd:1']);
  });
});
