/** Deposits and late or unplanned arrivals on a real temporary database (SPEC §10). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { addBooking, cancelBooking, markNoShows, showBooking } from '../../src/app/bookings.js';
import { openOrder } from '../../src/app/orders.js';
import { forfeitDeposit, refundDeposit } from '../../src/app/deposits.js';
import { parseLocalDateTime } from '../../src/domain/time.js';
import { PitstopError } from '../../src/errors.js';

let ctx: Ctx;
const at = (local: string) => { ctx.now = parseLocalDateTime('now', local, ctx.tz); };
async function exitOf(p: Promise<unknown>) {
  try { await p; } catch (err) { if (err instanceof PitstopError) return { code: err.exitCode, message: err.message }; throw err; }
  return { code: 0, message: '' };
}
const TABLES = ['orders', 'payments', 'bookings', 'deposit_moves', 'audit_log'];
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

beforeEach(async () => {
  ctx = await testCtx('2026-06-01 09:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000' });
  await addStaff(ctx, { name: '孙经理', role: 'manager' });
  await addStaff(ctx, { name: '王顾问', role: 'advisor' });
  at('2026-11-20 10:00');
});
afterEach(async () => { await ctx.db.close().catch(() => {}); });

const book = async (when: string, deposit = '500') =>
  (await addBooking(ctx, { plate: '京A12345', at: when, ...(deposit !== '0' ? { partsValue: '1000', deposit } : {}) })).booking.id;

describe('booking refund / forfeit', () => {
  it('refunds at most what is left of the deposit (exit 4 naming it), audited', async () => {
    const id = await book('2026-11-23 09:00');
    await cancelBooking(ctx, id, { reason: '改期' });
    await refusedUnchanged(() => refundDeposit(ctx, String(id), { amount: '500.01', method: 'cash', reason: 'x' }), 4, /at most 500\.00/);
    const r = await refundDeposit(ctx, String(id), { amount: '200', method: 'wechat', reason: '退订金' });
    expect(r.left_cents).toBe(30000);
    await refusedUnchanged(() => refundDeposit(ctx, String(id), { amount: '300.01', method: 'cash', reason: 'x' }), 4, /at most 300\.00/);
    await refundDeposit(ctx, String(id), { amount: '300', method: 'cash', reason: '退订金' });
    expect(await ctx.db.all("SELECT action FROM audit_log WHERE action = 'refund_deposit'")).toHaveLength(2);
    await refusedUnchanged(() => refundDeposit(ctx, '99', { amount: '1', method: 'cash', reason: 'x' }), 3, /booking "?99"? not found/);
  });

  it('a manager forfeits a no-show\'s deposit; not a manager, or a booked booking, is exit 4', async () => {
    const id = await book('2026-11-23 09:00');
    await refusedUnchanged(() => forfeitDeposit(ctx, String(id), { by: '孙经理', reason: '已订件' }), 4, /is booked: only a no-show or cancelled/);
    at('2026-11-23 10:00');
    await markNoShows(ctx, ctx.now);
    await refusedUnchanged(() => forfeitDeposit(ctx, String(id), { by: '王顾问', reason: '已订件' }), 4, /not a manager/);
    const r = await forfeitDeposit(ctx, String(id), { by: '孙经理', reason: '已订件' });
    expect(r.forfeited_cents).toBe(50000);
    await refusedUnchanged(() => refundDeposit(ctx, String(id), { amount: '1', method: 'cash', reason: 'x' }), 4, /at most 0\.00/);
  });

  it('an arrived booking\'s deposit is refunded on its order', async () => {
    const id = await book('2026-11-23 09:00');
    at('2026-11-23 09:05');
    const o = await openOrder(ctx, { bookingId: String(id), mileage: '45000' });
    await refusedUnchanged(() => refundDeposit(ctx, String(id), { amount: '1', method: 'cash', reason: 'x' }), 4, new RegExp(`carried to order ${o.order.number}`));
  });
});

describe('late and unplanned arrivals', () => {
  it('a no-show checks in on its own day and carries what is left of its deposit', async () => {
    const id = await book('2026-11-23 09:00');
    at('2026-11-23 10:00');
    expect(await markNoShows(ctx, ctx.now)).toEqual([id]);
    await refundDeposit(ctx, String(id), { amount: '100', method: 'cash', reason: '部分退' });
    at('2026-11-23 10:40');
    const r = await openOrder(ctx, { bookingId: String(id), mileage: '45000' });
    expect(r.deposit_cents).toBe(40000);
    expect(r.order.paid_cents).toBe(40000);
    expect((await showBooking(ctx, id)).status).toBe('arrived');
  });

  it('a no-show from another day is exit 4, nothing written', async () => {
    const id = await book('2026-11-23 09:00');
    at('2026-11-23 10:00');
    await markNoShows(ctx, ctx.now);
    at('2026-11-24 09:00');
    await refusedUnchanged(() => openOrder(ctx, { bookingId: String(id), mileage: '45000' }), 4, /no_show for 2026-11-23: a late arrival checks in only on the booking's own day/);
  });

  it('a walk-in with a booking today links it (arrived, deposit carried); a booking on another day is a warning and left alone', async () => {
    const today = await book('2026-11-23 14:00');
    const later = await book('2026-11-30 09:00', '0');
    at('2026-11-23 09:10');
    const r = await openOrder(ctx, { plate: '京A12345', mileage: '45000' });
    expect(r.booking_id).toBe(today);
    expect(r.order.booking_id).toBe(today);
    expect(r.deposit_cents).toBe(50000);
    expect((await showBooking(ctx, today)).status).toBe('arrived');
    expect(r.warnings).toEqual([expect.stringMatching(new RegExp(`booking ${later} at 2026-11-30 09:00: left as it is`))]);
    expect((await showBooking(ctx, later)).status).toBe('booked');
  });
});
