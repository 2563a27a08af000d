/**
 * How corrections reach the jobs (SPEC §10, §16): revenue of a past period does not change when an
 * order is corrected later — the correction is an `adjustment` row of the period it is made in — and
 * the new `credits` and `overdue` lists.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { addBooking, cancelBooking, markNoShows } from '../../src/app/bookings.js';
import { addLine, approveOrder, deliverOrder, discountOrder, openOrder, qualityCheck, startWork } from '../../src/app/orders.js';
import { editOrderLine, refundOrder, reopenOrder } from '../../src/app/corrections.js';
import { forfeitDeposit, refundDeposit } from '../../src/app/deposits.js';
import { addComplaint } from '../../src/app/followup.js';
import { revenueReport } from '../../src/app/reports.js';
import { jobRows } from '../../src/app/jobs.js';
import { loadJob } from '../../jobs/index.js';
import { parseLocalDateTime } from '../../src/domain/time.js';

let ctx: Ctx;
const at = (local: string) => { ctx.now = parseLocalDateTime('now', local, ctx.tz); };
const OCT = { key: '2026-10', first: '2026-10-01', last: '2026-10-31' };
const NOV = { key: '2026-11', first: '2026-11-01', last: '2026-11-30' };
const pick = (rows: Awaited<ReturnType<typeof revenueReport>>) => rows.map((r) => [r.dimension, r.key, r.orders, r.labor, r.parts, r.other, r.discount, r.total, r.paid, r.outstanding]);
const rowsOf = async (job: 'credits' | 'overdue', day: string) => jobRows(await loadJob(job), { ctx, day, period: null });

beforeEach(async () => {
  ctx = await testCtx('2026-06-01 09:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000' });
  await addVehicle(ctx, { customer: '1', plate: '京B12345', mileage: '40000' });
  await addStaff(ctx, { name: '孙经理', role: 'manager,advisor' });
});
afterEach(async () => { await ctx.db.close().catch(() => {}); });

/** Labour 120.00 + part 80.00, delivered and paid 200.00 on `day`. */
async function deliveredOrder(day: string, plate = '京A12345'): Promise<string> {
  at(`${day} 09:00`);
  const { order } = await openOrder(ctx, { plate, mileage: '45000', advisor: '孙经理' });
  await addLine(ctx, order.number, 'labor', { description: '保养', hours: '1' });
  await addLine(ctx, order.number, 'part', { description: '滤芯', qty: '1', price: '80' });
  await approveOrder(ctx, order.number, {});
  await startWork(ctx, order.number, {});
  await qualityCheck(ctx, order.number, { pass: true });
  at(`${day} 16:00`);
  await deliverOrder(ctx, order.number, { paid: '200', method: 'cash' });
  return order.number;
}

describe('revenue after corrections', () => {
  it('a past month does not change; the correction and the refund are an adjustment row of the month they are made in', async () => {
    const n = await deliveredOrder('2026-10-20');
    at('2026-11-02 09:00');
    const octBefore = pick(await revenueReport(ctx, OCT));
    expect(octBefore[0]).toEqual(['total', 'all', 1, 12000, 8000, 0, 0, 20000, 20000, 0]);
    const novBefore = pick(await revenueReport(ctx, NOV));

    at('2026-11-10 09:00');
    await reopenOrder(ctx, n, { reason: '多收滤芯' });
    await editOrderLine(ctx, n, '2', { price: '50' });
    await approveOrder(ctx, n, {});
    await qualityCheck(ctx, n, { pass: true });
    await deliverOrder(ctx, n, {});
    await refundOrder(ctx, n, { amount: '30', method: 'cash', reason: '多收' });
    at('2026-11-12 09:00');
    await refundOrder(ctx, n, { amount: '20', method: 'cash', reason: '致歉', goodwill: true, by: '孙经理' });

    expect(pick(await revenueReport(ctx, OCT))).toEqual(octBefore);
    const nov = pick(await revenueReport(ctx, NOV));
    expect(nov.slice(0, novBefore.length)).toEqual(novBefore); // nothing first delivered in November
    expect(nov.slice(novBefore.length)).toEqual([['adjustment', 'correction', 1, 0, -3000, 0, 2000, -5000, -5000, 0]]);
    // the months add up to the books: 200 − 30 (price) − 20 (goodwill) = 150 total and paid
    const order = await ctx.db.get<{ total_cents: number; paid_cents: number }>('SELECT total_cents, paid_cents FROM orders WHERE number = ?', [n]);
    expect(order).toEqual({ total_cents: 15000, paid_cents: 15000 });
  });

  it('a correction in the month of the first delivery is part of that month, with no adjustment row', async () => {
    const n = await deliveredOrder('2026-11-03');
    at('2026-11-05 09:00');
    await discountOrder(ctx, n, { amount: '10', by: '孙经理' }).catch(() => {}); // delivered: refused, nothing changes
    await refundOrder(ctx, n, { amount: '10', method: 'cash', reason: '致歉', goodwill: true, by: '孙经理' });
    const nov = pick(await revenueReport(ctx, NOV));
    expect(nov[0]).toEqual(['total', 'all', 1, 12000, 8000, 0, 1000, 19000, 19000, 0]);
    expect(nov.some((r) => r[0] === 'adjustment')).toBe(false);
  });

  it('a reopened order not yet delivered again stays in the month of its first delivery', async () => {
    const n = await deliveredOrder('2026-10-30');
    at('2026-11-02 09:00');
    await reopenOrder(ctx, n, { reason: '异响' });
    expect(pick(await revenueReport(ctx, OCT))[0]).toEqual(['total', 'all', 1, 12000, 8000, 0, 0, 20000, 20000, 0]);
    expect(pick(await revenueReport(ctx, NOV))[0]).toEqual(['total', 'all', 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('a forfeited deposit is shop income of the month it is forfeited', async () => {
    at('2026-11-01 09:00');
    const b = (await addBooking(ctx, { plate: '京A12345', at: '2026-11-03 09:00', partsValue: '600', deposit: '300' })).booking.id;
    await markNoShows(ctx, parseLocalDateTime('now', '2026-11-03 10:00', ctx.tz));
    at('2026-11-04 09:00');
    await forfeitDeposit(ctx, String(b), { by: '孙经理', reason: '已订件' });
    expect(pick(await revenueReport(ctx, NOV)).at(-1)).toEqual(['adjustment', 'forfeit', 0, 0, 0, 30000, 0, 30000, 30000, 0]);
  });
});

describe('credits', () => {
  it('lists unrefunded deposits of cancelled and no-show bookings and overpaid orders, oldest first, until refunded', async () => {
    at('2026-11-01 09:00');
    const cancelled = (await addBooking(ctx, { plate: '京A12345', at: '2026-11-05 09:00', partsValue: '600', deposit: '300' })).booking.id;
    const noShow = (await addBooking(ctx, { plate: '京B12345', at: '2026-11-03 09:00', partsValue: '600', deposit: '400' })).booking.id;
    at('2026-11-02 10:00');
    await cancelBooking(ctx, cancelled, { reason: '改期' });
    await markNoShows(ctx, parseLocalDateTime('now', '2026-11-03 10:00', ctx.tz));
    const n = await deliveredOrder('2026-11-04');
    at('2026-11-05 09:00');
    await reopenOrder(ctx, n, { reason: '多收' });
    await editOrderLine(ctx, n, '2', { price: '60' });
    await approveOrder(ctx, n, {});
    await qualityCheck(ctx, n, { pass: true });
    await deliverOrder(ctx, n, {});
    await refundDeposit(ctx, String(noShow), { amount: '100', method: 'cash', reason: '部分退' });
    const rows = await rowsOf('credits', '2026-11-09');
    expect(rows.map((r) => [r.reference, r.since, r.days_outstanding, r.plate, r.amount])).toEqual([
      [String(cancelled), '2026-11-02', 7, '京A12345', 30000],
      [String(noShow), '2026-11-03', 6, '京B12345', 30000],
      [n, '2026-11-05', 4, '京A12345', 2000],
    ]);
    await refundOrder(ctx, n, { amount: '20', method: 'cash', reason: '多收' });
    await refundDeposit(ctx, String(cancelled), { amount: '300', method: 'cash', reason: '退' });
    expect((await rowsOf('credits', '2026-11-09')).map((r) => r.reference)).toEqual([String(noShow)]);
    // a replay of an earlier day still shows what was owed then
    expect((await rowsOf('credits', '2026-11-02')).map((r) => [r.reference, r.amount])).toEqual([[String(cancelled), 30000]]);
  });
});

describe('overdue', () => {
  it('orders past their promised time and complaints past their reply-by, measured at the scheduled 10:00 of D', async () => {
    at('2026-11-23 08:00');
    const late = await openOrder(ctx, { plate: '京A12345', mileage: '45000', promised: '2026-11-23 09:30', advisor: '孙经理' });
    await openOrder(ctx, { plate: '京B12345', mileage: '45000', promised: '2026-11-23 12:00' });
    at('2026-11-18 09:00'); // Wednesday: to be answered by Thursday 18:00
    const k = await addComplaint(ctx, { customer: '1', description: '电话没人接' });
    at('2026-11-23 15:00');
    const rows = await rowsOf('overdue', '2026-11-23');
    expect(rows.map((r) => [r.kind, r.reference, r.plate, r.advisor, r.overdue_hours, r.stage])).toEqual([
      ['complaint', String(k.id), null, null, 88, 'complaint open'],
      ['order', late.order.number, '京A12345', '孙经理', 0.5, 'open'],
    ]);
    // a re-run later the same day (or after the car is ready) gives the same list
    await addLine(ctx, late.order.number, 'fee', { description: '检测', price: '10' });
    await approveOrder(ctx, late.order.number, {});
    await startWork(ctx, late.order.number, {});
    await qualityCheck(ctx, late.order.number, { pass: true });
    expect(await rowsOf('overdue', '2026-11-23')).toEqual(rows);
  });
});
