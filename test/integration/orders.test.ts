/** Repair-order use-cases on a real temporary database (SPEC §5.2). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle, deactivateVehicle, showVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import {
  addFinding, addLine, approveOrder, cancelOrder, declineOrderLines, deliverOrder, discountOrder, findOrders, openOrder,
  openOrderForNewVehicle, payOrder, qualityCheck, showOrder, startWork,
} from '../../src/app/orders.js';
import { parseLocalDateTime } from '../../src/domain/time.js';
import { PitstopError } from '../../src/errors.js';

let ctx: Ctx;

/** Move the command clock. */
function at(local: string): void {
  ctx.now = parseLocalDateTime('now', local, ctx.tz);
}

async function exitOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PitstopError) return { code: err.exitCode, message: err.message };
    throw err;
  }
  return { code: 0, message: '' };
}

const TABLES = ['orders', 'order_lines', 'findings', 'payments', 'order_events', 'audit_log', 'bookings', 'customers', 'vehicles'];

/** Every row of every table a command could touch: equal before and after means nothing was written. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = await ctx.db.all(`SELECT * FROM ${t} ORDER BY rowid`);
  return out;
}

async function expectRefusedUnchanged(p: () => Promise<unknown>, code: number, message: RegExp): Promise<void> {
  const before = await snapshot();
  const r = await exitOf(p());
  expect(r.code).toBe(code);
  expect(r.message).toMatch(message);
  expect(await snapshot()).toEqual(before);
}

async function order(number: string) {
  return (await ctx.db.get<Record<string, number | string | null>>('SELECT * FROM orders WHERE number = ?', [number]))!;
}

beforeEach(async () => {
  ctx = await testCtx('2026-05-01 09:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addCustomer(ctx, { name: '李四', phone: '13800000002' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000' });
  await addVehicle(ctx, { customer: '2', plate: '沪B54321', mileage: '10000' });
  await addStaff(ctx, { name: '王顾问', role: 'advisor' });
  await addStaff(ctx, { name: '赵技师', role: 'technician' });
  await addStaff(ctx, { name: '钱质检', role: 'inspector' });
  await addStaff(ctx, { name: '孙经理', role: 'manager,advisor' });
  at('2026-11-23 09:00');
});

afterEach(async () => {
  await ctx.db.close().catch(() => {});
});

/** A whole visit up to `ready`: returns the order number. */
async function readyOrder(plate = '京A12345', km = '45000'): Promise<string> {
  const { order: o } = await openOrder(ctx, { plate, mileage: km });
  await addLine(ctx, o.number, 'labor', { description: '保养工时', hours: '1' });
  await addLine(ctx, o.number, 'part', { description: '机油滤芯', qty: '1', price: '80' });
  await approveOrder(ctx, o.number, {});
  await startWork(ctx, o.number, {});
  await qualityCheck(ctx, o.number, { pass: true });
  return o.number;
}

describe('order open', () => {
  it('numbers orders per shop-local day and records the check-in', async () => {
    const a = await openOrder(ctx, { plate: '京A12345', mileage: '45210', complaint: '刹车异响', fuel: '1/2', advisor: '王顾问', keyTag: 'K-07', promised: '2026-11-23 17:00', callWindow: '9:00-12:00', category: 'maintenance' });
    const b = await openOrder(ctx, { plate: '沪B54321', mileage: '12000' });
    expect(a.order.number).toBe('RO-20261123-0001');
    expect(b.order.number).toBe('RO-20261123-0002');
    expect(a.order).toMatchObject({ status: 'open', mileage_in: 45210, fuel: '1/2', key_tag: 'K-07', call_window: '09:00-12:00', category: 'maintenance', complaint: '刹车异响', customer_id: 1 });
    expect(a.order.opened_at).toBe('2026-11-23T01:00:00.000Z');
    expect(a.order.promised_at).toBe('2026-11-23T09:00:00.000Z');
    expect(b.order.category).toBe('repair');
    // 23:30 in Shanghai on the 23rd is still that day there; the next morning starts a new sequence
    await cancelOrder(ctx, a.order.number, {});
    at('2026-11-24 08:00');
    const c = await openOrder(ctx, { plate: '京A12345', mileage: '45300' });
    expect(c.order.number).toBe('RO-20261124-0001');
    const events = await ctx.db.all('SELECT event FROM order_events WHERE order_id = ?', [c.order.id]);
    expect(events).toEqual([{ event: 'opened' }]);
    const audits = await ctx.db.all(`SELECT action, entity_id FROM audit_log WHERE entity = 'order' ORDER BY id`);
    expect(audits).toContainEqual({ action: 'open', entity_id: 'RO-20261124-0001' });
  });

  it('back-filled with --at takes the number of that day', async () => {
    const r = await openOrder(ctx, { plate: '京A12345', mileage: '45000', at: '2026-11-20 16:00' });
    expect(r.order.number).toBe('RO-20261120-0001');
    expect((await exitOf(openOrder(ctx, { plate: '沪B54321', mileage: '12000', at: '2026-11-24 16:00' }))).code).toBe(2);
  });

  it('refuses what a desk must not do, writing nothing', async () => {
    await expectRefusedUnchanged(() => openOrder(ctx, { plate: '京A12345' }), 2, /missing required --mileage/);
    await expectRefusedUnchanged(() => openOrder(ctx, { mileage: '100' }), 2, /missing required --plate/);
    await expectRefusedUnchanged(() => openOrder(ctx, { plate: '京A99999', mileage: '100' }), 3, /vehicle "京A99999" not found/);
    await expectRefusedUnchanged(() => openOrder(ctx, { plate: '京A12345', mileage: '39000' }), 4, /below the last reading 40000/);
    await expectRefusedUnchanged(() => openOrder(ctx, { plate: '京A12345', mileage: '45000', advisor: '赵技师' }), 4, /not a advisor|not an? advisor/);
    await expectRefusedUnchanged(() => openOrder(ctx, { plate: '京A12345', mileage: '45000', fuel: 'half' }), 2, /invalid fuel "half"/);
    await expectRefusedUnchanged(() => openOrder(ctx, { plate: '京A12345', mileage: '45000', promised: '2026-11-22 10:00' }), 2, /promised/);
    const first = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    await expectRefusedUnchanged(() => openOrder(ctx, { plate: '京A12345', mileage: '45010' }), 4, new RegExp(`already has order ${first.order.number} \\(open\\)`));
    await deactivateVehicle(ctx, '沪B54321');
    await expectRefusedUnchanged(() => openOrder(ctx, { plate: '沪B54321', mileage: '12000' }), 4, /deactivated/);
  });

  it('--force accepts an odd reading and audits it', async () => {
    const r = await openOrder(ctx, { plate: '京A12345', mileage: '39000', force: true });
    expect(r.forced).toMatch(/below the last reading/);
    const a = await ctx.db.get<{ details: string }>(`SELECT details FROM audit_log WHERE action = 'open' AND entity = 'order'`);
    expect(JSON.parse(a!.details).forced).toMatch(/below the last reading/);
  });

  it('flags a repeat repair within repeat.days of the last delivery', async () => {
    const first = await readyOrder();
    await deliverOrder(ctx, first, { paid: '200', method: 'cash' });
    at('2026-12-13 10:00'); // 20 days later
    const again = await openOrder(ctx, { plate: '京A12345', mileage: '45800' });
    expect(again.repeat_of).toMatchObject({ number: first, days: 20 });
    expect(again.order.repeat_of_order_id).toBe((await order(first)).id);
    expect((await showOrder(ctx, again.order.number)).order.repeat_of).toBe(first);
    await cancelOrder(ctx, again.order.number, {});
    at('2027-01-23 10:00'); // 61 days later
    const later = await openOrder(ctx, { plate: '京A12345', mileage: '47000' });
    expect(later.repeat_of).toBeNull();
    expect(later.order.repeat_of_order_id).toBeNull();
  });
});

describe('check-in from a booking', () => {
  async function booking(status = 'booked', vehicleId = 1, deposit = 50000): Promise<number> {
    const r = await ctx.db.run(
      `INSERT INTO bookings (vehicle_id, customer_id, scheduled_at, ends_at, minutes, complaint, advisor_id, deposit_cents, parts_value_cents, status, created_at)
       VALUES (?, ?, '2026-11-23T01:00:00.000Z', '2026-11-23T02:00:00.000Z', 60, '空调不凉', 1, ?, ?, ?, '2026-11-20T01:00:00.000Z')`,
      [vehicleId, vehicleId, deposit, deposit * 2, status],
    );
    return r.lastID;
  }

  it('closes the booking, carries advisor and complaint, books the deposit', async () => {
    const id = await booking();
    const r = await openOrder(ctx, { bookingId: String(id), mileage: '45000' });
    expect(r.plate).toBe('京A12345');
    expect(r.order).toMatchObject({ booking_id: id, advisor_id: 1, complaint: '空调不凉', paid_cents: 50000, total_cents: 0 });
    expect(r.deposit_cents).toBe(50000);
    expect(await ctx.db.get('SELECT status, order_id FROM bookings WHERE id = ?', [id])).toEqual({ status: 'arrived', order_id: r.order.id });
    expect(await ctx.db.all('SELECT amount_cents, method FROM payments')).toEqual([{ amount_cents: 50000, method: 'deposit' }]);
    // the deposit counts against the bill
    await addLine(ctx, r.order.number, 'part', { description: '压缩机', qty: '1', price: '1200' });
    await approveOrder(ctx, r.order.number, {});
    expect(await order(r.order.number)).toMatchObject({ total_cents: 120000, paid_cents: 50000 });
  });

  it('refuses a booking that is not booked/confirmed or is for another car', async () => {
    const cancelled = await booking('cancelled');
    await expectRefusedUnchanged(() => openOrder(ctx, { bookingId: String(cancelled), mileage: '45000' }), 4, /booking \d+ is cancelled/);
    const other = await booking('confirmed', 2);
    await expectRefusedUnchanged(() => openOrder(ctx, { bookingId: String(other), plate: '京A12345', mileage: '45000' }), 4, /is for 沪B54321, not 京A12345/);
    await expectRefusedUnchanged(() => openOrder(ctx, { bookingId: '999', mileage: '45000' }), 3, /booking "?999"? not found/);
  });
});

describe('lines, approval and findings', () => {
  it('numbers lines, rounds half up, marks additional work after the first approval', async () => {
    const { order: o } = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    const l1 = await addLine(ctx, o.number, 'labor', { description: '更换刹车片', hours: '1.5', rate: '33.33' });
    const l2 = await addLine(ctx, o.number, 'labor', { description: '检查', hours: '0.25' });
    const l3 = await addLine(ctx, o.number, 'part', { description: '刹车片', qty: '2.5', price: '0.99', partNo: 'BP-1', grade: 'aftermarket' });
    const l4 = await addLine(ctx, o.number, 'part', { description: '自带机油', qty: '4', customerSupplied: true });
    expect([l1, l2, l3, l4].map((r) => [r.line.line_no, r.line.amount_cents, r.line.additional])).toEqual([[1, 5000, 0], [2, 3000, 0], [3, 248, 0], [4, 0, 0]]);
    expect(l3.line).toMatchObject({ qty_milli: 2500, unit_price_cents: 99, part_no: 'BP-1', grade: 'aftermarket' });
    expect(l4.line).toMatchObject({ customer_supplied: 1, unit_price_cents: 0 });
    // proposed lines are not in the total
    expect(await order(o.number)).toMatchObject({ total_cents: 0 });

    const a = await approveOrder(ctx, o.number, { lines: '1,3', by: '张三' });
    expect(a.order).toMatchObject({ status: 'approved', estimate_cents: 5248, total_cents: 5248, labor_cents: 5000, parts_cents: 248 });
    expect(a.order.approved_at).toBe('2026-11-23T01:00:00.000Z');
    at('2026-11-23 11:00');
    const l5 = await addLine(ctx, o.number, 'fee', { description: '环保费', price: '10' });
    expect(l5.line.additional).toBe(1);
    await approveOrder(ctx, o.number, {}); // all still proposed: 2, 4, 5
    const after = await order(o.number);
    expect(after).toMatchObject({ status: 'approved', estimate_cents: 5248, total_cents: 5248 + 3000 + 1000, fees_cents: 1000 });

    const p = await showOrder(ctx, o.number);
    expect(p.lines.map((l) => l.no_quality_guarantee)).toEqual([false, false, true, true, false]);
    expect(p.settlement).toMatchObject({ estimate_cents: 5248, final_cents: 9248, difference_cents: 4000, exceeds: true });
    expect(p.settlement.extra_lines.map((l) => l.line_no)).toEqual([2, 4, 5]);
  });

  it('refuses bad lines with the flag and value named', async () => {
    const { order: o } = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    await expectRefusedUnchanged(() => addLine(ctx, o.number, 'labor', { description: 'x' }), 2, /missing required --hours/);
    await expectRefusedUnchanged(() => addLine(ctx, o.number, 'labor', { description: 'x', hours: '1.234' }), 2, /invalid hours "1.234"/);
    await expectRefusedUnchanged(() => addLine(ctx, o.number, 'part', { description: 'x', qty: '1', price: '1,000' }), 2, /invalid price "1,000"/);
    await expectRefusedUnchanged(() => addLine(ctx, o.number, 'part', { description: 'x', qty: '1', price: '5', customerSupplied: true }), 2, /customer-supplied parts carry no price/);
    await expectRefusedUnchanged(() => addLine(ctx, o.number, 'part', { description: 'x', qty: '1', price: '5', grade: 'fake' }), 2, /invalid grade "fake"/);
    await expectRefusedUnchanged(() => addLine(ctx, 'RO-20261123-0099', 'fee', { description: 'x', price: '5' }), 3, /order "RO-20261123-0099" not found/);
    await expectRefusedUnchanged(() => approveOrder(ctx, o.number, {}), 4, /no proposed lines/);
    await cancelOrder(ctx, o.number, {});
    await expectRefusedUnchanged(() => addLine(ctx, o.number, 'fee', { description: 'x', price: '5' }), 4, /it is cancelled/);
  });

  it('declined lines and findings become open findings; a later order resolves them on delivery', async () => {
    const { order: o } = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    await addLine(ctx, o.number, 'labor', { description: '保养', hours: '1' });
    await addLine(ctx, o.number, 'part', { description: '前刹车片磨损', qty: '1', price: '380' });
    await approveOrder(ctx, o.number, { lines: '1' });
    await expectRefusedUnchanged(() => declineOrderLines(ctx, o.number, { lines: '1' }), 4, /line 1 .* is approved/);
    await expectRefusedUnchanged(() => declineOrderLines(ctx, o.number, { lines: '7' }), 3, /not found/);
    const d = await declineOrderLines(ctx, o.number, { lines: '2', reason: '下次再换' });
    const f = await addFinding(ctx, o.number, { description: '轮胎老化' });
    expect(d.findings).toHaveLength(1);
    expect((await ctx.db.get<{ status: string; decline_reason: string }>('SELECT status, decline_reason FROM order_lines WHERE line_no = 2'))).toEqual({ status: 'declined', decline_reason: '下次再换' });
    expect((await order(o.number)).total_cents).toBe(12000);
    await startWork(ctx, o.number, { tech: '赵技师' });
    await qualityCheck(ctx, o.number, { pass: true, inspector: '钱质检' });
    await deliverOrder(ctx, o.number, { paid: '120', method: 'cash' });
    const v = await showVehicle(ctx, '京A12345');
    expect(v.open_findings.map((x) => x.description)).toEqual(['前刹车片磨损', '轮胎老化']);

    at('2027-01-10 09:00');
    const next = await openOrder(ctx, { plate: '京A12345', mileage: '47000' });
    expect(next.open_findings.map((x) => x.label)).toEqual([d.findings[0], f.label]);
    await expectRefusedUnchanged(() => addLine(ctx, next.order.number, 'fee', { description: 'x', price: '1', resolves: 'F999' }), 3, /finding "F999" not found/);
    const fix = await addLine(ctx, next.order.number, 'part', { description: '更换前刹车片', qty: '1', price: '380', resolves: d.findings[0] });
    expect(fix.resolves).toEqual([d.findings[0]]);
    await approveOrder(ctx, next.order.number, {});
    await startWork(ctx, next.order.number, {});
    // still open until the fixing order is delivered
    expect((await showVehicle(ctx, '京A12345')).open_findings).toHaveLength(2);
    await qualityCheck(ctx, next.order.number, { pass: true });
    const delivered = await deliverOrder(ctx, next.order.number, {});
    expect(delivered.resolved).toEqual([d.findings[0]]);
    expect((await showVehicle(ctx, '京A12345')).open_findings.map((x) => x.description)).toEqual(['轮胎老化']);
    const resolvedRow = await ctx.db.get('SELECT status, resolved_order_id FROM findings WHERE line_id IS NOT NULL');
    expect(resolvedRow).toEqual({ status: 'resolved', resolved_order_id: next.order.id });
    // the later order still shows what was open when it checked in
    const p = await showOrder(ctx, next.order.number);
    expect(p.findings_at_open.map((x) => [x.label, x.status])).toEqual([[d.findings[0], 'resolved'], [f.label, 'open']]);
    await expectRefusedUnchanged(() => addFinding(ctx, 'RO-20261123-0001', { description: '' }), 2, /DESCRIPTION/);
  });
});

describe('a cancelled order fixes nothing', () => {
  it('frees the findings its lines meant to resolve', async () => {
    const first = await readyOrder();
    const f = await addFinding(ctx, first, { description: '雨刷老化' });
    await deliverOrder(ctx, first, {});
    at('2027-01-10 09:00');
    const b = await openOrder(ctx, { plate: '京A12345', mileage: '47000' });
    await addLine(ctx, b.order.number, 'part', { description: '雨刷', qty: '2', price: '45', resolves: f.label });
    expect((await showOrder(ctx, b.order.number)).resolves.map((x) => x.label)).toEqual([f.label]);
    await cancelOrder(ctx, b.order.number, {});
    expect(await ctx.db.get('SELECT status, resolving_line_id FROM findings WHERE id = ?', [f.id])).toEqual({ status: 'open', resolving_line_id: null });
    const c = await openOrder(ctx, { plate: '京A12345', mileage: '47000' });
    expect(c.open_findings.map((x) => x.label)).toEqual([f.label]);
  });

  it('customer-supplied parts carry no grade unless given', async () => {
    const { order: o } = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    expect((await addLine(ctx, o.number, 'part', { description: '自带', qty: '1', customerSupplied: true })).line.grade).toBeNull();
    expect((await addLine(ctx, o.number, 'part', { description: '原厂', qty: '1', price: '1' })).line.grade).toBe('oem');
  });
});

describe('work, quality check, delivery and money', () => {
  it('runs a visit with rework, discount, partial payment and arrears', async () => {
    const { order: o } = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    await addLine(ctx, o.number, 'labor', { description: '工时', hours: '2' }); // 240.00
    await addLine(ctx, o.number, 'part', { description: '配件', qty: '2', price: '130' }); // 260.00
    await expectRefusedUnchanged(() => startWork(ctx, o.number, {}), 4, /it is open/);
    await approveOrder(ctx, o.number, {});
    await expectRefusedUnchanged(() => startWork(ctx, o.number, { tech: '王顾问' }), 4, /not a technician/);
    await expectRefusedUnchanged(() => qualityCheck(ctx, o.number, { pass: true }), 4, /it is approved/);
    await startWork(ctx, o.number, { tech: '赵技师' });
    await expectRefusedUnchanged(() => qualityCheck(ctx, o.number, {}), 2, /--pass or --fail/);
    await expectRefusedUnchanged(() => deliverOrder(ctx, o.number, {}), 4, /it is in_progress/);
    const failed = await qualityCheck(ctx, o.number, { fail: true, note: '异响' });
    expect(failed).toMatchObject({ status: 'in_progress', qc_failures: 1 });
    const passed = await qualityCheck(ctx, o.number, { pass: true, inspector: '钱质检', roadTest: true });
    expect(passed).toMatchObject({ status: 'ready', qc_failures: 1, road_test: 1, inspector_id: 3 });

    await expectRefusedUnchanged(() => discountOrder(ctx, o.number, { amount: '50', by: '王顾问' }), 4, /not a manager/);
    await expectRefusedUnchanged(() => discountOrder(ctx, o.number, { amount: '500.01', by: '孙经理' }), 4, /more than the approved total 500.00/);
    await expectRefusedUnchanged(() => discountOrder(ctx, o.number, { amount: '50' }), 2, /missing required --by/);
    expect(await discountOrder(ctx, o.number, { amount: '50', by: '孙经理' })).toMatchObject({ discount_cents: 5000, total_cents: 45000 });
    expect(await discountOrder(ctx, o.number, { amount: '20', by: '孙经理' })).toMatchObject({ discount_cents: 2000, total_cents: 48000 });

    // additional work after QC: delivery waits for a decision
    const extra = await addLine(ctx, o.number, 'fee', { description: '洗车', price: '30' });
    await expectRefusedUnchanged(() => deliverOrder(ctx, o.number, { paid: '100', method: 'cash' }), 4, /proposed lines 3/);
    await declineOrderLines(ctx, o.number, { lines: String(extra.line.line_no) });

    await expectRefusedUnchanged(() => deliverOrder(ctx, o.number, { paid: '480.01', method: 'cash' }), 4, /more than the balance 480.00/);
    await expectRefusedUnchanged(() => deliverOrder(ctx, o.number, { paid: '100' }), 2, /missing required --method/);
    at('2026-11-23 17:30');
    const d = await deliverOrder(ctx, o.number, { paid: '300', method: 'wechat' });
    expect(d.balance_cents).toBe(18000);
    expect(d.order).toMatchObject({ status: 'delivered', total_cents: 48000, paid_cents: 30000, delivered_at: '2026-11-23T09:30:00.000Z' });
    expect((await findOrders(ctx, { unpaid: true })).map((r) => r.number)).toEqual([o.number]);

    await expectRefusedUnchanged(() => payOrder(ctx, o.number, { amount: '180.01', method: 'cash' }), 4, /more than the balance 180.00/);
    await expectRefusedUnchanged(() => payOrder(ctx, o.number, { amount: '0', method: 'cash' }), 2, /invalid amount "0"/);
    await expectRefusedUnchanged(() => payOrder(ctx, o.number, { amount: '10', method: 'bitcoin' }), 2, /invalid method "bitcoin"/);
    await expectRefusedUnchanged(() => cancelOrder(ctx, o.number, {}), 4, /it is delivered/);
    await expectRefusedUnchanged(() => discountOrder(ctx, o.number, { amount: '1', by: '孙经理' }), 4, /it is delivered/);
    at('2026-11-25 10:00');
    const paid = await payOrder(ctx, o.number, { amount: '180', method: 'alipay' });
    expect(paid).toMatchObject({ paid_cents: 48000, total_cents: 48000 });
    expect(await findOrders(ctx, { unpaid: true })).toEqual([]);
    await expectRefusedUnchanged(() => payOrder(ctx, o.number, { amount: '0.01', method: 'cash' }), 4, /balance 0.00/);

    const p = await showOrder(ctx, o.number);
    expect(p.timeline.map((e) => e.event)).toEqual([
      'opened', 'line_added', 'line_added', 'approved', 'started', 'qc_fail', 'qc_pass', 'discount', 'discount', 'line_added', 'declined', 'payment', 'delivered', 'payment',
    ]);
    expect(p.payments.map((x) => [x.method, x.amount_cents])).toEqual([['wechat', 30000], ['alipay', 18000]]);
    expect(p.totals).toMatchObject({ total_cents: 48000, paid_cents: 48000, balance_cents: 0 });
    expect(p.settlement).toMatchObject({ estimate_cents: 50000, final_cents: 48000, exceeds: false });
    const actions = await ctx.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'order' ORDER BY id`);
    expect(actions.map((a) => a.action)).toEqual([
      'open', 'add_line', 'add_line', 'approve', 'start', 'qc_fail', 'qc_pass', 'discount', 'discount', 'add_line', 'decline', 'deliver', 'pay',
    ]);
  });

  it('keeps the denormalized totals equal to the lines, discount and payments', async () => {
    const n = await readyOrder();
    await discountOrder(ctx, n, { amount: '15.5', by: '孙经理' });
    await payOrder(ctx, n, { amount: '100', method: 'card' });
    const o = await order(n);
    const lines = await ctx.db.get<{ s: number }>(`SELECT SUM(amount_cents) AS s FROM order_lines WHERE order_id = ? AND status = 'approved'`, [o.id]);
    expect(o.total_cents).toBe(lines!.s - 1550);
    expect(o).toMatchObject({ labor_cents: 12000, parts_cents: 8000, fees_cents: 0, total_cents: 18450, paid_cents: 10000 });
    await expectRefusedUnchanged(() => discountOrder(ctx, n, { amount: '150', by: '孙经理' }), 4, /below the 100.00 already paid/);
  });

  it('cancels from any state before delivery, and an event may not predate the order', async () => {
    const { order: o } = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    await expectRefusedUnchanged(() => cancelOrder(ctx, o.number, { at: '2026-11-22 10:00' }), 2, /before the order was opened/);
    const c = await cancelOrder(ctx, o.number, { reason: '客户改期' });
    expect(c.order).toMatchObject({ status: 'cancelled', cancel_reason: '客户改期' });
    await expectRefusedUnchanged(() => cancelOrder(ctx, o.number, {}), 4, /it is cancelled/);
    await expectRefusedUnchanged(() => payOrder(ctx, o.number, { amount: '1', method: 'cash' }), 4, /it is cancelled/);
    // a cancelled order frees the vehicle for a new one
    const again = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    expect(again.order.number).toBe('RO-20261123-0002');
    for (const step of ['approve', 'start', 'ready'] as const) {
      await cancelOrder(ctx, (await ctx.db.get<{ number: string }>(`SELECT number FROM orders WHERE status NOT IN ('cancelled','delivered')`))!.number, {});
      const { order: x } = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
      await addLine(ctx, x.number, 'fee', { description: 'x', price: '1' });
      await approveOrder(ctx, x.number, {});
      if (step !== 'approve') await startWork(ctx, x.number, {});
      if (step === 'ready') await qualityCheck(ctx, x.number, { pass: true });
      expect((await cancelOrder(ctx, x.number, {})).order.status).toBe('cancelled');
      await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    }
  });
});

describe('order list', () => {
  it('filters by status, open day, plate and arrears', async () => {
    const a = await readyOrder();
    await deliverOrder(ctx, a, {});
    at('2026-11-25 09:00');
    const b = (await openOrder(ctx, { plate: '沪B54321', mileage: '12000' })).order.number;
    const all = await findOrders(ctx, {});
    expect(all.map((r) => r.number)).toEqual([b, a]);
    expect((await findOrders(ctx, { status: 'open' })).map((r) => r.number)).toEqual([b]);
    expect((await findOrders(ctx, { from: '2026-11-24' })).map((r) => r.number)).toEqual([b]);
    expect((await findOrders(ctx, { to: '2026-11-23' })).map((r) => r.number)).toEqual([a]);
    expect((await findOrders(ctx, { from: '2026-11-23', to: '2026-11-23' })).map((r) => r.number)).toEqual([a]);
    expect((await findOrders(ctx, { plate: '沪B54321' })).map((r) => r.number)).toEqual([b]);
    expect((await findOrders(ctx, { unpaid: true })).map((r) => [r.number, r.balance_cents])).toEqual([[a, 20000]]);
    expect((await exitOf(findOrders(ctx, { status: 'done' }))).code).toBe(2);
    expect((await exitOf(findOrders(ctx, { from: '2026-11-31' }))).code).toBe(2);
  });
});

describe('walk-in with a car not in the archive', () => {
  it('creates customer, vehicle and order together, or nothing at all', async () => {
    await expectRefusedUnchanged(
      () => openOrderForNewVehicle(ctx, { create: { name: '周五', phone: '13900000009' } }, { plate: '粤C11111' }, { mileage: '8000', advisor: '没有这个人' }),
      3, /staff \(advisor\) "没有这个人" not found/,
    );
    const r = await openOrderForNewVehicle(ctx, { create: { name: '周五', phone: '13900000009' } }, { plate: '粤C11111', make: '比亚迪' }, { mileage: '8000' });
    expect(r.plate).toBe('粤C11111');
    expect(r.order.number).toBe('RO-20261123-0001');
    expect(await ctx.db.get('SELECT c.name, v.make FROM vehicles v JOIN customers c ON c.id = v.customer_id WHERE v.plate = ?', ['粤C11111'])).toEqual({ name: '周五', make: '比亚迪' });
    const r2 = await openOrderForNewVehicle(ctx, { existing: '13800000001' }, { plate: '京A77777' }, { mileage: '100' });
    expect(r2.order.customer_id).toBe(1);
  });
});
