/**
 * The demo generator: deterministic (same seed and now → same rows), and its small data set obeys the
 * rules the product enforces (totals, numbers, mileage, identifiers, timelines, roles).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import { runDemo } from '../../src/app/demo.js';
import { normalizePhone, normalizePlate, normalizeVin } from '../../src/domain/identity.js';
import { addDays, addMonths, dayRange, localDay } from '../../src/domain/time.js';
import type { Ctx } from '../../src/app/context.js';

const NOW = '2026-11-23 10:00';
const TODAY = '2026-11-23';

async function demoCtx(seed: number, now = NOW): Promise<Ctx> {
  const ctx = await testCtx(now);
  await runDemo(ctx, { size: 'small', seed });
  return ctx;
}

async function checksum(ctx: Ctx): Promise<string> {
  const hash = crypto.createHash('sha256');
  for (const table of ['customers', 'vehicles', 'orders', 'order_lines', 'payments', 'callbacks', 'bookings', 'findings']) {
    const rows = await ctx.db.all(`SELECT * FROM ${table} ORDER BY id LIMIT 400`);
    hash.update(table + JSON.stringify(rows));
  }
  return hash.digest('hex');
}

describe('generator determinism', () => {
  it('gives the same rows for the same seed and now, and different rows for another seed', async () => {
    const a = await demoCtx(7);
    const b = await demoCtx(7);
    const c = await demoCtx(8);
    try {
      const [ha, hb, hc] = [await checksum(a), await checksum(b), await checksum(c)];
      expect(ha).toBe(hb);
      expect(hc).not.toBe(ha);
      const count = (ctx: Ctx) => ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM order_lines');
      expect(await count(a)).toEqual(await count(b));
    } finally {
      for (const ctx of [a, b, c]) await ctx.db.close();
    }
  }, 60_000);
});

describe('small demo data', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await demoCtx(1);
  }, 60_000);
  afterAll(async () => {
    await ctx.db.close();
  });

  it('has the sizes of the small shop', async () => {
    const n = async (t: string) => (await ctx.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n;
    expect(await n('customers')).toBe(300);
    expect(await n('vehicles')).toBe(380);
    expect(await n('orders')).toBeGreaterThan(1200);
    expect(await n('orders')).toBeLessThan(1800);
    const fleets = await ctx.db.all<{ n: number }>("SELECT COUNT(*) AS n FROM vehicles v JOIN customers c ON c.id = v.customer_id WHERE c.kind = 'fleet' GROUP BY c.id");
    expect(fleets.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...fleets.map((f) => f.n))).toBeGreaterThan(3);
    const statuses = await ctx.db.all<{ status: string }>('SELECT DISTINCT status FROM orders ORDER BY status');
    expect(statuses.map((s) => s.status)).toEqual(['approved', 'cancelled', 'delivered', 'in_progress', 'open', 'ready']);
  });

  it('keeps the denormalized totals equal to the approved lines and the payments', async () => {
    const bad = await ctx.db.all(`
      SELECT o.id FROM orders o
      LEFT JOIN (SELECT order_id,
                   SUM(CASE WHEN status = 'approved' AND kind = 'labor' THEN amount_cents ELSE 0 END) AS labor,
                   SUM(CASE WHEN status = 'approved' AND kind = 'part' THEN amount_cents ELSE 0 END) AS parts,
                   SUM(CASE WHEN status = 'approved' AND kind = 'fee' THEN amount_cents ELSE 0 END) AS fees
                 FROM order_lines GROUP BY order_id) l ON l.order_id = o.id
      LEFT JOIN (SELECT order_id, SUM(amount_cents) AS paid FROM payments GROUP BY order_id) p ON p.order_id = o.id
      WHERE o.labor_cents != IFNULL(l.labor, 0) OR o.parts_cents != IFNULL(l.parts, 0) OR o.fees_cents != IFNULL(l.fees, 0)
         OR o.total_cents != o.labor_cents + o.parts_cents + o.fees_cents - o.discount_cents
         OR o.paid_cents != IFNULL(p.paid, 0) OR o.paid_cents > o.total_cents OR o.total_cents < 0`);
    expect(bad).toEqual([]);
    const arrears = await ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM orders WHERE status = 'delivered' AND paid_cents < total_cents");
    expect(arrears!.n).toBeGreaterThan(0);
  });

  it('computes line amounts from quantity × price, half up', async () => {
    const lines = await ctx.db.all<{ kind: string; qty_milli: number | null; hours_centi: number | null; unit_price_cents: number; amount_cents: number }>(
      'SELECT kind, qty_milli, hours_centi, unit_price_cents, amount_cents FROM order_lines');
    for (const l of lines) {
      const expected = l.kind === 'labor' ? Math.round((l.hours_centi! * l.unit_price_cents) / 100)
        : l.kind === 'part' ? Math.round((l.qty_milli! * l.unit_price_cents) / 1000) : l.unit_price_cents;
      expect(l.amount_cents).toBe(expected);
    }
  });

  it('numbers orders RO-YYYYMMDD-NNNN by shop-local open day, 1, 2, 3… in opening order', async () => {
    const orders = await ctx.db.all<{ number: string; opened_at: string }>('SELECT number, opened_at FROM orders ORDER BY opened_at, id');
    const seq = new Map<string, number>();
    for (const o of orders) {
      const day = localDay(o.opened_at, ctx.tz);
      const next = (seq.get(day) ?? 0) + 1;
      seq.set(day, next);
      expect(o.number).toBe(`RO-${day.replace(/-/g, '')}-${String(next).padStart(4, '0')}`);
    }
  });

  it('keeps odometer readings rising per vehicle and timestamps in order', async () => {
    const rows = await ctx.db.all<{ vehicle_id: number; mileage_in: number; initial_km: number; added_on: string; opened_at: string }>(
      'SELECT o.vehicle_id, o.mileage_in, v.initial_km, v.added_on, o.opened_at FROM orders o JOIN vehicles v ON v.id = o.vehicle_id ORDER BY o.vehicle_id, o.opened_at');
    let last = new Map<number, number>();
    for (const r of rows) {
      expect(r.mileage_in).toBeGreaterThanOrEqual(last.get(r.vehicle_id) ?? r.initial_km);
      expect(localDay(r.opened_at, ctx.tz) >= r.added_on).toBe(true);
      last.set(r.vehicle_id, r.mileage_in);
    }
    last = new Map();
    const unordered = await ctx.db.all(`SELECT id FROM orders WHERE
        (approved_at IS NOT NULL AND approved_at <= opened_at) OR (started_at IS NOT NULL AND started_at <= approved_at)
        OR (ready_at IS NOT NULL AND ready_at <= started_at) OR (delivered_at IS NOT NULL AND delivered_at <= ready_at)
        OR (status = 'delivered' AND (delivered_at IS NULL OR ready_at IS NULL))
        OR (status = 'cancelled' AND cancelled_at IS NULL) OR opened_at > ? OR delivered_at > ?`, [
      '2026-11-23T02:00:00.000Z', '2026-11-23T02:00:00.000Z']);
    expect(unordered).toEqual([]);
    const calls = await ctx.db.all('SELECT c.id FROM callbacks c JOIN orders o ON o.id = c.order_id WHERE c.attempted_at <= o.delivered_at OR o.delivered_at IS NULL');
    expect(calls).toEqual([]);
  });

  it('gives every customer a valid unique phone and every vehicle a valid plate and VIN', async () => {
    const customers = await ctx.db.all<{ phone: string; kind: 'private' | 'fleet' }>('SELECT phone, kind FROM customers');
    for (const c of customers) expect(normalizePhone(c.phone, c.kind)).toBe(c.phone);
    const vehicles = await ctx.db.all<{ plate: string; vin: string }>('SELECT plate, vin FROM vehicles');
    for (const v of vehicles) {
      expect(normalizePlate(v.plate)).toBe(v.plate);
      expect(normalizeVin(v.vin)).toEqual({ vin: v.vin });
    }
    expect(vehicles.some((v) => v.plate.length === 8)).toBe(true);
  });

  it('refers to staff who hold the role, and to rows that exist', async () => {
    const wrongRole = await ctx.db.all(`
      SELECT o.id FROM orders o
      LEFT JOIN staff a ON a.id = o.advisor_id LEFT JOIN staff t ON t.id = o.technician_id LEFT JOIN staff i ON i.id = o.inspector_id
      LEFT JOIN staff m ON m.id = o.discount_by_id
      WHERE a.role NOT LIKE '%advisor%' OR (o.technician_id IS NOT NULL AND t.role NOT LIKE '%technician%')
         OR (o.inspector_id IS NOT NULL AND i.role NOT LIKE '%inspector%') OR (o.discount_by_id IS NOT NULL AND m.role NOT LIKE '%manager%')`);
    expect(wrongRole).toEqual([]);
    const agents = await ctx.db.all(`SELECT c.id FROM callbacks c JOIN staff s ON s.id = c.agent_id JOIN orders o ON o.id = c.order_id
      WHERE s.role NOT LIKE '%agent%' OR c.agent_id = o.advisor_id`);
    expect(agents).toEqual([]);
    const roles = (await ctx.db.all<{ role: string }>('SELECT role FROM staff WHERE active = 1')).map((r) => r.role).join(',');
    for (const role of ['advisor', 'technician', 'inspector', 'agent', 'manager']) expect(roles).toContain(role);
    expect(await ctx.db.all('PRAGMA foreign_key_check')).toEqual([]);
  });

  it('leaves today’s lists non-empty: tomorrow’s bookings, calls due, lapsed customers, findings, repeats', async () => {
    const [from, to] = dayRange(addDays(TODAY, 1), ctx.tz);
    const tomorrow = await ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM bookings WHERE status IN ('booked','confirmed') AND scheduled_at >= ? AND scheduled_at < ?", [from, to]);
    expect(tomorrow!.n).toBeGreaterThanOrEqual(5);
    const [wFrom] = dayRange(addDays(TODAY, -7), ctx.tz);
    const [wTo] = dayRange(addDays(TODAY, -2), ctx.tz);
    const due = await ctx.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM orders o WHERE o.status = 'delivered' AND o.delivered_at >= ? AND o.delivered_at < ?
      AND NOT EXISTS (SELECT 1 FROM callbacks c WHERE c.order_id = o.id AND c.result IN ('reached','refused'))`, [wFrom, wTo]);
    expect(due!.n).toBeGreaterThan(0);
    const lastVisits = await ctx.db.all<{ last: string }>(`SELECT MAX(opened_at) AS last FROM orders WHERE status != 'cancelled' GROUP BY customer_id`);
    const lapsed = lastVisits.filter((r) => addMonths(localDay(r.last, ctx.tz), 6) === TODAY);
    expect(lapsed.length).toBeGreaterThan(0);
    const counts = await ctx.db.get<{ findings: number; declined: number; repeats: number; complaints: number }>(`SELECT
      (SELECT COUNT(*) FROM findings WHERE status = 'open') AS findings,
      (SELECT COUNT(*) FROM order_lines WHERE status = 'declined') AS declined,
      (SELECT COUNT(*) FROM orders WHERE repeat_of_order_id IS NOT NULL) AS repeats,
      (SELECT COUNT(*) FROM complaints) AS complaints`);
    expect(counts!.findings).toBeGreaterThan(0);
    expect(counts!.declined).toBeGreaterThan(0);
    expect(counts!.repeats).toBeGreaterThan(0);
    expect(counts!.complaints).toBeGreaterThan(0);
  });
});
