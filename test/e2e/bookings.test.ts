/** `pitstop booking …` through the built binary (TZ differs from the shop's to catch zone leaks). */
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDbPath, testCtx } from '../helpers.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle, deactivateVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { setConfig } from '../../src/app/config.js';

let run: ReturnType<typeof cliFor>;

beforeAll(async () => {
  const db = tempDbPath();
  const ctx = await testCtx('2026-11-23 10:00', db);
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '10000' });
  await addVehicle(ctx, { customer: '1', plate: '京B12345', mileage: '20000' });
  await addVehicle(ctx, { customer: '1', plate: '京C12345', mileage: '30000' });
  await addVehicle(ctx, { customer: '1', plate: '京D12345', mileage: '30000' });
  await deactivateVehicle(ctx, '京D12345');
  await addStaff(ctx, { name: '王芳', role: 'advisor' });
  await setConfig(ctx, 'shop.bays', '1');
  await ctx.db.close();
  run = cliFor(db, '2026-11-23 10:00');
});

describe('booking commands', () => {
  it('add prints the id (-q only the id, --json the record); confirm, move, slots, list, show, cancel', () => {
    let r = run(['booking', 'add', '--plate', '京A12345', '--at', '2026-11-24 09:00', '--advisor', '王芳', '--service', '常规保养']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('booked booking 1 京A12345 2026-11-24 09:00 (60 min) booked\n');

    r = run(['booking', 'add', '--plate', '京B12345', '--at', '2026-11-24 10:00', '--minutes', '30', '-q']);
    expect([r.code, r.stdout]).toEqual([0, '2\n']);

    r = run(['booking', 'add', '--plate', '京C12345', '--at', '2026-11-25 14:00', '--parts-value', '1000', '--deposit', '500', '--source', 'online', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 3, plate: '京C12345', scheduled_at: '2026-11-25T14:00:00+08:00', deposit_cents: 50000, parts_value_cents: 100000, source: 'online' });

    r = run(['booking', 'confirm', '1']);
    expect([r.code, r.stdout]).toEqual([0, 'confirmed booking 1 京A12345 2026-11-24 09:00 (60 min) confirmed\n']);

    r = run(['booking', 'move', '2', '--at', '2026-11-24 10:30']);
    expect([r.code, r.stdout]).toEqual([0, 'moved booking 2 京B12345 2026-11-24 10:30 (30 min) booked\n']);

    r = run(['booking', 'slots', '--date', '2026-11-24']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2026-11-24 {2}bays 1 {2}open 08:30–18:00\n/);
    expect(r.stdout).toMatch(/\n09:00 +1 +0\n/);
    expect(r.stdout).toMatch(/\n10:00 +0 +1/);
    const slots = JSON.parse(run(['booking', 'slots', '--date', '2026-11-24', '--json']).stdout);
    expect(slots.slots.filter((s: { free: number }) => s.free === 0).map((s: { time: string }) => s.time)).toEqual(['09:00', '09:30', '10:30']);

    r = run(['booking', 'list', '--date', '2026-11-24']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^id +time +min +plate +customer/);
    expect(r.stdout).toContain('2026-11-24 09:00');
    expect(r.stdout).toContain('confirmed');
    expect(JSON.parse(run(['booking', 'list', '--json']).stdout).map((b: { id: number }) => b.id)).toEqual([1, 2, 3]);

    r = run(['booking', 'show', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/time +2026-11-25 14:00 – 15:00 \(60 min\)/);
    expect(r.stdout).toMatch(/deposit +500\.00/);

    r = run(['booking', 'cancel', '2', '--reason', '客户改期']);
    expect([r.code, r.stdout]).toEqual([0, 'cancelled booking 2 京B12345 2026-11-24 10:30 (30 min) cancelled\n']);
    expect(run(['booking', 'list', '--status', 'cancelled', '--json']).stdout).toContain('客户改期');
  });

  it.each([
    ['a full slot', ['booking', 'add', '--plate', '京B12345', '--at', '2026-11-24 09:30'], 4, /^pitstop: booking slot 2026-11-24 09:30 \(60 min\) is full: 1 of 1 bays booked \(shop\.bays\); nearest free start times: 2026-11-24 10:00, 2026-11-24 10:30, 2026-11-24 11:00\n$/],
    ['the past', ['booking', 'add', '--plate', '京B12345', '--at', '2026-11-23 09:00', '--force'], 4, /in the past/],
    ['outside opening hours', ['booking', 'add', '--plate', '京B12345', '--at', '2026-11-24 18:00'], 4, /outside opening hours.*--force/],
    ['a deposit below the minimum', ['booking', 'add', '--plate', '京B12345', '--at', '2026-11-26 09:00', '--parts-value', '1000', '--deposit', '100'], 4, /deposit 100\.00 is below the minimum 500\.00/],
    ['an unknown plate', ['booking', 'add', '--plate', '京Z99999', '--at', '2026-11-26 09:00'], 3, /vehicle "京Z99999" not found/],
    ['a deactivated vehicle', ['booking', 'add', '--plate', '京D12345', '--at', '2026-11-26 09:00'], 4, /deactivated/],
    ['a date that does not exist', ['booking', 'add', '--plate', '京B12345', '--at', '2026-02-30 09:00'], 2, /invalid at "2026-02-30 09:00"/],
    ['no --at without a terminal', ['booking', 'add', '--plate', '京B12345'], 2, /missing required --at/],
    ['no --plate without a terminal', ['booking', 'add', '--at', '2026-11-26 09:00'], 2, /missing required --plate/],
    ['an unknown advisor', ['booking', 'add', '--plate', '京B12345', '--at', '2026-11-26 09:00', '--advisor', '无名'], 3, /staff \(advisor\) "无名" not found/],
    ['an illegal status change', ['booking', 'confirm', '1'], 4, /booking 1 is confirmed/],
    ['an unknown booking', ['booking', 'cancel', '99'], 3, /booking "99" not found/],
    ['a move into a full slot', ['booking', 'move', '3', '--at', '2026-11-24 09:00'], 4, /is full/],
    ['a bad status filter', ['booking', 'list', '--status', 'gone'], 2, /invalid status "gone"/],
  ])('refuses %s', (_name, args, code, message) => {
    const r = run(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('--force books over capacity and outside hours, with a note on stderr', () => {
    const r = run(['booking', 'add', '--plate', '京B12345', '--at', '2026-11-24 09:30', '--force', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\n$/);
    expect(r.stderr).toMatch(/accepted with --force: over capacity/);
  });

  it('arrive opens the repair order for the booking (order open --booking)', () => {
    let r = run(['booking', 'arrive', '3', '--mileage', '31000', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('RO-20261123-0001\n');
    expect(JSON.parse(run(['booking', 'show', '3', '--json']).stdout)).toMatchObject({ status: 'arrived', order_number: 'RO-20261123-0001' });
    r = run(['booking', 'arrive', '3', '--mileage', '31000']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/booking 3 is arrived/);
  });
});
