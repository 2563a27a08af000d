/**
 * vehicles.last_maintenance_at/_km (derived, read by maintenance-due) follow the orders on every write
 * path: order deliver/cancel through the app, direct SQL (inserts, updates, deletes), the demo
 * generator's bulk inserts; doctor reports a vehicle whose columns were changed behind the triggers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle, editVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { addLine, approveOrder, cancelOrder, deliverOrder, openOrder, qualityCheck, startWork } from '../../src/app/orders.js';
import { runDemo } from '../../src/app/demo.js';
import { doctor } from '../../src/app/admin.js';
import { lastMaintenanceMismatches } from '../../src/db/admin.js';
import { parseLocalDateTime } from '../../src/domain/time.js';

let ctx: Ctx;

function at(local: string): void {
  ctx.now = parseLocalDateTime('now', local, ctx.tz);
}

async function last(plate = '京A12345'): Promise<{ at: string | null; km: number | null }> {
  const r = await ctx.db.get<{ last_maintenance_at: string | null; last_maintenance_km: number | null }>(
    'SELECT last_maintenance_at, last_maintenance_km FROM vehicles WHERE plate = ?',
    [plate],
  );
  return { at: r!.last_maintenance_at, km: r!.last_maintenance_km };
}

/** Open, approve, work and pass QC an order of `category`; returns its number (not delivered). */
async function ready(category: string, km: string, plate = '京A12345'): Promise<string> {
  const o = await openOrder(ctx, { plate, mileage: km, category });
  await addLine(ctx, o.order.number, 'labor', { description: '保养', hours: '1' });
  await approveOrder(ctx, o.order.number, {});
  await startWork(ctx, o.order.number, { tech: '赵技师' });
  await qualityCheck(ctx, o.order.number, { pass: true, inspector: '钱质检' });
  return o.order.number;
}

const iso = (local: string) => parseLocalDateTime('at', local, ctx.tz).toISOString();

describe('vehicles.last_maintenance_* through the app', () => {
  beforeEach(async () => {
    ctx = await testCtx('2026-05-01 09:00');
    await addCustomer(ctx, { name: '张三', phone: '13800000001' });
    await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000', lastService: '2026-01-10', lastServiceKm: '35000' });
    await addStaff(ctx, { name: '赵技师', role: 'technician' });
    await addStaff(ctx, { name: '钱质检', role: 'inspector' });
  });
  afterEach(async () => {
    await ctx.db.close();
  });

  it('a delivered maintenance order sets them; repair orders, cancellations and vehicle edits do not', async () => {
    expect(await last()).toEqual({ at: null, km: null });
    const repair = await ready('repair', '41000');
    await deliverOrder(ctx, repair, {});
    expect(await last()).toEqual({ at: null, km: null });

    at('2026-05-03 09:00');
    const m1 = await ready('maintenance', '42000');
    expect(await last()).toEqual({ at: null, km: null }); // not delivered yet
    at('2026-05-03 17:30');
    await deliverOrder(ctx, m1, {});
    expect(await last()).toEqual({ at: iso('2026-05-03 17:30'), km: 42000 });

    at('2026-06-01 09:00');
    const m2 = await ready('maintenance', '43000');
    await cancelOrder(ctx, m2, { reason: '客户改期' });
    expect(await last()).toEqual({ at: iso('2026-05-03 17:30'), km: 42000 });

    await editVehicle(ctx, '京A12345', { lastService: '2026-02-01', lastServiceKm: '36000' });
    expect(await last()).toEqual({ at: iso('2026-05-03 17:30'), km: 42000 });

    at('2026-07-01 09:00');
    const m3 = await ready('maintenance', '45000');
    await deliverOrder(ctx, m3, {});
    expect(await last()).toEqual({ at: iso('2026-07-01 09:00'), km: 45000 });
    expect((await lastMaintenanceMismatches(ctx.db)).count).toBe(0);
  });
});

describe('vehicles.last_maintenance_* under direct SQL', () => {
  beforeEach(async () => {
    ctx = await testCtx('2026-05-01 09:00');
    await addCustomer(ctx, { name: '张三', phone: '13800000001' });
    await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000' });
    await addVehicle(ctx, { customer: '1', plate: '京A54321', mileage: '10000' });
  });
  afterEach(async () => {
    await ctx.db.close();
  });

  const insertOrder = (id: number, vehicle: number, category: string, status: string, delivered: string | null, km: number) =>
    ctx.db.run(
      `INSERT INTO orders (id, number, vehicle_id, customer_id, category, status, opened_at, mileage_in, delivered_at)
       VALUES (?, ?, ?, 1, ?, ?, '2026-01-01T01:00:00.000Z', ?, ?)`,
      [id, `RO-20260101-${String(id).padStart(4, '0')}`, vehicle, category, status, km, delivered],
    );

  it('inserts (one or many per statement), updates and deletes keep them equal to the latest delivered maintenance order', async () => {
    await insertOrder(1, 1, 'maintenance', 'delivered', '2026-02-01T02:00:00.000Z', 41000);
    await insertOrder(2, 1, 'maintenance', 'delivered', '2026-01-15T02:00:00.000Z', 40500); // older: ignored
    await insertOrder(3, 1, 'repair', 'delivered', '2026-03-01T02:00:00.000Z', 42000);
    await insertOrder(4, 1, 'maintenance', 'open', null, 42500);
    expect(await last()).toEqual({ at: '2026-02-01T02:00:00.000Z', km: 41000 });
    // a multi-row INSERT, as the demo generator writes them
    await ctx.db.run(
      `INSERT INTO orders (id, number, vehicle_id, customer_id, category, status, opened_at, mileage_in, delivered_at) VALUES
       (5, 'RO-5', 2, 1, 'maintenance', 'delivered', '2026-01-01T01:00:00.000Z', 11000, '2026-03-02T02:00:00.000Z'),
       (6, 'RO-6', 2, 1, 'maintenance', 'delivered', '2026-01-01T01:00:00.000Z', 10800, '2026-02-02T02:00:00.000Z')`,
    );
    expect(await last('京A54321')).toEqual({ at: '2026-03-02T02:00:00.000Z', km: 11000 });

    await ctx.db.run(`UPDATE orders SET status = 'delivered', delivered_at = '2026-04-01T02:00:00.000Z' WHERE id = 4`);
    expect(await last()).toEqual({ at: '2026-04-01T02:00:00.000Z', km: 42500 });
    await ctx.db.run(`UPDATE orders SET mileage_in = 42600 WHERE id = 4`);
    expect(await last()).toEqual({ at: '2026-04-01T02:00:00.000Z', km: 42600 });
    await ctx.db.run(`UPDATE orders SET category = 'repair' WHERE id = 4`); // falls back to the previous one
    expect(await last()).toEqual({ at: '2026-02-01T02:00:00.000Z', km: 41000 });
    await ctx.db.run(`UPDATE orders SET vehicle_id = 2 WHERE id = 1`); // moves: both vehicles recomputed
    expect(await last()).toEqual({ at: '2026-01-15T02:00:00.000Z', km: 40500 });
    expect(await last('京A54321')).toEqual({ at: '2026-03-02T02:00:00.000Z', km: 11000 });
    await ctx.db.run(`DELETE FROM orders WHERE id = 2`);
    expect(await last()).toEqual({ at: null, km: null });
    await ctx.db.run(`DELETE FROM orders WHERE id = 5`);
    expect(await last('京A54321')).toEqual({ at: '2026-02-02T02:00:00.000Z', km: 10800 });
    expect((await lastMaintenanceMismatches(ctx.db)).count).toBe(0);
  });

  it('doctor names a vehicle whose columns were changed behind the triggers', async () => {
    await insertOrder(1, 1, 'maintenance', 'delivered', '2026-02-01T02:00:00.000Z', 41000);
    expect((await doctor(ctx.db.file)).checks.find((c) => c.name === 'last maintenance')).toMatchObject({ ok: true });
    await ctx.db.run(`UPDATE vehicles SET last_maintenance_km = 1 WHERE id = 1`);
    await ctx.db.run(`UPDATE vehicles SET last_maintenance_at = '2026-01-01T00:00:00.000Z' WHERE id = 2`);
    const stale = await lastMaintenanceMismatches(ctx.db);
    expect(stale.rows.map((r) => [r.plate, r.stored, r.expected])).toEqual([
      ['京A12345', { at: '2026-02-01T02:00:00.000Z', km: 1 }, { at: '2026-02-01T02:00:00.000Z', km: 41000 }],
      ['京A54321', { at: '2026-01-01T00:00:00.000Z', km: null }, { at: null, km: null }],
    ]);
    const report = await doctor(ctx.db.file);
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'last maintenance')).toMatchObject({ ok: false, summary: "2 vehicles' last maintenance differs from their orders" });
  });
});

describe('vehicles.last_maintenance_* from the demo generator', () => {
  it('match the generated orders', async () => {
    ctx = await testCtx('2026-11-20 10:00');
    try {
      await runDemo(ctx, { size: 'small', seed: 1 });
      const set = await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM vehicles WHERE last_maintenance_at IS NOT NULL');
      expect(set!.n).toBeGreaterThan(50);
      expect((await lastMaintenanceMismatches(ctx.db)).count).toBe(0);
    } finally {
      await ctx.db.close();
    }
  });
});
