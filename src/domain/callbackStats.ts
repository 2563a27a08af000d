/** Follow-up quality of a month (SPEC §6.6): pure aggregation over the month's delivered orders. */
import { divRoundHalfUp } from './money.js';
import { byCodePoint } from './lapsed.js';

export interface StatsCallback {
  result: string;
  scores: ReadonlyArray<number | null>; // q1…q5
  reason: string | null;
  suggestion: string | null;
}

export interface StatsOrder {
  callbacks: readonly StatsCallback[];
}

export interface StatRow {
  metric: 'delivered_orders' | 'reached' | 'coverage_pct' | 'avg_score' | 'satisfied_pct' | 'top_reason' | 'top_suggestion'
    | 'list_rows' | 'list_contacted' | 'list_reached' | 'list_booked_14d';
  key: string;
  /** null when there is nothing to divide by (no delivered order, no reached callback) */
  value: number | null;
  /** how the value is written: 0 (a count), 1 or 2 decimals */
  decimals: 0 | 1 | 2;
}

export const TOP_N = 5;

/** numerator / denominator × 10^decimals… as a number rounded half up to `decimals` places; null on /0. */
function ratio(numerator: number, denominator: number, scale: number, decimals: 1 | 2): number | null {
  if (denominator === 0) return null;
  const units = divRoundHalfUp(BigInt(numerator) * BigInt(scale) * 10n ** BigInt(decimals), BigInt(denominator));
  return units / 10 ** decimals;
}

function top(counts: Map<string, number>, metric: 'top_reason' | 'top_suggestion'): StatRow[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]))
    .slice(0, TOP_N)
    .map(([key, n]) => ({ metric, key, value: n, decimals: 0 }));
}

const clean = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/**
 * What the statistics are made of: counts and sums that add up, so the database can produce them
 * (src/db/reports.ts) and only a handful of rows cross into JavaScript instead of one per callback.
 * Reason and suggestion texts come raw, each with how many reached callbacks gave it; texts that differ
 * only in white space are merged here.
 */
export interface CallbackTally {
  delivered: number;
  /** orders with at least one reached callback */
  reachedOrders: number;
  reachedCalls: number;
  /** reached callbacks with at least one score and every given score ≥ 4 */
  satisfied: number;
  /** per question q1…q5: the sum of the given scores and how many were given */
  sums: readonly number[];
  counts: readonly number[];
  reasons: Iterable<readonly [text: string | null, calls: number]>;
  suggestions: Iterable<readonly [text: string | null, calls: number]>;
}

/** The tally of delivered orders and their callbacks (the rule in one place; the SQL must agree with it). */
export function tallyCallbacks(orders: Iterable<StatsOrder>): CallbackTally {
  let delivered = 0;
  let reachedOrders = 0;
  let reachedCalls = 0;
  let satisfied = 0;
  const sums = [0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0];
  const reasons = new Map<string | null, number>();
  const suggestions = new Map<string | null, number>();
  for (const order of orders) {
    delivered++;
    const reached = order.callbacks.filter((c) => c.result === 'reached');
    if (reached.length) reachedOrders++;
    for (const c of reached) {
      reachedCalls++;
      const given = c.scores.filter((s): s is number => s !== null && s !== undefined);
      if (given.length && given.every((s) => s >= 4)) satisfied++;
      c.scores.forEach((s, i) => {
        if (s === null || s === undefined || i >= 5) return;
        sums[i]! += s;
        counts[i]!++;
      });
      reasons.set(c.reason, (reasons.get(c.reason) ?? 0) + 1);
      suggestions.set(c.suggestion, (suggestions.get(c.suggestion) ?? 0) + 1);
    }
  }
  return { delivered, reachedOrders, reachedCalls, satisfied, sums, counts, reasons, suggestions };
}

/** Raw texts with counts → counts by cleaned text (blank texts dropped). */
function merged(texts: CallbackTally['reasons']): Map<string, number> {
  const out = new Map<string, number>();
  for (const [text, calls] of texts) {
    const key = clean(text);
    if (key) out.set(key, (out.get(key) ?? 0) + calls);
  }
  return out;
}

/**
 * reached = orders with at least one reached callback; coverage = reached ÷ delivered × 100.
 * Scores, satisfaction, reasons and suggestions are over the reached callbacks (a call that did not
 * reach the customer has no answers); a question left unanswered is left out of its average.
 * satisfied = reached callbacks with at least one score and every given score ≥ 4, as a share of
 * the reached callbacks.
 */
export function statRows(t: CallbackTally): StatRow[] {
  return [
    { metric: 'delivered_orders', key: '', value: t.delivered, decimals: 0 },
    { metric: 'reached', key: '', value: t.reachedOrders, decimals: 0 },
    { metric: 'coverage_pct', key: '', value: ratio(t.reachedOrders, t.delivered, 100, 1), decimals: 1 },
    ...t.sums.map((sum, i): StatRow => ({ metric: 'avg_score', key: `q${i + 1}`, value: ratio(sum, t.counts[i]!, 1, 2), decimals: 2 })),
    { metric: 'satisfied_pct', key: '', value: ratio(t.satisfied, t.reachedCalls, 100, 1), decimals: 1 },
    ...top(merged(t.reasons), 'top_reason'),
    ...top(merged(t.suggestions), 'top_suggestion'),
  ];
}

export function callbackStats(orders: Iterable<StatsOrder>): StatRow[] {
  return statRows(tallyCallbacks(orders));
}

/** The value as the CSV and the terminal show it: `12`, `52.3`, `4.25`; empty when null. */
/** One calling list's month (SPEC §13): rows listed, subjects called, reached, and bookings within 14 days of a call. */
export interface ListConversion {
  list: string;
  rows: number;
  contacted: number;
  reached: number;
  booked: number;
}

/** The conversion rows, one group per list that was listed or called in the month, in the lists' order. */
export function conversionRows(lists: readonly ListConversion[]): StatRow[] {
  const out: StatRow[] = [];
  for (const l of lists) {
    if (!l.rows && !l.contacted) continue;
    out.push(
      { metric: 'list_rows', key: l.list, value: l.rows, decimals: 0 },
      { metric: 'list_contacted', key: l.list, value: l.contacted, decimals: 0 },
      { metric: 'list_reached', key: l.list, value: l.reached, decimals: 0 },
      { metric: 'list_booked_14d', key: l.list, value: l.booked, decimals: 0 },
    );
  }
  return out;
}

export function formatStatValue(row: StatRow): string {
  return row.value === null ? '' : row.value.toFixed(row.decimals);
}
