/**
 * The hand-built shop of the job golden tests (run date D = 2026-11-23, a Monday, Asia/Shanghai =
 * UTC+8). Inserted with plain SQL so the jobs are tested against data no pitstop code produced.
 * The expected CSVs in fixtures/golden/ were worked out by hand from this data; every row below says
 * which list it should (not) appear on and why.
 */
import type { Ctx } from '../../src/app/context.js';

type V = string | number | null;

async function insert(ctx: Ctx, table: string, row: Record<string, V>): Promise<void> {
  const keys = Object.keys(row);
  await ctx.db.run(`INSERT INTO ${table} (${keys.join(',')}) VALUES (${keys.map(() => '?').join(',')})`, Object.values(row));
}

const T0 = '2026-01-01T00:00:00.000Z';

export async function seedJobsFixture(ctx: Ctx): Promise<void> {
  await ctx.db.transaction(async () => {
    for (const [key, value] of [['shop.name', '顺达汽修'], ['shop.phone', '021-5555 0000']]) {
      await insert(ctx, 'settings', { key, value });
    }
    const staff: Array<[number, string, string, number]> = [
      [1, '王顾问', 'advisor', 1],
      [2, '李专员', 'agent', 1],
      [3, '赵专员', 'agent,advisor', 1],
      [4, '钱专员', 'agent', 0], // inactive: never assigned
      [5, '孙经理', 'manager', 1],
    ];
    for (const [id, name, role, active] of staff) await insert(ctx, 'staff', { id, name, role, active });

    const customers: Array<[number, string, string, number]> = [
      [1, '张三', '13800000001', 0],
      [2, '李四', '13800000002', 1], // do-not-contact
      [3, '王五', '13800000003', 0],
      [4, '=HYPERLINK("x")', '13800000004', 0], // formula-looking name
      [5, '赵六', '13800000005', 0],
      [6, '周七', '13800000006', 0],
    ];
    for (const [id, name, phone, dnc] of customers) {
      await insert(ctx, 'customers', { id, name, phone, do_not_contact: dnc, created_at: T0 });
    }
    const vehicles: Array<[number, number, string, string | null, number | null, number | null, number]> = [
      // id, customer, plate, model, initial_km, last_service_km, active
      [1, 1, '沪A10001', 'Camry', 1000, null, 1],
      [2, 2, '沪A10002', '朗逸', null, null, 1],
      [3, 3, '沪A10003', 'Accord', null, null, 0], // deactivated
      [4, 4, '沪A10004', null, null, 7000, 1],
      [5, 5, '沪A10005', '宝来', null, null, 1],
      [6, 3, '沪A10006', 'CR-V', null, null, 1],
      [7, 6, '沪A10007', 'Model 3', null, null, 1],
      [8, 1, '沪A10008', 'Golf', null, null, 1],
      [9, 5, '沪A10009', 'Polo', null, null, 1],
      [10, 5, '沪A10010', null, 5000, 6000, 1],
    ];
    for (const [id, customer_id, plate, model, initial_km, last_service_km, active] of vehicles) {
      await insert(ctx, 'vehicles', { id, customer_id, plate, model, initial_km, last_service_km, active, created_at: T0, added_on: '2026-01-01' });
    }

    // Orders. Shanghai = UTC+8: 2026-11-15T16:00Z is 11-16 00:00 local.
    type O = {
      id: number; number: string; vehicle: number; customer: number; status: string; opened: string; km: number;
      delivered?: string; category?: string; advisor?: number; total?: number; payments?: Array<[number, string]>;
      repeatOf?: number; qc?: number; window?: string;
    };
    const orders: O[] = [
      { id: 1, number: 'RO-20261020-0001', vehicle: 1, customer: 1, status: 'delivered', opened: '2026-10-20T01:00:00.000Z', km: 30000, delivered: '2026-10-25T02:00:00.000Z', advisor: 1, total: 80000, payments: [[80000, '2026-10-25T02:00:00.000Z']] },
      { id: 2, number: 'RO-20261110-0001', vehicle: 1, customer: 1, status: 'cancelled', opened: '2026-11-10T01:00:00.000Z', km: 30500 },
      // unpaid 200.00 since 10-24 23:59 local; one minute outside the repeat window of a D+1 booking
      { id: 3, number: 'RO-20261024-0001', vehicle: 5, customer: 5, status: 'delivered', opened: '2026-10-24T00:00:00.000Z', km: 12000, delivered: '2026-10-24T15:59:00.000Z', total: 50000, payments: [[30000, '2026-10-24T15:59:00.000Z']] },
      // DNC customer, delivered on D itself, unpaid
      { id: 4, number: 'RO-20261123-0001', vehicle: 2, customer: 2, status: 'delivered', opened: '2026-11-23T00:00:00.000Z', km: 8000, delivered: '2026-11-23T01:00:00.000Z', total: 20000 },
      // callbacks: first day of the window (11-16 00:00 local), not a first visit (order 3 earlier)
      { id: 5, number: 'RO-20261116-0001', vehicle: 9, customer: 5, status: 'delivered', opened: '2026-11-15T01:00:00.000Z', km: 13000, delivered: '2026-11-15T16:00:00.000Z', category: 'maintenance', advisor: 1, total: 45600, payments: [[45600, '2026-11-15T16:00:00.000Z']] },
      // one minute before the window
      { id: 6, number: 'RO-20261115-0001', vehicle: 9, customer: 5, status: 'delivered', opened: '2026-11-14T01:00:00.000Z', km: 12900, delivered: '2026-11-15T15:59:00.000Z', total: 1000, payments: [[1000, '2026-11-15T15:59:00.000Z']] },
      // last minute of the window (11-20 23:59 local); open complaint; advisor 3 is also an agent; own call window; part paid
      { id: 7, number: 'RO-20261120-0001', vehicle: 6, customer: 3, status: 'delivered', opened: '2026-11-20T01:00:00.000Z', km: 15200, delivered: '2026-11-20T15:59:00.000Z', advisor: 3, total: 30000, payments: [[10000, '2026-11-20T15:59:00.000Z']], window: '09:00-10:00' },
      // one minute after the window (11-21 00:00 local)
      { id: 8, number: 'RO-20261121-0001', vehicle: 8, customer: 1, status: 'delivered', opened: '2026-11-20T01:00:00.000Z', km: 500, delivered: '2026-11-20T16:00:00.000Z', total: 1000, payments: [[1000, '2026-11-20T16:00:00.000Z']] },
      // repeat + rework, a no_answer callback: still listed
      { id: 17, number: 'RO-20261031-0001', vehicle: 4, customer: 4, status: 'delivered', opened: '2026-10-31T01:00:00.000Z', km: 20000, delivered: '2026-11-01T02:00:00.000Z', total: 10000, payments: [[10000, '2026-11-01T02:00:00.000Z']] },
      { id: 9, number: 'RO-20261118-0001', vehicle: 4, customer: 4, status: 'delivered', opened: '2026-11-17T01:00:00.000Z', km: 22000, delivered: '2026-11-18T06:00:00.000Z', advisor: 1, total: 123456, payments: [[123456, '2026-11-18T06:00:00.000Z']], repeatOf: 17, qc: 1 },
      // reached: not listed
      { id: 10, number: 'RO-20261117-0001', vehicle: 8, customer: 1, status: 'delivered', opened: '2026-11-16T01:00:00.000Z', km: 400, delivered: '2026-11-17T02:00:00.000Z', total: 1000, payments: [[1000, '2026-11-17T02:00:00.000Z']] },
      // do-not-contact customer
      { id: 11, number: 'RO-20261117-0002', vehicle: 2, customer: 2, status: 'delivered', opened: '2026-11-16T01:00:00.000Z', km: 7500, delivered: '2026-11-17T03:00:00.000Z', total: 1000, payments: [[1000, '2026-11-17T03:00:00.000Z']] },
      // deactivated vehicle, unpaid
      { id: 12, number: 'RO-20261119-0001', vehicle: 3, customer: 3, status: 'delivered', opened: '2026-11-18T01:00:00.000Z', km: 9000, delivered: '2026-11-19T02:00:00.000Z', total: 40000 },
      // first delivered order of customer 6, no advisor, nothing to pay
      { id: 13, number: 'RO-20261119-0002', vehicle: 7, customer: 6, status: 'delivered', opened: '2026-11-19T01:00:00.000Z', km: 3000, delivered: '2026-11-19T07:30:00.000Z', category: 'inspection', total: 0 },
      // refused: not listed
      { id: 14, number: 'RO-20261116-0002', vehicle: 9, customer: 5, status: 'delivered', opened: '2026-11-16T01:00:00.000Z', km: 13100, delivered: '2026-11-16T05:00:00.000Z', total: 1000, payments: [[1000, '2026-11-16T05:00:00.000Z']] },
      // not delivered: never arrears
      { id: 18, number: 'RO-20261122-0001', vehicle: 8, customer: 1, status: 'in_progress', opened: '2026-11-22T01:00:00.000Z', km: 600, total: 9999 },
      // delivered 11-24 00:00 local, after D: not arrears on D
      { id: 19, number: 'RO-20261123-0002', vehicle: 7, customer: 6, status: 'delivered', opened: '2026-11-23T01:00:00.000Z', km: 3500, delivered: '2026-11-23T16:00:00.000Z', total: 5000 },
      // paid in full on D at 09:00 local: arrears on D − 1 only
      { id: 20, number: 'RO-20261109-0001', vehicle: 6, customer: 3, status: 'delivered', opened: '2026-11-09T01:00:00.000Z', km: 14000, delivered: '2026-11-10T02:00:00.000Z', total: 10000, payments: [[4000, '2026-11-10T02:00:00.000Z'], [6000, '2026-11-23T01:00:00.000Z']] },
    ];
    for (const o of orders) {
      const paid = (o.payments ?? []).reduce((s, [a]) => s + a, 0);
      await insert(ctx, 'orders', {
        id: o.id, number: o.number, vehicle_id: o.vehicle, customer_id: o.customer, category: o.category ?? 'repair',
        status: o.status, opened_at: o.opened, mileage_in: o.km, advisor_id: o.advisor ?? null, call_window: o.window ?? null,
        repeat_of_order_id: o.repeatOf ?? null, qc_failures: o.qc ?? 0, labor_cents: o.total ?? 0, total_cents: o.total ?? 0,
        paid_cents: paid, delivered_at: o.delivered ?? null, cancelled_at: o.status === 'cancelled' ? o.opened : null,
      });
      for (const [amount, at] of o.payments ?? []) {
        await insert(ctx, 'payments', { order_id: o.id, amount_cents: amount, method: 'cash', paid_at: at });
      }
    }

    // Lines and findings of vehicle 1 (order 1) and vehicle 4 (order 9).
    const lines: Array<[number, number, number, string, string]> = [
      // id, order, line_no, description, status
      [1, 1, 1, '机油保养', 'approved'],
      [2, 1, 2, '更换刹车片', 'declined'],
      [3, 1, 3, '空调清洗', 'declined'],
      [4, 2, 1, '=cmd', 'declined'], // on a cancelled order: not listed
      [5, 9, 1, '-更换减震器', 'declined'], // declined without a finding row: still listed
    ];
    for (const [id, order_id, line_no, description, status] of lines) {
      await insert(ctx, 'order_lines', { id, order_id, line_no, kind: 'labor', description, status, created_at: T0 });
    }
    const findings: Array<[number, number, number | null, string, string]> = [
      // vehicle 1 / order 1: id, line, description, status
      [1, 1, null, '左前轮胎磨损', 'open'],
      [2, 1, null, '雨刮老化', 'resolved'],
      [3, 1, 2, '更换刹车片', 'open'], // the declined line's finding: under declined_items, not twice
      [4, 1, 3, '空调清洗', 'resolved'], // declined, fixed since
      [5, 1, null, '底盘异响', 'open'],
    ];
    for (const [id, order_id, line_id, description, status] of findings) {
      await insert(ctx, 'findings', { id, vehicle_id: 1, order_id, line_id, description, status, created_at: T0 });
    }

    const callbacks: Array<[number, string, string]> = [
      [9, '2026-11-21T02:00:00.000Z', 'no_answer'],
      [10, '2026-11-20T02:00:00.000Z', 'reached'],
      [14, '2026-11-19T02:00:00.000Z', 'refused'],
      [5, '2026-11-20T02:00:00.000Z', 'later'],
    ];
    for (const [order_id, attempted_at, result] of callbacks) await insert(ctx, 'callbacks', { order_id, agent_id: 2, attempted_at, result });

    await insert(ctx, 'complaints', { customer_id: 3, order_id: 7, description: '等待时间长', status: 'open', opened_at: '2026-11-21T02:00:00.000Z', reply_by: '2026-11-22T02:00:00.000Z' });
    await insert(ctx, 'complaints', { customer_id: 5, order_id: 5, description: '已解决', status: 'resolved', opened_at: '2026-11-17T02:00:00.000Z', reply_by: '2026-11-18T02:00:00.000Z' });

    // Bookings; D + 1 = 2026-11-24 is [2026-11-23T16:00Z, 2026-11-24T16:00Z).
    type B = { id: number; vehicle: number; customer: number; at: string; status: string; service?: string; complaint?: string; advisor?: number; parts?: number; deposit?: number };
    const bookings: B[] = [
      { id: 1, vehicle: 1, customer: 1, at: '2026-11-24T01:00:00.000Z', status: 'booked', service: '保养', complaint: '刹车异响\n请检查', advisor: 1 },
      { id: 2, vehicle: 5, customer: 5, at: '2026-11-24T01:00:00.000Z', status: 'confirmed', parts: 100000, deposit: 50000 },
      { id: 3, vehicle: 2, customer: 2, at: '2026-11-24T02:00:00.000Z', status: 'booked', service: '保养', advisor: 1 }, // DNC: preparation only
      { id: 4, vehicle: 3, customer: 3, at: '2026-11-24T03:00:00.000Z', status: 'booked', service: '保养' }, // deactivated vehicle
      { id: 5, vehicle: 6, customer: 3, at: '2026-11-24T00:30:00.000Z', status: 'booked', service: 'A,B "x"', advisor: 3 },
      { id: 6, vehicle: 4, customer: 4, at: '2026-11-24T15:30:00.000Z', status: 'confirmed', service: '-刹车异响' }, // 23:30 local
      { id: 7, vehicle: 1, customer: 1, at: '2026-11-24T16:00:00.000Z', status: 'booked' }, // 11-25 00:00 local
      { id: 8, vehicle: 5, customer: 5, at: '2026-11-23T16:00:00.000Z', status: 'cancelled' },
      { id: 9, vehicle: 5, customer: 5, at: '2026-11-23T15:59:00.000Z', status: 'booked' }, // 11-23 23:59 local
      { id: 10, vehicle: 10, customer: 5, at: '2026-11-23T16:00:00.000Z', status: 'booked', service: '洗车', advisor: 1 }, // 11-24 00:00 local
    ];
    for (const b of bookings) {
      await insert(ctx, 'bookings', {
        id: b.id, vehicle_id: b.vehicle, customer_id: b.customer, scheduled_at: b.at,
        ends_at: new Date(Date.parse(b.at) + 3_600_000).toISOString(), minutes: 60, service: b.service ?? null,
        complaint: b.complaint ?? null, advisor_id: b.advisor ?? null, parts_value_cents: b.parts ?? 0,
        deposit_cents: b.deposit ?? 0, status: b.status, created_at: T0,
      });
    }
  });
}
