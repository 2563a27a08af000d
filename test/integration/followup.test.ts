/** Callbacks and complaints on a real temporary database file; delivered orders are made with SQL. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCtx } from '../helpers.js';
import { addComplaint, listComplaints, orderCallbacks, recordCallback, resolveComplaint } from '../../src/app/followup.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { formatLocal } from '../../src/domain/time.js';
import type { Ctx } from '../../src/app/context.js';
import { exitOf } from '../exit.js';

let ctx: Ctx;


async function count(table: string): Promise<number> {
  return (await ctx.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;
}

async function order(number: string, vehicleId: number, customerId: number, status: string, deliveredAt: string | null, advisorId: number | null = null) {
  await ctx.db.run(
    `INSERT INTO orders (number, vehicle_id, customer_id, status, opened_at, mileage_in, delivered_at, advisor_id, total_cents)
     VALUES (?, ?, ?, ?, '2026-11-19T01:00:00.000Z', 12000, ?, ?, 58000)`,
    [number, vehicleId, customerId, status, deliveredAt, advisorId],
  );
}

beforeEach(async () => {
  // Friday
  ctx = await testCtx('2026-11-27 10:00');
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addCustomer(ctx, { name: '李四', phone: '13800000002' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345' });
  await addVehicle(ctx, { customer: '2', plate: '京B12345' });
  await addStaff(ctx, { name: '王芳', role: 'advisor,agent' });
  await addStaff(ctx, { name: '刘敏', role: 'agent' });
  await addStaff(ctx, { name: '赵六', role: 'technician' });
  await order('RO-20261119-0001', 1, 1, 'delivered', '2026-11-20T08:00:00.000Z', 1);
  await order('RO-20261119-0002', 2, 2, 'ready', null);
});

afterEach(async () => {
  await ctx.db.close().catch(() => {});
});

describe('callback record', () => {
  it('records the five scores on a delivered order, audited', async () => {
    const r = await recordCallback(ctx, 'ro-20261119-0001', { result: 'reached', scores: '5,5,4,5,5', agent: '刘敏', suggestion: '希望延长营业时间' });
    expect(r.callback).toMatchObject({ order_number: 'RO-20261119-0001', result: 'reached', q1: 5, q2: 5, q3: 4, q4: 5, q5: 5, agent: '刘敏', suggestion: '希望延长营业时间', attempted_at: '2026-11-27T02:00:00.000Z' });
    expect(r.complaint).toBeNull();
    expect(r.warnings).toEqual([]);
    expect(await count('audit_log')).toBeGreaterThan(0);
    const a = await ctx.db.get<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'callback' AND entity_id = ?`, [String(r.callback.id)]);
    expect(a?.action).toBe('record');
  });

  it('opens a complaint with --complaint, linked to the order, answer by the next working day', async () => {
    const r = await recordCallback(ctx, 'RO-20261119-0001', { result: 'reached', scores: '5,5,1,5,5', reason: 'repair_quality', complaint: '异响未修好', agent: '王芳' });
    expect(r.complaint).toMatchObject({ customer_id: 1, order_number: 'RO-20261119-0001', category: 'repair_quality', status: 'open', description: '异响未修好' });
    expect(formatLocal(r.complaint!.reply_by, ctx.tz)).toBe('2026-11-30 18:00');
    // 王芳 received the customer: allowed, with a warning (seeds/004: nobody calls back their own customer)
    expect(r.warnings[0]).toMatch(/advisor/);
    expect(r.warnings[0]).not.toMatch(/seed/i); // the shop's words, not the documents pitstop was built from
  });

  it.each([
    ['an order not delivered', 'RO-20261119-0002', { result: 'reached' }, 4],
    ['an unknown order', 'RO-20261119-0009', { result: 'reached' }, 3],
    ['a malformed number', 'R-1', { result: 'reached' }, 2],
    ['no result', 'RO-20261119-0001', {}, 2],
    ['scores without reached', 'RO-20261119-0001', { result: 'later', scores: '5,5,5,5,5' }, 2],
    ['a low score without a reason', 'RO-20261119-0001', { result: 'reached', scores: '5,2,5,5,5' }, 2],
    ['four scores', 'RO-20261119-0001', { result: 'reached', scores: '5,5,5,5' }, 2],
    ['an agent without the agent role', 'RO-20261119-0001', { result: 'no_answer', agent: '赵六' }, 4],
    ['an unknown agent', 'RO-20261119-0001', { result: 'no_answer', agent: '无名' }, 3],
    ['a time in the future', 'RO-20261119-0001', { result: 'no_answer', at: '2026-11-27 10:01' }, 2],
    ['a time before the delivery', 'RO-20261119-0001', { result: 'no_answer', at: '2026-11-20 15:59' }, 2],
  ])('refuses %s (exit %i) and writes nothing', async (_name, number, input, code) => {
    const before = [await count('callbacks'), await count('complaints'), await count('audit_log')];
    expect(await exitOf(recordCallback(ctx, number, { ...input, complaint: '投诉' }))).toBe(code);
    expect([await count('callbacks'), await count('complaints'), await count('audit_log')]).toEqual(before);
  });

  it('keeps every attempt of an order until one is reached or refused, then refuses another (seeds/004: never repeated)', async () => {
    await recordCallback(ctx, 'RO-20261119-0001', { result: 'no_answer', at: '2026-11-26 10:00' });
    await recordCallback(ctx, 'RO-20261119-0001', { result: 'later', comment: '下午再打', at: '2026-11-26 11:00' });
    await recordCallback(ctx, 'RO-20261119-0001', { result: 'refused' });
    const { callbacks } = await orderCallbacks(ctx, 'RO-20261119-0001');
    expect(callbacks.map((c) => c.result)).toEqual(['no_answer', 'later', 'refused']);
    await expect(recordCallback(ctx, 'RO-20261119-0001', { result: 'reached' })).rejects.toThrow(/already has a completed callback/);
    expect(await exitOf(recordCallback(ctx, 'RO-20261119-0001', { result: 'no_answer' }))).toBe(4);
  });
});

describe('complaints', () => {
  it('adds, lists open ones and resolves once', async () => {
    const c = await addComplaint(ctx, { customer: '13800000002', description: '等待太久', category: 'delivery_time', order: 'RO-20261119-0002' });
    expect(c).toMatchObject({ customer_name: '李四', order_number: 'RO-20261119-0002', category: 'delivery_time', status: 'open' });
    expect(formatLocal(c.reply_by, ctx.tz)).toBe('2026-11-30 18:00');
    const other = await addComplaint(ctx, { customer: '1', description: '价格偏高', at: '2026-11-23 09:00' });
    expect(formatLocal(other.reply_by, ctx.tz)).toBe('2026-11-24 18:00');
    expect((await listComplaints(ctx, { open: true })).map((x) => x.id)).toEqual([other.id, c.id]);
    const resolved = await resolveComplaint(ctx, c.id, { resolution: '已道歉并赠送保养' });
    expect(resolved).toMatchObject({ status: 'resolved', resolution: '已道歉并赠送保养', resolved_at: '2026-11-27T02:00:00.000Z' });
    await expect(resolveComplaint(ctx, c.id, { resolution: 'again' })).rejects.toThrow(/is resolved/);
    expect((await listComplaints(ctx, { open: true })).map((x) => x.id)).toEqual([other.id]);
    expect(await listComplaints(ctx, {})).toHaveLength(2);
  });

  it.each([
    ['an order of another customer', { customer: '1', order: 'RO-20261119-0002', description: 'x' }, 4],
    ['an unknown customer', { customer: '13900000009', description: 'x' }, 3],
    ['an unknown order', { customer: '1', order: 'RO-20261119-0009', description: 'x' }, 3],
    ['no description', { customer: '1' }, 2],
    ['an unknown category', { customer: '1', description: 'x', category: 'weather' }, 2],
  ])('refuses %s (exit %i), nothing written', async (_name, input, code) => {
    const before = [await count('complaints'), await count('audit_log')];
    expect(await exitOf(addComplaint(ctx, input))).toBe(code);
    expect([await count('complaints'), await count('audit_log')]).toEqual(before);
  });

  it('resolve refuses an unknown id, a missing resolution and a time before opening', async () => {
    const c = await addComplaint(ctx, { customer: '1', description: 'x' });
    expect(await exitOf(resolveComplaint(ctx, 99, { resolution: 'y' }))).toBe(3);
    expect(await exitOf(resolveComplaint(ctx, c.id, {}))).toBe(2);
    expect(await exitOf(resolveComplaint(ctx, c.id, { resolution: 'y', at: '2026-11-27 09:00' }))).toBe(2);
  });
});
