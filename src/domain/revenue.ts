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

export type RevenueRow = {
  period: string;
  dimension: Dimension;
  key: string;
  orders: number;
  vehicles: number;
  labor: number;
  parts: number;
  other: number;
  discount: number;
  total: number;
  paid: number;
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

  row(period: string, dimension: Dimension, key: string): RevenueRow {
    const total = this.labor + this.parts + this.other - this.discount;
    return {
      period, dimension, key,
      orders: this.orders,
      vehicles: this.vehicles.size,
      labor: this.labor,
      parts: this.parts,
      other: this.other,
      discount: this.discount,
      total,
      paid: this.paid,
      outstanding: total - this.paid,
      avg_order: this.orders ? divRoundHalfUp(BigInt(total), BigInt(this.orders)) : 0,
    };
  }
}

/** Aggregates orders as they stream in; `rows()` gives the report in output order. */
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

  /** total/all first (zeros when nothing was delivered), then each dimension by total desc, key. */
  rows(): RevenueRow[] {
    const out: RevenueRow[] = [];
    for (const dimension of DIMENSIONS) {
      const rows = [...this.buckets.get(dimension)!].map(([key, b]) => b.row(this.period, dimension, key));
      rows.sort((a, b) => b.total - a.total || byCodePoint(a.key, b.key));
      out.push(...rows);
    }
    return out;
  }
}

export function revenueRows(period: string, orders: Iterable<RevenueOrder>): RevenueRow[] {
  const tally = new RevenueTally(period);
  for (const o of orders) tally.add(o);
  return tally.rows();
}
