/** Booking use-cases on a real temporary database file. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import {
  addBooking, addBookingWithNewRecords, bookingSlots, cancelBooking, confirmBooking, listBookings, markNoShows, moveBooking, showBooking,
} from '../../src/app/bookings.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle, deactivateVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { setConfig } from '../../src/app/config.js';
import { formatLocal, parseLocalDateTime } from '../../src/domain/time.js';
import type { Ctx } from '../../src/app/context.js';
import { exitOf } from '../exit.js';

let ctx: Ctx;


async function count(table: string): Promise<number> {
  return (await ctx.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
}

beforeEach(async () => {
  ctx = await testCtx('2026-11-23 10:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addCustomer(ctx, { name: '李四', phone: '13800000002' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '10000' });
  await addVehicle(ctx, { customer: '2', plate: '京B12345', mileage: '20000' });
  await addVehicle(ctx, { customer: '2', plate: '京C12345', mileage: '30000' });
  await addStaff(ctx, { name: '王芳', role: 'advisor' });
  await addStaff(ctx, { name: '赵六', role: 'technician' });
});

afterEach(async () => {
  await ctx.db.close().catch(() => {});
});

describe('booking add', () => {
  it('books the vehicle for its owner, with the defaults, audited', async () => {
    const r = await addBooking(ctx, { plate: '京b12345', at: '2026-11-24 09:00', advisor: '王芳', service: '常规保养', estimate: '480', partsValue: '1000', deposit: '500' });
    const b = r.booking;
    expect(b).toMatchObject({ plate: '京B12345', customer_id: 2, customer_name: '李四', minutes: 60, status: 'booked', source: 'phone', advisor: '王芳', estimate_cents: 48000, parts_value_cents: 100000, deposit_cents: 50000 });
    expect(b.scheduled_at).toBe('2026-11-24T01:00:00.000Z');
    expect(b.ends_at).toBe('2026-11-24T02:00:00.000Z');
    const a = await ctx.db.get<{ action: string; actor: string }>(`SELECT action, actor FROM audit_log WHERE entity = 'booking' AND entity_id = ?`, [String(b.id)]);
    expect(a).toEqual({ action: 'add', actor: 'test' });
  });

  it('refuses a full slot (exit 4) naming the nearest free starts, writing nothing; --force books it, audited', async () => {
    await setConfig(ctx, 'shop.bays', '1');
    await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' });
    const before = [await count('bookings'), await count('audit_log')];
    await expect(addBooking(ctx, { plate: '京B12345', at: '2026-11-24 09:30' })).rejects.toThrow(/full.*nearest free start times: 2026-11-24 10:00, 2026-11-24 10:30, 2026-11-24 11:00/);
    expect([await count('bookings'), await count('audit_log')]).toEqual(before);
    // back to back is fine
    expect((await addBooking(ctx, { plate: '京B12345', at: '2026-11-24 10:00' })).forced).toEqual([]);
    const forced = await addBooking(ctx, { plate: '京C12345', at: '2026-11-24 09:30', force: true });
    expect(forced.forced[0]).toMatch(/over capacity/);
    const details = await ctx.db.get<{ details: string }>(`SELECT details FROM audit_log WHERE entity = 'booking' AND entity_id = ?`, [String(forced.booking.id)]);
    expect(JSON.parse(details!.details).forced[0]).toMatch(/over capacity/);
  });

  it('counts only active bookings: a cancelled one frees its bay', async () => {
    await setConfig(ctx, 'shop.bays', '1');
    const first = await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' });
    expect(await exitOf(addBooking(ctx, { plate: '京B12345', at: '2026-11-24 09:00' }))).toBe(4);
    await cancelBooking(ctx, first.booking.id, { reason: '客户改期' });
    expect((await addBooking(ctx, { plate: '京B12345', at: '2026-11-24 09:00' })).booking.status).toBe('booked');
    expect((await showBooking(ctx, first.booking.id)).cancel_reason).toBe('客户改期');
  });

  it.each([
    ['past', { at: '2026-11-23 09:59' }, 4],
    ['past even forced', { at: '2026-11-23 09:59', force: true }, 4],
    ['before opening', { at: '2026-11-24 08:00' }, 4],
    ['at closing', { at: '2026-11-24 18:00' }, 4],
    ['forced outside hours', { at: '2026-11-24 18:00', force: true }, 0],
    ['unknown plate', { plate: '京Z99999', at: '2026-11-24 09:00' }, 3],
    ['advisor who is not an advisor', { at: '2026-11-24 09:00', advisor: '赵六' }, 4],
    ['unknown advisor', { at: '2026-11-24 09:00', advisor: '无名' }, 3],
    ['deposit below the minimum', { at: '2026-11-24 09:00', partsValue: '1000', deposit: '499.99' }, 4],
    ['parts value without deposit', { at: '2026-11-24 09:00', partsValue: '1000' }, 4],
    ['bad time', { at: '2026-11-31 09:00' }, 2],
    ['bad minutes', { at: '2026-11-24 09:00', minutes: '3' }, 2],
    ['bad source', { at: '2026-11-24 09:00', source: 'fax' }, 2],
    ['missing --at', { at: undefined }, 2],
  ])('%s → exit %i', async (_name, extra, code) => {
    const before = await count('bookings');
    expect(await exitOf(addBooking(ctx, { plate: '京A12345', ...extra }))).toBe(code);
    expect(await count('bookings')).toBe(before + (code === 0 ? 1 : 0));
  });

  it('refuses a deactivated vehicle and a second overlapping booking of the same vehicle', async () => {
    await deactivateVehicle(ctx, '京C12345');
    await expect(addBooking(ctx, { plate: '京C12345', at: '2026-11-24 09:00' })).rejects.toThrow(/deactivated/);
    await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' });
    expect(await exitOf(addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:30' }))).toBe(4);
  });

  it('registers a new customer and vehicle with the booking, and rolls all of it back when the booking is refused', async () => {
    await setConfig(ctx, 'shop.bays', '1');
    await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' });
    const before = [await count('customers'), await count('vehicles'), await count('bookings'), await count('audit_log')];
    const refused = addBookingWithNewRecords(ctx, { create: { name: '王五', phone: '13900000003' } }, { plate: '沪A88888' }, { at: '2026-11-24 09:00' });
    expect(await exitOf(refused)).toBe(4);
    expect([await count('customers'), await count('vehicles'), await count('bookings'), await count('audit_log')]).toEqual(before);
    const ok = await addBookingWithNewRecords(ctx, { create: { name: '王五', phone: '13900000003' } }, { plate: '沪A88888', model: '朗逸' }, { at: '2026-11-24 10:00' });
    expect(ok.booking).toMatchObject({ plate: '沪A88888', customer_name: '王五', model: '朗逸' });
  });
});

describe('booking move, confirm, cancel', () => {
  it('moves within its own slot (it does not count against itself) and keeps the rules', async () => {
    await setConfig(ctx, 'shop.bays', '1');
    const b = (await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' })).booking;
    const moved = await moveBooking(ctx, b.id, { at: '2026-11-24 09:30' });
    expect(formatLocal(moved.booking.scheduled_at, ctx.tz)).toBe('2026-11-24 09:30');
    await addBooking(ctx, { plate: '京B12345', at: '2026-11-24 11:00' });
    expect(await exitOf(moveBooking(ctx, b.id, { at: '2026-11-24 10:30' }))).toBe(4);
    expect(await exitOf(moveBooking(ctx, b.id, { at: '2026-11-23 08:00', force: true }))).toBe(4);
    expect((await moveBooking(ctx, b.id, { at: '2026-11-24 10:30', force: true })).forced).toHaveLength(1);
    expect(await exitOf(moveBooking(ctx, 999, { at: '2026-11-24 10:30' }))).toBe(3);
  });

  it('follows the status machine and names the current status when refusing', async () => {
    const b = (await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' })).booking;
    expect(await exitOf(confirmBooking(ctx, b.id, { at: '2026-11-23 10:01' }))).toBe(2);
    expect((await confirmBooking(ctx, b.id, { at: '2026-11-23 09:45' })).status).toBe('confirmed');
    const confirmed = await ctx.db.get<{ details: string }>(`SELECT details FROM audit_log WHERE action = 'confirm'`);
    expect(JSON.parse(confirmed!.details).at).toBe('2026-11-23T01:45:00.000Z');
    await expect(confirmBooking(ctx, b.id)).rejects.toThrow(/is confirmed/);
    expect((await cancelBooking(ctx, String(b.id))).status).toBe('cancelled');
    await expect(cancelBooking(ctx, b.id)).rejects.toThrow(/is cancelled/);
    expect(await exitOf(moveBooking(ctx, b.id, { at: '2026-11-25 09:00' }))).toBe(4);
    expect(await exitOf(confirmBooking(ctx, 'abc'))).toBe(2);
    const actions = await ctx.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'booking' ORDER BY id`);
    expect(actions.map((a) => a.action)).toEqual(['add', 'confirm', 'cancel']);
  });
});

describe('no-shows', () => {
  it('marks booked/confirmed bookings exactly at start + booking.no_show_minutes, audited, once', async () => {
    const a = (await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' })).booking;
    const b = (await addBooking(ctx, { plate: '京B12345', at: '2026-11-24 09:00' })).booking;
    const c = (await addBooking(ctx, { plate: '京C12345', at: '2026-11-24 09:01' })).booking;
    await confirmBooking(ctx, b.id);
    const later = (t: string) => parseLocalDateTime('at', t, ctx.tz);
    expect(await markNoShows(ctx, later('2026-11-24 09:29'))).toEqual([]);
    expect(await markNoShows(ctx, later('2026-11-24 09:30'))).toEqual([a.id, b.id]);
    expect((await showBooking(ctx, a.id)).status).toBe('no_show');
    expect((await showBooking(ctx, c.id)).status).toBe('booked');
    expect(await markNoShows(ctx, later('2026-11-24 09:30'))).toEqual([]);
    expect(await markNoShows(ctx, later('2026-11-24 09:31'))).toEqual([c.id]);
    const audited = await ctx.db.all<{ entity_id: string }>(`SELECT entity_id FROM audit_log WHERE action = 'no_show' ORDER BY id`);
    expect(audited.map((r) => Number(r.entity_id))).toEqual([a.id, b.id, c.id]);
  });

  it('follows the setting', async () => {
    await setConfig(ctx, 'booking.no_show_minutes', '60');
    const a = (await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' })).booking;
    expect(await markNoShows(ctx, parseLocalDateTime('at', '2026-11-24 09:59', ctx.tz))).toEqual([]);
    expect(await markNoShows(ctx, parseLocalDateTime('at', '2026-11-24 10:00', ctx.tz))).toEqual([a.id]);
  });
});

describe('reads', () => {
  it('lists a day, by status, and from today on; slots show free capacity by half hour', async () => {
    await setConfig(ctx, 'shop.bays', '2');
    await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' });
    await addBooking(ctx, { plate: '京B12345', at: '2026-11-24 09:30', minutes: '30' });
    const c = (await addBooking(ctx, { plate: '京C12345', at: '2026-11-25 09:00' })).booking;
    await cancelBooking(ctx, c.id);
    expect((await listBookings(ctx, { date: '2026-11-24' })).map((b) => b.plate)).toEqual(['京A12345', '京B12345']);
    expect((await listBookings(ctx, { status: 'cancelled' })).map((b) => b.id)).toEqual([c.id]);
    expect(await listBookings(ctx, {})).toHaveLength(3);
    expect(await exitOf(listBookings(ctx, { status: 'gone' }))).toBe(2);
    const s = await bookingSlots(ctx, '2026-11-24');
    expect(s.slots.slice(0, 4).map((x) => `${x.time}:${x.free}`)).toEqual(['08:30:2', '09:00:1', '09:30:0', '10:00:2']);
  });
});
