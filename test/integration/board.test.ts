/** Capacity counts cars in the shop, and the board (SPEC §10, §16), on a real temporary database. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { setConfig } from '../../src/app/config.js';
import { addBooking, bookingSlots } from '../../src/app/bookings.js';
import { addLine, approveOrder, openOrder, qualityCheck, startWork } from '../../src/app/orders.js';
import { showBoard } from '../../src/app/board.js';
import { parseLocalDateTime } from '../../src/domain/time.js';
import { PitstopError } from '../../src/errors.js';

let ctx: Ctx;
const at = (local: string) => { ctx.now = parseLocalDateTime('now', local, ctx.tz); };

beforeEach(async () => {
  ctx = await testCtx('2026-06-01 09:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  for (const p of ['京A11111', '京A22222', '京A33333']) await addVehicle(ctx, { customer: '1', plate: p, mileage: '1000' });
  await addStaff(ctx, { name: '李强', role: 'technician' });
  await setConfig(ctx, 'shop.bays', '2');
  at('2026-11-23 08:00');
});
afterEach(async () => { await ctx.db.close().catch(() => {}); });

describe('capacity counts cars in the shop', () => {
  it('walk-ins take bays until their promised time; a ready car frees its bay; an arrived booking counts once', async () => {
    await addBooking(ctx, { plate: '京A33333', at: '2026-11-23 09:00', minutes: '60' });
    const s0 = await bookingSlots(ctx, '2026-11-23');
    expect(s0.slots.find((x) => x.time === '09:00')!.free).toBe(1);
    at('2026-11-23 08:30');
    const a = await openOrder(ctx, { plate: '京A11111', mileage: '1100', promised: '2026-11-23 12:00' });
    const s1 = await bookingSlots(ctx, '2026-11-23');
    expect(s1.slots.find((x) => x.time === '09:00')!.free).toBe(0);
    expect(s1.slots.find((x) => x.time === '11:30')!.free).toBe(1);
    expect(s1.slots.find((x) => x.time === '12:00')!.free).toBe(2);
    // the booked car arrives: its booking and its order count once
    at('2026-11-23 08:55');
    await openOrder(ctx, { plate: '京A33333', mileage: '1100', promised: '2026-11-23 10:00' });
    const s2 = await bookingSlots(ctx, '2026-11-23');
    expect(s2.slots.find((x) => x.time === '09:00')!.free).toBe(0);
    expect(s2.slots.find((x) => x.time === '10:00')!.free).toBe(1);
    const full = await addBooking(ctx, { plate: '京A22222', at: '2026-11-23 09:30' }).catch((e: PitstopError) => e);
    expect((full as PitstopError).exitCode).toBe(4);
    // the first car is ready: it waits in the car park, its bay is free
    await addLine(ctx, a.order.number, 'fee', { description: '检测', price: '10' });
    await approveOrder(ctx, a.order.number, {});
    await startWork(ctx, a.order.number, {});
    await qualityCheck(ctx, a.order.number, { pass: true });
    const s3 = await bookingSlots(ctx, '2026-11-23');
    expect(s3.slots.find((x) => x.time === '09:00')!.free).toBe(1);
  });
});

describe('board', () => {
  it('lists open orders by promised time, overdue ones, and those past 75 % with no progress', async () => {
    const a = await openOrder(ctx, { plate: '京A11111', mileage: '1100', promised: '2026-11-23 12:00' });
    const b = await openOrder(ctx, { plate: '京A22222', mileage: '1100', promised: '2026-11-23 10:00' });
    await openOrder(ctx, { plate: '京A33333', mileage: '1100' });
    await addLine(ctx, a.order.number, 'fee', { description: '检测', price: '10' });
    await approveOrder(ctx, a.order.number, {});
    await startWork(ctx, a.order.number, { tech: '李强' });
    at('2026-11-23 11:00');
    const board = await showBoard(ctx);
    expect(board.orders.map((o) => [o.number, o.status, o.overdue, o.minutes_left, o.check])).toEqual([
      [b.order.number, 'open', true, -60, true],
      [a.order.number, 'in_progress', false, 60, true], // 3 of 4 hours used
      ['RO-20261123-0003', 'open', false, null, false],
    ]);
    expect(board.orders[1]!.technician).toBe('李强');
    expect(board.check.map((o) => o.number)).toEqual([b.order.number, a.order.number]);
  });
});
