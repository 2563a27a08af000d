import { describe, expect, it } from 'vitest';
import { revenueRows, type RevenueOrder } from '../../src/domain/revenue.js';
import { JS_TRIMMED } from '../../src/db/reports.js';

const o = (p: Partial<RevenueOrder>): RevenueOrder => ({
  vehicle_id: 1, category: 'repair', model: 'A', advisor: '王芳',
  labor_cents: 0, parts_cents: 0, fees_cents: 0, discount_cents: 0, paid_cents: 0, ...p,
});

describe('revenueRows (SPEC §6.5)', () => {
  it('a period with no delivered order has only the total row, all zeros', () => {
    expect(revenueRows('2026-10', [])).toEqual([
      { period: '2026-10', dimension: 'total', key: 'all', orders: 0, vehicles: 0, labor: 0, parts: 0, other: 0, discount: 0, total: 0, paid: 0, outstanding: 0, avg_order: 0 },
    ]);
  });

  it('totals, distinct vehicles, outstanding and a half-up average', () => {
    const rows = revenueRows('2026-W44', [
      o({ vehicle_id: 1, labor_cents: 10000, parts_cents: 5000, fees_cents: 1, discount_cents: 0, paid_cents: 15001 }),
      o({ vehicle_id: 1, labor_cents: 0, parts_cents: 0, fees_cents: 0, discount_cents: 0, paid_cents: 0 }),
      o({ vehicle_id: 2, labor_cents: 0, parts_cents: 0, fees_cents: 1000, discount_cents: 500, paid_cents: 100 }),
    ]);
    // total = 15001 + 0 + 500 = 15501; avg = 15501 / 3 = 5167 exactly
    expect(rows[0]).toMatchObject({ dimension: 'total', key: 'all', orders: 3, vehicles: 2, labor: 10000, parts: 5000, other: 1001, discount: 500, total: 15501, paid: 15101, outstanding: 400, avg_order: 5167 });
  });

  it.each([
    [[101, 100], 101], // 201 / 2 = 100.5 → 101 (half up)
    [[100, 100, 101], 100], // 301 / 3 = 100.33 → 100
    [[100, 101, 101], 101], // 302 / 3 = 100.67 → 101
  ])('avg_order of totals %j is %i cents', (totals, avg) => {
    const rows = revenueRows('p', totals.map((t) => o({ labor_cents: t })));
    expect(rows[0]!.avg_order).toBe(avg);
  });

  it('orders dimensions and keys: total first, then by total descending, ties by code point; unknowns named', () => {
    const rows = revenueRows('2026-10', [
      o({ category: 'repair', model: 'B', advisor: '王芳', labor_cents: 100 }),
      o({ category: 'maintenance', model: '', advisor: null, labor_cents: 300 }),
      o({ category: 'accident', model: 'A', advisor: '李明', labor_cents: 100 }),
      o({ category: 'warranty', model: null, advisor: '  ', labor_cents: 0 }),
    ]);
    expect(rows.map((r) => `${r.dimension}:${r.key}:${r.total}`)).toEqual([
      'total:all:500',
      'category:maintenance:300',
      'category:accident:100',
      'category:repair:100',
      'category:warranty:0',
      'model:unknown:300',
      'model:A:100',
      'model:B:100',
      'advisor:unknown:300',
      'advisor:李明:100',
      'advisor:王芳:100',
    ]);
  });

  it('a discount larger than the lines makes a negative total, still rounded half up away from zero', () => {
    const rows = revenueRows('p', [o({ labor_cents: 0, discount_cents: 101 }), o({ discount_cents: 0 })]);
    expect(rows[0]).toMatchObject({ total: -101, outstanding: -101, avg_order: -51 });
  });
});

describe('the revenue SQL trims keys as JavaScript does', () => {
  it('JS_TRIMMED is every code point that trim() removes', () => {
    const removed: number[] = [];
    for (let c = 0; c < 0x110000; c++) if (String.fromCodePoint(c).trim() === '') removed.push(c);
    expect(JS_TRIMMED).toEqual(removed);
  });
});
