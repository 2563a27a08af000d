/** Revenue and arrears of a period (SPEC §6.5): pure aggregation of delivered orders. */
import { divRoundHalfUp } from './money.js';
import { byCodePoint } from './lapsed.js';

/** One delivered order with what the report needs (amounts in cents). */
export interface RevenueOrder {
  vehicle_id: number;
  category: string;
  model: string | null;
  advisor: string | null;
  labor_cents: number;
  parts_cents: number;
  fees_cents: number;
  discount_cents: number;
  /** payments dated on or before the period's last day */
  paid_cents: number;
}

export type Dimension = 'total' | 'category' | 'model' | 'advisor';
export const DIMENSIONS: readonly Dimension[] = ['total', 'category', 'model', 'advisor'];

/** A report row: a bucket's sums with the period and the figures derived from them (cents). */
export type RevenueRow = RevenueSums & {
  period: string;
  total: number;
  outstanding: number;
  avg_order: number;
};

function keyOf(order: RevenueOrder, dimension: Dimension): string {
  switch (dimension) {
    case 'total':
      return 'all';
    case 'category':
      return order.category;
    case 'model':
      return order.model?.trim() || 'unknown';
    case 'advisor':
      return order.advisor?.trim() || 'unknown';
  }
}

/**
 * One bucket's sums (cents) and counts: what the database adds up for the revenue jobs
 * (src/db/reports.ts), so that a few dozen rows leave SQLite instead of one per order. The keys are
 * already normalised as `keyOf` does (trimmed; blank → `unknown`).
 */
export type RevenueSums = {
  /** `adjustment`: corrections made in the period to orders of earlier periods (SPEC §16), after the rest */
  dimension: Dimension | 'adjustment';
  key: string;
  orders: number;
  /** distinct vehicles */
  vehicles: number;
  labor: number;
  parts: number;
  other: number;
  discount: number;
  paid: number;
};

function rowOf(period: string, s: RevenueSums): RevenueRow {
  const total = s.labor + s.parts + s.other - s.discount;
  return {
    period, dimension: s.dimension, key: s.key,
    orders: s.orders, vehicles: s.vehicles,
    labor: s.labor, parts: s.parts, other: s.other, discount: s.discount,
    total,
    paid: s.paid,
    outstanding: total - s.paid,
    avg_order: s.orders ? divRoundHalfUp(BigInt(total), BigInt(s.orders)) : 0,
  };
}

/**
 * The report in output order: total/all first (zeros when nothing was delivered), then each dimension
 * by total desc, then key by code point.
 */
export function revenueReportRows(period: string, sums: Iterable<RevenueSums>): RevenueRow[] {
  const byDimension = new Map<Dimension, RevenueRow[]>(DIMENSIONS.map((d) => [d, []]));
  const adjustments: RevenueRow[] = [];
  for (const s of sums) (s.dimension === 'adjustment' ? adjustments : byDimension.get(s.dimension)!).push(rowOf(period, s));
  const totals = byDimension.get('total')!;
  if (!totals.length) totals.push(rowOf(period, { dimension: 'total', key: 'all', orders: 0, vehicles: 0, labor: 0, parts: 0, other: 0, discount: 0, paid: 0 }));
  return [
    ...DIMENSIONS.flatMap((d) => byDimension.get(d)!.sort((a, b) => b.total - a.total || byCodePoint(a.key, b.key))),
    ...adjustments.sort((a, b) => byCodePoint(a.key, b.key)),
  ];
}

class Bucket {
  orders = 0;
  vehicles = new Set<number>();
  labor = 0;
  parts = 0;
  other = 0;
  discount = 0;
  paid = 0;

  add(o: RevenueOrder): void {
    this.orders++;
    this.vehicles.add(o.vehicle_id);
    this.labor += o.labor_cents;
    this.parts += o.parts_cents;
    this.other += o.fees_cents;
    this.discount += o.discount_cents;
    this.paid += o.paid_cents;
  }

  sums(dimension: Dimension, key: string): RevenueSums {
    const { orders, labor, parts, other, discount, paid } = this;
    return { dimension, key, orders, vehicles: this.vehicles.size, labor, parts, other, discount, paid };
  }
}

/**
 * The rule over whole orders, as they stream in: the reference the database's sums are tested against
 * (test/integration/jobs-revenue.test.ts).
 */
export class RevenueTally {
  private readonly buckets = new Map<Dimension, Map<string, Bucket>>(DIMENSIONS.map((d) => [d, new Map()]));

  constructor(private readonly period: string) {
    this.buckets.get('total')!.set('all', new Bucket());
  }

  add(order: RevenueOrder): void {
    for (const dimension of DIMENSIONS) {
      const byKey = this.buckets.get(dimension)!;
      const key = keyOf(order, dimension);
      let bucket = byKey.get(key);
      if (!bucket) byKey.set(key, (bucket = new Bucket()));
      bucket.add(order);
    }
  }

  rows(): RevenueRow[] {
    return revenueReportRows(this.period, DIMENSIONS.flatMap((d) => [...this.buckets.get(d)!].map(([key, b]) => b.sums(d, key))));
  }
}

export function revenueRows(period: string, orders: Iterable<RevenueOrder>): RevenueRow[] {
  const tally = new RevenueTally(period);
  for (const o of orders) tally.add(o);
  return tally.rows();
}
