/** Corrections of repair orders on a real temporary database (SPEC §10, §16). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { addLine, approveOrder, cancelOrder, deliverOrder, openOrder, payOrder, qualityCheck, showOrder, startWork } from '../../src/app/orders.js';
import { editOrder, editOrderLine, refundOrder, removeOrderLine, reopenOrder } from '../../src/app/corrections.js';
import { recordCallback } from '../../src/app/followup.js';
import { totalsMismatches } from '../../src/db/admin.js';
import { parseLocalDateTime } from '../../src/domain/time.js';
import { PitstopError } from '../../src/errors.js';

let ctx: Ctx;
const at = (local: string) => { ctx.now = parseLocalDateTime('now', local, ctx.tz); };

async function exitOf(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PitstopError) return { code: err.exitCode, message: err.message };
    throw err;
  }
  return { code: 0, message: '' };
}

const TABLES = ['orders', 'order_lines', 'payments', 'order_events', 'audit_log', 'order_adjustments'];
async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = await ctx.db.all(`SELECT * FROM ${t} ORDER BY rowid`);
  return out;
}
async function refusedUnchanged(p: () => Promise<unknown>, code: number, message: RegExp) {
  const before = await snapshot();
  const r = await exitOf(p());
  expect(r.code).toBe(code);
  expect(r.message).toMatch(message);
  expect(await snapshot()).toEqual(before);
}
const order = async (n: string) => (await ctx.db.get<Record<string, number | string | null>>('SELECT * FROM orders WHERE number = ?', [n]))!;

beforeEach(async () => {
  ctx = await testCtx('2026-05-01 09:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000' });
  await addStaff(ctx, { name: '王顾问', role: 'advisor' });
  await addStaff(ctx, { name: '孙经理', role: 'manager,advisor' });
  await addStaff(ctx, { name: '刘回访', role: 'agent' });
  at('2026-11-23 09:00');
});
afterEach(async () => { await ctx.db.close().catch(() => {}); });

/** An order with labour 120.00 (1 h) + part 80.00, approved, QC passed. */
async function readyOrder(): Promise<string> {
  const { order: o } = await openOrder(ctx, { plate: '京A12345', mileage: '45000', promised: '2026-11-23 17:00' });
  await addLine(ctx, o.number, 'labor', { description: '保养工时', hours: '1' });
  await addLine(ctx, o.number, 'part', { description: '机油滤芯', qty: '1', price: '80' });
  await approveOrder(ctx, o.number, {});
  await startWork(ctx, o.number, {});
  await qualityCheck(ctx, o.number, { pass: true });
  return o.number;
}

/** doctor's check: stored totals agree with a recomputation from lines and payments */
async function doctorTotals() {
  const r = await totalsMismatches(ctx.db, 20);
  return { status: r.count === 0 ? 'ok' : 'mismatch' };
}

describe('order line edit / remove', () => {
  it('editing an approved line makes it proposed again and changes the totals; timeline and audit keep before and after', async () => {
    const n = await readyOrder();
    const r = await editOrderLine(ctx, n, '2', { price: '95.5', qty: '2' });
    expect(r.reproposed).toBe(true);
    expect(r.line.amount_cents).toBe(19100);
    let o = await order(n);
    expect(o.total_cents).toBe(12000); // line 2 is proposed, not in the total
    await refusedUnchanged(() => deliverOrder(ctx, n, {}), 4, /proposed lines 2/);
    await approveOrder(ctx, n, { lines: '2' });
    o = await order(n);
    expect(o.total_cents).toBe(12000 + 19100);
    const audit = await ctx.db.get<{ details: string }>("SELECT details FROM audit_log WHERE action = 'edit_line'");
    expect(JSON.parse(audit!.details)).toMatchObject({ line: 2, before: { amount_cents: 8000, status: 'approved' }, after: { amount_cents: 19100, status: 'proposed' } });
    const p = await showOrder(ctx, n);
    expect(p.timeline.map((e) => e.event)).toContain('line_edited');
    expect((await doctorTotals())?.status).toBe('ok');
  });

  it('a corrected description alone keeps an approved line approved', async () => {
    const n = await readyOrder();
    const r = await editOrderLine(ctx, n, '1', { description: '保养工时（含检查）' });
    expect(r.reproposed).toBe(false);
    expect(r.line.status).toBe('approved');
    expect((await order(n)).total_cents).toBe(20000);
  });

  it('a flag that does not fit the line is exit 2 naming it; a missing line is exit 3; nothing written', async () => {
    const n = await readyOrder();
    await refusedUnchanged(() => editOrderLine(ctx, n, '1', { qty: '2' }), 2, /invalid qty "2": a labor line takes --hours, --rate, --description/);
    await refusedUnchanged(() => editOrderLine(ctx, n, '9', { hours: '2' }), 3, /line of order RO-20261123-0001 "9" not found|line of order RO-20261123-0001 9 not found/);
    await refusedUnchanged(() => removeOrderLine(ctx, n, '9'), 3, /not found/);
  });

  it('a removed line stays visible as removed, out of the totals, and cannot be edited again', async () => {
    const n = await readyOrder();
    await removeOrderLine(ctx, n, '2', { reason: '客户自带' });
    const o = await order(n);
    expect(o.total_cents).toBe(12000);
    const p = await showOrder(ctx, n);
    expect(p.lines).toHaveLength(2);
    expect(p.lines[1]!.removed_at).toBeTruthy();
    expect(p.timeline.map((e) => e.event)).toContain('line_removed');
    await refusedUnchanged(() => editOrderLine(ctx, n, '2', { price: '1' }), 4, /line 2 of order .* was removed/);
    expect((await doctorTotals())?.status).toBe('ok');
  });

  it('no line edit after delivery (exit 4 naming the status)', async () => {
    const n = await readyOrder();
    await deliverOrder(ctx, n, { paid: '200', method: 'cash' });
    await refusedUnchanged(() => editOrderLine(ctx, n, '1', { hours: '2' }), 4, /it is delivered/);
  });
});

describe('order edit', () => {
  it('changes the header fields given, audited with before and after', async () => {
    const n = await readyOrder();
    const r = await editOrder(ctx, n, { promised: '2026-11-24 12:00', advisor: '王顾问', callWindow: '14:00-16:00', keyTag: 'K9' });
    expect(Object.keys(r.after).sort()).toEqual(['advisor_id', 'call_window', 'key_tag', 'promised_at']);
    const o = await order(n);
    expect(o.promised_at).toBe('2026-11-24T04:00:00.000Z');
    expect(o.call_window).toBe('14:00-16:00');
    const a = await ctx.db.get<{ details: string }>("SELECT details FROM audit_log WHERE action = 'edit' AND entity = 'order'");
    expect(JSON.parse(a!.details).before.promised_at).toBe('2026-11-23T09:00:00.000Z');
    await refusedUnchanged(() => editOrder(ctx, n, { category: 'nonsense' }), 2, /invalid category "nonsense"/);
    await refusedUnchanged(() => editOrder(ctx, n, {}), 2, /nothing to change/);
  });
});

describe('order reopen', () => {
  it('delivered → in_progress: payments kept, counts as rework, needs QC again; an undelivered order is exit 4 naming its status', async () => {
    const n = await readyOrder();
    await refusedUnchanged(() => reopenOrder(ctx, n, { reason: '异响' }), 4, /cannot reopen order .*: it is ready/);
    await deliverOrder(ctx, n, { paid: '200', method: 'cash' });
    at('2026-11-24 09:00');
    const o = await reopenOrder(ctx, n, { reason: '异响' });
    expect(o.status).toBe('in_progress');
    expect(o.qc_failures).toBe(1);
    expect(o.paid_cents).toBe(20000);
    expect(o.first_delivered_at).toBe('2026-11-23T01:00:00.000Z');
    await refusedUnchanged(() => deliverOrder(ctx, n, {}), 4, /cannot deliver order .*: it is in_progress/);
    await qualityCheck(ctx, n, { pass: true });
    const d = await deliverOrder(ctx, n, {});
    expect(d.order.delivered_at).toBe('2026-11-24T01:00:00.000Z');
    expect(d.order.first_delivered_at).toBe('2026-11-23T01:00:00.000Z');
    await refusedUnchanged(() => reopenOrder(ctx, n, {}), 2, /--reason/);
  });

  it('a callback before the latest delivery no longer counts: the order is on the callback list again after the new delivery', async () => {
    const { runJob } = await import('../../src/app/jobs.js');
    const n = await readyOrder();
    await deliverOrder(ctx, n, { paid: '200', method: 'cash' });
    at('2026-11-26 10:00');
    await recordCallback(ctx, n, { result: 'reached', scores: '5,5,5,5,5', agent: '刘回访' });
    at('2026-11-27 09:00');
    await reopenOrder(ctx, n, { reason: '返工' });
    await qualityCheck(ctx, n, { pass: true });
    await deliverOrder(ctx, n, {});
    const dir = (await import('../helpers.js')).tempDir();
    // while in progress it is on no list; delivered again on 11-27, due from 11-30
    const r = await runJob(ctx, 'callbacks', { date: '2026-11-30', out: dir });
    const fs = await import('node:fs');
    expect(fs.readFileSync(r.file!, 'utf8')).toContain(n);
  });

  it('cancelling a reopened order is refused', async () => {
    const n = await readyOrder();
    await deliverOrder(ctx, n, {});
    await reopenOrder(ctx, n, { reason: 'x' });
    await refusedUnchanged(() => cancelOrder(ctx, n, {}), 4, /was delivered on/);
  });
});

describe('refunds', () => {
  it('only what was overpaid; above it is exit 4 naming the most that can be refunded', async () => {
    const n = await readyOrder(); // total 200
    await deliverOrder(ctx, n, { paid: '200', method: 'cash' });
    await reopenOrder(ctx, n, { reason: '多收' });
    await editOrderLine(ctx, n, '2', { price: '50' });
    await approveOrder(ctx, n, { lines: '2' });
    expect((await order(n)).total_cents).toBe(17000);
    await refusedUnchanged(() => refundOrder(ctx, n, { amount: '30.01', method: 'cash', reason: '多收' }), 4, /at most 30\.00/);
    const o = await refundOrder(ctx, n, { amount: '30', method: 'cash', reason: '多收' });
    expect(o.paid_cents).toBe(17000);
    const p = await showOrder(ctx, n);
    expect(p.payments.map((x) => x.amount_cents)).toEqual([20000, -3000]);
    expect((await doctorTotals())?.status).toBe('ok');
  });

  it('--goodwill --by MANAGER records the manager\'s discount first, so the order is never left owing', async () => {
    const n = await readyOrder();
    await deliverOrder(ctx, n, { paid: '200', method: 'cash' });
    await refusedUnchanged(() => refundOrder(ctx, n, { amount: '50', method: 'cash', reason: '致歉' }), 4, /at most 0\.00/);
    await refusedUnchanged(() => refundOrder(ctx, n, { amount: '50', method: 'cash', reason: '致歉', goodwill: true, by: '王顾问' }), 4, /not a manager/);
    const o = await refundOrder(ctx, n, { amount: '50', method: 'wechat', reason: '致歉', goodwill: true, by: '孙经理' });
    expect(o.discount_cents).toBe(5000);
    expect(o.total_cents).toBe(15000);
    expect(o.paid_cents).toBe(15000);
    await refusedUnchanged(() => refundOrder(ctx, n, { amount: '150.01', method: 'cash', reason: 'x', goodwill: true, by: '孙经理' }), 4, /at most 150\.00/);
  });

  it('cancelling an order with payments needs the refund first (exit 4 naming the amount)', async () => {
    const { order: o } = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    await addLine(ctx, o.number, 'fee', { description: '检测费', price: '100' });
    await approveOrder(ctx, o.number, {});
    await payOrder(ctx, o.number, { amount: '100', method: 'cash' });
    await refusedUnchanged(() => cancelOrder(ctx, o.number, {}), 4, /100\.00 was paid on it; refund it first/);
    await removeOrderLine(ctx, o.number, '1');
    await refundOrder(ctx, o.number, { amount: '100', method: 'cash', reason: '取消' });
    const r = await cancelOrder(ctx, o.number, {});
    expect(r.order.status).toBe('cancelled');
  });
});
