/** Undo and merge in the archive, and finding customers (SPEC §10, §16), on a real temporary database. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer, findCustomer, listCustomers, showCustomer } from '../../src/app/customers.js';
import { addVehicle, deactivateVehicle } from '../../src/app/vehicles.js';
import { addStaff, deactivateStaff, findStaff } from '../../src/app/staff.js';
import { addBooking } from '../../src/app/bookings.js';
import { addLine, approveOrder, deliverOrder, findOrders, openOrder, qualityCheck, startWork } from '../../src/app/orders.js';
import { addComplaint, recordCallback } from '../../src/app/followup.js';
import { amendCallback, mergeCustomers, reactivateStaff, reactivateVehicle } from '../../src/app/archive.js';
import { parseLocalDateTime } from '../../src/domain/time.js';
import { PitstopError } from '../../src/errors.js';

let ctx: Ctx;
const at = (local: string) => { ctx.now = parseLocalDateTime('now', local, ctx.tz); };
async function exitOf(p: Promise<unknown>) {
  try { await p; } catch (err) { if (err instanceof PitstopError) return { code: err.exitCode, message: err.message, details: err.details }; throw err; }
  return { code: 0, message: '', details: undefined };
}

beforeEach(async () => {
  ctx = await testCtx('2026-06-01 09:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001', doNotContact: true });
  await addCustomer(ctx, { name: '张三', phone: '13800000002', address: '北京' });
  await addCustomer(ctx, { name: '李四', phone: '13800000003' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000' });
  await addVehicle(ctx, { customer: '2', plate: '京B12345', mileage: '10000' });
  await addStaff(ctx, { name: '刘回访', role: 'agent' });
  at('2026-11-20 09:00');
});
afterEach(async () => { await ctx.db.close().catch(() => {}); });

describe('finding a customer', () => {
  it('id, then phone, then plate, then exact name; several names is exit 4 listing them', async () => {
    expect((await findCustomer(ctx, '3')).name).toBe('李四');
    expect((await findCustomer(ctx, '+86 138-0000-0003')).id).toBe(3);
    expect((await findCustomer(ctx, '京b12345')).id).toBe(2);
    expect((await findCustomer(ctx, '李四')).id).toBe(3);
    const many = await exitOf(findCustomer(ctx, '张三'));
    expect(many.code).toBe(4);
    expect(many.message).toMatch(/2 customers are named "张三": give the id/);
    expect(many.details).toEqual(['1  张三  13800000001', '2  张三  13800000002']);
    expect((await exitOf(findCustomer(ctx, '王五'))).code).toBe(3);
    expect((await exitOf(showCustomer(ctx, '张三'))).code).toBe(4);
    expect((await listCustomers(ctx, '张', 10)).map((c) => c.id)).toEqual([1, 2]);
  });

  it('vehicle list --search matches the owner\'s name, --customer takes a name', async () => {
    const { listVehicles } = await import('../../src/app/vehicles.js');
    expect((await listVehicles(ctx, { text: '张', limit: 10 })).map((v) => v.plate)).toEqual(['京A12345', '京B12345']);
    expect((await listVehicles(ctx, { customerId: (await findCustomer(ctx, '京B12345')).id, limit: 10 })).map((v) => v.plate)).toEqual(['京B12345']);
  });

  it('order list --customer by name or phone', async () => {
    await openOrder(ctx, { plate: '京B12345', mileage: '10100' });
    expect((await findOrders(ctx, { customer: '13800000002' })).map((o) => o.plate)).toEqual(['京B12345']);
    expect(await findOrders(ctx, { customer: '李四' })).toEqual([]);
    expect((await exitOf(findOrders(ctx, { customer: '张三' }))).code).toBe(4);
  });
});

describe('customer merge', () => {
  it('moves vehicles, orders, bookings, callbacks and complaints; stricter consent survives; the old phone finds the survivor', async () => {
    const { order } = await openOrder(ctx, { plate: '京A12345', mileage: '40100' });
    await addLine(ctx, order.number, 'fee', { description: '检测', price: '50' });
    await approveOrder(ctx, order.number, {});
    await startWork(ctx, order.number, {});
    await qualityCheck(ctx, order.number, { pass: true });
    await deliverOrder(ctx, order.number, {});
    at('2026-11-23 10:00');
    await recordCallback(ctx, order.number, { result: 'reached', scores: '5,5,5,5,5' });
    await addComplaint(ctx, { customer: '13800000001', order: order.number, description: '等太久' });
    await addBooking(ctx, { plate: '京A12345', at: '2026-11-30 09:00' });

    expect((await exitOf(mergeCustomers(ctx, '1', { into: '13800000001' }))).code).toBe(2);
    const r = await mergeCustomers(ctx, '13800000001', { into: '2' });
    expect(r.moved).toEqual({ vehicles: 1, orders: 1, bookings: 1, complaints: 1 });
    expect(r.survivor).toMatchObject({ id: 2, do_not_contact: 1, address: '北京' });
    const found = await showCustomer(ctx, '13800000001');
    expect(found.customer.id).toBe(2);
    expect(found.vehicles.map((v) => v.plate)).toEqual(['京A12345', '京B12345']);
    expect(found.visits).toHaveLength(1);
    expect(found.callbacks).toHaveLength(1);
    expect(found.open_complaints).toHaveLength(1);
    expect(await ctx.db.get('SELECT COUNT(*) AS n FROM customers WHERE id = 1')).toEqual({ n: 0 });
    const audit = await ctx.db.get<{ details: string }>("SELECT details FROM audit_log WHERE action = 'merge'");
    expect(JSON.parse(audit!.details).merged).toMatchObject({ id: 1, phone: '13800000001' });
  });

  it('different names need --force (exit 4, nothing written)', async () => {
    const before = await ctx.db.all('SELECT * FROM customers ORDER BY id');
    const r = await exitOf(mergeCustomers(ctx, '3', { into: '2' }));
    expect(r.code).toBe(4);
    expect(r.message).toMatch(/names differ; give --force/);
    expect(await ctx.db.all('SELECT * FROM customers ORDER BY id')).toEqual(before);
    await mergeCustomers(ctx, '3', { into: '2', force: true });
    expect((await findCustomer(ctx, '13800000003')).id).toBe(2);
  });
});

describe('reactivate and amend', () => {
  it('a vehicle and a staff member come back, audited', async () => {
    await deactivateVehicle(ctx, '京A12345');
    expect((await reactivateVehicle(ctx, '京A12345')).active).toBe(1);
    await deactivateStaff(ctx, '刘回访');
    expect((await exitOf(findStaff(ctx, 'agent', '刘回访'))).code).toBe(4);
    await reactivateStaff(ctx, '刘回访');
    expect((await findStaff(ctx, 'agent', '刘回访')).active).toBe(1);
    expect(await ctx.db.all("SELECT entity FROM audit_log WHERE action = 'reactivate' ORDER BY id")).toEqual([{ entity: 'vehicle' }, { entity: 'staff' }]);
    expect((await exitOf(reactivateVehicle(ctx, '京C99999'))).code).toBe(3);
  });

  it('callback amend changes what is given, keeps the form\'s rules, audits before and after', async () => {
    const { order } = await openOrder(ctx, { plate: '京A12345', mileage: '40100' });
    await addLine(ctx, order.number, 'fee', { description: '检测', price: '50' });
    await approveOrder(ctx, order.number, {});
    await startWork(ctx, order.number, {});
    await qualityCheck(ctx, order.number, { pass: true });
    await deliverOrder(ctx, order.number, {});
    at('2026-11-23 10:00');
    const cb = await recordCallback(ctx, order.number, { result: 'no_answer' });
    const r = await amendCallback(ctx, String(cb.callback.id), { result: 'reached', scores: '5,4,5,5,5', agent: '刘回访' });
    expect(r.after).toMatchObject({ result: 'reached', q2: 4 });
    expect(r.before).toMatchObject({ result: 'no_answer', q2: null });
    const bad = await exitOf(amendCallback(ctx, String(cb.callback.id), { scores: '5,1,5,5,5' }));
    expect(bad.code).toBe(2);
    expect((await exitOf(amendCallback(ctx, '999', { comment: 'x' }))).code).toBe(3);
  });
});
