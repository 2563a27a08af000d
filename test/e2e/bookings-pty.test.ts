/**
 * The desk's interactive `booking add`, typed through a pseudo-terminal (python3's pty, driving the built
 * binary): stdin and stderr are the terminal, stdout a pipe that must carry only the result.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDbPath, testCtx } from '../helpers.js';
import { DOWN, ENTER, typeInto as typeIntoAt } from './pty.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { setConfig } from '../../src/app/config.js';
import { addBooking } from '../../src/app/bookings.js';
import { openContext } from '../../src/app/context.js';

const NOW = '2026-11-23 10:00';
const typeInto = (db: string, args: string[], steps: Array<[string, string]>) => typeIntoAt(db, NOW, args, steps);

async function query<T>(db: string, sql: string): Promise<T[]> {
  const ctx = await openContext({ db, now: '2026-11-23 10:00', env: {} });
  try {
    return await ctx.db.all<T>(sql);
  } finally {
    await ctx.db.close();
  }
}

let db: string;

beforeEach(async () => {
  db = tempDbPath();
  const ctx = await testCtx('2026-11-23 10:00', db);
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', model: '卡罗拉' });
  await addVehicle(ctx, { customer: '1', plate: '京B12345', model: '雅阁' });
  await addStaff(ctx, { name: '王芳', role: 'advisor' });
  await setConfig(ctx, 'shop.bays', '1');
  await addBooking(ctx, { plate: '京A12345', at: '2026-11-24 09:00' });
  await ctx.db.close();
});

describe('booking add at a terminal', () => {
  it('registers a new caller and vehicle, shows the free slots of the day and books the chosen one', async () => {
    const r = typeInto(db, ['booking', 'add'], [
      ['customer phone', '沪A88888' + ENTER],
      ['Register the vehicle now', 'y' + ENTER],
      ['Owner phone', '13900000003' + ENTER],
      ['Register a new customer', 'y' + ENTER],
      ['Name', '王五' + ENTER],
      ['Make', '大众' + ENTER],
      ['Model', '朗逸' + ENTER],
      ['Day', ENTER], // default: tomorrow
      ['Start time', DOWN + ENTER], // 10:00 is first (08:30 would run into the 09:00 booking); take 10:30
      ['Service', '常规保养' + ENTER],
      ['Complaint', ENTER],
      ['Advisor', ENTER],
    ]);
    expect(r.failed_step).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('booked booking 2 沪A88888 2026-11-24 10:30 (60 min) booked\n');
    expect(r.terminal).toMatch(/free bays on 2026-11-24 \(shop\.bays 1, open 08:30–18:00\)/);
    expect(r.terminal).toMatch(/09:00 +0/);
    const rows = await query<{ name: string; plate: string; model: string; service: string; advisor: string }>(db, `
      SELECT c.name, v.plate, v.model, b.service, s.name AS advisor FROM bookings b JOIN vehicles v ON v.id = b.vehicle_id
        JOIN customers c ON c.id = b.customer_id JOIN staff s ON s.id = b.advisor_id WHERE b.id = 2`);
    expect(rows).toEqual([{ name: '王五', plate: '沪A88888', model: '朗逸', service: '常规保养', advisor: '王芳' }]);
  });

  it('finds the customer by phone and offers their vehicles', () => {
    const r = typeInto(db, ['booking', 'add', '--service', '换机油', '--complaint', '', '--advisor', '王芳'], [
      ['customer phone', '138 0000 0001' + ENTER],
      ['Vehicle', DOWN + ENTER], // 京A12345, 京B12345, a new vehicle
      ['Day', '2026-11-25' + ENTER],
      ['Start time', ENTER],
    ]);
    expect(r.failed_step).toBeNull();
    expect(r.terminal).toContain('customer 1 张三 13800000001');
    expect([r.code, r.stdout]).toEqual([0, 'booked booking 2 京B12345 2026-11-25 08:30 (60 min) booked\n']);
  });

  it('offers to register an unknown --plate when --at is missing; declining is exit 3 with nothing written', async () => {
    const r = typeInto(db, ['booking', 'add', '--plate', '沪A77777'], [['沪A77777 is not in the archive', 'n' + ENTER]]);
    expect(r.failed_step).toBeNull();
    expect(r.code).toBe(3);
    expect(r.terminal).toMatch(/vehicle "沪A77777" not found/);
    expect(await query(db, 'SELECT id FROM vehicles')).toHaveLength(2);
  });

  it('Ctrl-C at a prompt exits 130 with nothing written; --no-input never prompts', async () => {
    const r = typeInto(db, ['booking', 'add', '--at', '2026-11-24 11:00'], [['customer phone', '沪A8\x03']]);
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    const n = typeInto(db, ['booking', 'add', '--no-input', '--at', '2026-11-24 11:00'], []);
    expect(n.code).toBe(2);
    expect(n.terminal).toMatch(/missing required --plate/);
    expect(await query(db, 'SELECT id FROM bookings')).toHaveLength(1);
  });
});
