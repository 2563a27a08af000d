/**
 * Prompts check each answer as it is given (SPEC §9): a duplicate phone, an unknown plate, a mileage
 * below the last reading are said right after the answer and the question is asked again — not after
 * every question has been answered.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDbPath, testCtx } from '../helpers.js';
import { ENTER, typeInto } from './pty.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { addBooking } from '../../src/app/bookings.js';

const NOW = '2026-11-23 10:00';
let db: string;

beforeEach(async () => {
  db = tempDbPath();
  const ctx = await testCtx(NOW, db);
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', model: '卡罗拉', mileage: '45000' });
  await addStaff(ctx, { name: '王芳', role: 'advisor' });
  await addBooking(ctx, { plate: '京A12345', at: '2026-11-23 11:00' });
  await ctx.db.close();
});

describe('answers checked as they are given', () => {
  it('customer add: a phone already in the archive is said at once and asked again', () => {
    const r = typeInto(db, NOW, ['customer', 'add', '--name', '李四'], [
      ['Kind', ENTER],
      ['Phone', '13800000001' + ENTER],
      ['already belongs to customer 1 张三', '\x15' + '13800000002' + ENTER], // Ctrl-U clears the line
      ['Address', ENTER],
      ['Note', ENTER],
    ]);
    expect(r.failed_step).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('added customer 2 李四 13800000002\n');
  });

  it('order open: a mileage below the last reading is said at once and asked again', () => {
    const r = typeInto(db, NOW, ['order', 'open', '--plate', '京A12345'], [
      ['Mileage', '4500' + ENTER],
      ['mileage 4500 is below the last reading 45000 km', '\x15' + '45210' + ENTER],
      ['Complaint', ENTER],
    ]);
    expect(r.failed_step).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^opened RO-20261123-0001 for 京A12345 at 45210 km\n/);
  });

  it('order open: an unknown plate is said at once and asked again', () => {
    const r = typeInto(db, NOW, ['order', 'open'], [
      ['Plate', '京B99999' + ENTER],
      ['Register the customer and vehicle now', 'n' + ENTER],
      ['give the plate again', ''],
      ['Plate', '京A12345' + ENTER],
      ['Mileage', '45300' + ENTER],
      ['Complaint', ENTER],
    ]);
    expect(r.failed_step).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^opened RO-20261123-0001 for 京A12345 at 45300 km\n/);
  });

  it('booking arrive: the same mileage check', () => {
    const r = typeInto(db, NOW, ['booking', 'arrive', '1'], [
      ['Mileage', '100' + ENTER],
      ['below the last reading 45000 km', '\x15' + '45100' + ENTER],
    ]);
    expect(r.failed_step).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^opened RO-20261123-0001 for 京A12345 at 45100 km\n/);
  });
});
