import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import { addCustomer, editCustomer, findCustomer, listCustomers, showCustomer } from '../../src/app/customers.js';
import { addVehicle, checkNewReading, deactivateVehicle, editVehicle, findVehicle, listVehicles, showVehicle } from '../../src/app/vehicles.js';
import { addStaff, deactivateStaff, findStaff, parseRoles } from '../../src/app/staff.js';
import { getConfig, listConfig, setConfig } from '../../src/app/config.js';
import { vinCheckDigit } from '../../src/domain/identity.js';
import { PitstopError } from '../../src/errors.js';
import { testCtx } from '../helpers.js';

let ctx: Ctx;
beforeEach(async () => {
  ctx = await testCtx('2026-11-23 10:00');
});
afterEach(async () => {
  await ctx.db.close();
});

function validVin(body: string): string {
  const v = body.slice(0, 8) + '0' + body.slice(9);
  return v.slice(0, 8) + vinCheckDigit(v) + v.slice(9);
}
const VIN1 = validVin('LSVAU2180N2183294');
const VIN2 = validVin('LFV2A21K0A3045678');
const wrongCheck = (vin: string) => vin.slice(0, 8) + (vin[8] === '1' ? '2' : '1') + vin.slice(9);

async function failure(p: Promise<unknown>): Promise<PitstopError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PitstopError) return err;
    throw err;
  }
  throw new Error('expected a PitstopError');
}

const audits = (entity: string) => ctx.db.all<{ action: string; entity_id: string; details: string; actor: string; at: string }>(
  'SELECT action, entity_id, details, actor, at FROM audit_log WHERE entity = ? ORDER BY id', [entity],
);
const rowCount = async (table: string) => (await ctx.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;

describe('customers', () => {
  it('adds a customer, normalized, audited with actor and time', async () => {
    const c = await addCustomer(ctx, { name: ' 张伟 ', phone: '+86 138-0000-0001', address: '北京' });
    expect(c).toMatchObject({ name: '张伟', phone: '13800000001', kind: 'private', address: '北京', do_not_contact: 0, created_at: '2026-11-23T02:00:00.000Z' });
    expect(await audits('customer')).toEqual([
      { action: 'add', entity_id: String(c.id), details: JSON.stringify({ name: '张伟', phone: '13800000001' }), actor: 'test', at: '2026-11-23T02:00:00.000Z' },
    ]);
  });

  it('refuses a duplicate phone in any spelling with exit 4, writing nothing', async () => {
    await addCustomer(ctx, { name: '张伟', phone: '13800000001' });
    const err = await failure(addCustomer(ctx, { name: '李娜', phone: '８６ 138 0000 0001' }));
    expect(err.exitCode).toBe(4);
    expect(err.message).toMatch(/13800000001 already belongs to customer 1/);
    expect(await rowCount('customers')).toBe(1);
    expect((await audits('customer')).length).toBe(1);
  });

  it.each([
    [{ name: '', phone: '13800000001' }, 2, /name/],
    [{ name: '张伟', phone: '' }, 2, /phone/],
    [{ name: '张伟', phone: '010-88886666' }, 2, /invalid phone "010-88886666"/],
    [{ name: '张伟', phone: '13800000001', kind: 'vip' }, 2, /invalid kind "vip"/],
  ])('refuses %j with exit %d', async (input, code, message) => {
    const err = await failure(addCustomer(ctx, input));
    expect(err.exitCode).toBe(code);
    expect(err.message).toMatch(message);
    expect(await rowCount('customers')).toBe(0);
  });

  it('a fleet customer may give a landline', async () => {
    const c = await addCustomer(ctx, { name: '快运车队', phone: '010-88886666', kind: 'fleet', company: '快运' });
    expect(c.phone).toBe('01088886666');
    // and cannot then become private with it
    const err = await failure(editCustomer(ctx, '01088886666', { kind: 'private' }));
    expect(err.exitCode).toBe(2);
  });

  it('finds by id or any phone spelling; unknown is exit 3', async () => {
    const c = await addCustomer(ctx, { name: '张伟', phone: '13800000001' });
    expect((await findCustomer(ctx, String(c.id))).id).toBe(c.id);
    expect((await findCustomer(ctx, '+86 138 0000 0001')).id).toBe(c.id);
    expect((await failure(findCustomer(ctx, '13900000009'))).exitCode).toBe(3);
    expect((await failure(findCustomer(ctx, '99'))).exitCode).toBe(3);
    // SPEC §16: a reference that is no id, phone or plate is looked up as an exact name (not found: 3)
    expect((await failure(findCustomer(ctx, 'nobody'))).exitCode).toBe(3);
    expect((await failure(findCustomer(ctx, ''))).exitCode).toBe(2);
  });

  it('edits only what changed, audited; a phone taken by another is exit 4', async () => {
    await addCustomer(ctx, { name: '张伟', phone: '13800000001' });
    await addCustomer(ctx, { name: '李娜', phone: '13800000002' });
    const c = await editCustomer(ctx, '13800000001', { address: '上海', name: '张伟' });
    expect(c.address).toBe('上海');
    const edits = (await audits('customer')).filter((a) => a.action === 'edit');
    expect(edits.map((a) => JSON.parse(a.details))).toEqual([{ address: '上海' }]);
    expect((await failure(editCustomer(ctx, '13800000001', { phone: '13800000002' }))).exitCode).toBe(4);
  });

  it('lists and searches by name, phone, or plate', async () => {
    const a = await addCustomer(ctx, { name: '张伟', phone: '13800000001' });
    await addCustomer(ctx, { name: '李娜', phone: '13800000002' });
    await addVehicle(ctx, { customer: String(a.id), plate: '京A12345' });
    expect((await listCustomers(ctx, '李', 50)).map((c) => c.name)).toEqual(['李娜']);
    expect((await listCustomers(ctx, '0001', 50)).map((c) => c.name)).toEqual(['张伟']);
    expect((await listCustomers(ctx, 'A123', 50)).map((c) => c.name)).toEqual(['张伟']);
    expect((await listCustomers(ctx, undefined, 1)).length).toBe(1);
    expect((await listCustomers(ctx, '%', 50)).length).toBe(0); // LIKE wildcards are literal
  });

  it('show: vehicles, visits, complaints, callbacks, balance', async () => {
    const c = await addCustomer(ctx, { name: '张伟', phone: '13800000001' });
    await addVehicle(ctx, { customer: '13800000001', plate: '京A12345', make: '大众' });
    const p = await showCustomer(ctx, '13800000001');
    expect(p.customer.id).toBe(c.id);
    expect(p.vehicles).toEqual([expect.objectContaining({ plate: '京A12345', make: '大众', active: 1 })]);
    expect(p).toMatchObject({ visits: [], open_complaints: [], callbacks: [], balance_owed_cents: 0 });
  });
});

describe('vehicles', () => {
  beforeEach(async () => {
    await addCustomer(ctx, { name: '张伟', phone: '13800000001' });
    await addCustomer(ctx, { name: '李娜', phone: '13800000002' });
  });

  it('adds a vehicle with every field, normalized', async () => {
    const v = await addVehicle(ctx, {
      customer: '13800000001', plate: '京a·12345', vin: VIN1.toLowerCase(), make: '大众', model: '帕萨特', color: '黑',
      year: '2021', purchased: '2021-05-01', mileage: '45210', intervalKm: '7500', intervalMonths: '12',
      lastService: '2026-06-01', lastServiceKm: '42000',
    });
    expect(v).toMatchObject({
      plate: '京A12345', vin: VIN1, year: 2021, purchased_on: '2021-05-01', initial_km: 45210, interval_km: 7500,
      interval_months: 12, last_service_on: '2026-06-01', last_service_km: 42000, active: 1, added_on: '2026-11-23',
    });
    expect((await findVehicle(ctx, '京A 12345')).id).toBe(v.id);
  });

  it.each([
    [{ plate: '京I12345' }, 2, /invalid plate/],
    [{ plate: '京A12345', year: '1949' }, 2, /invalid year/],
    [{ plate: '京A12345', purchased: '2026-02-30' }, 2, /invalid purchased "2026-02-30"/],
    [{ plate: '京A12345', purchased: '2026-11-24' }, 2, /after today/],
    [{ plate: '京A12345', lastService: '2026-01-01' }, 2, /last-service-km/],
    [{ plate: '京A12345', mileage: '12.5' }, 2, /invalid mileage/],
    [{ plate: '京A12345', intervalKm: '100' }, 2, /interval-km/],
  ])('refuses %j with exit %d', async (input, code, message) => {
    const err = await failure(addVehicle(ctx, { customer: '13800000001', ...input }));
    expect(err.exitCode).toBe(code);
    expect(err.message).toMatch(message);
    expect(await rowCount('vehicles')).toBe(0);
  });

  it('an unknown owner is exit 3', async () => {
    expect((await failure(addVehicle(ctx, { customer: '13900000009', plate: '京A12345' }))).exitCode).toBe(3);
  });

  it('duplicate plate or VIN is exit 4', async () => {
    await addVehicle(ctx, { customer: '13800000001', plate: '京A12345', vin: VIN1 });
    const plate = await failure(addVehicle(ctx, { customer: '13800000002', plate: '京A·12345' }));
    expect([plate.exitCode, plate.message]).toEqual([4, 'plate 京A12345 is already registered (vehicle 1)']);
    const vin = await failure(addVehicle(ctx, { customer: '13800000002', plate: '京B12345', vin: VIN1 }));
    expect(vin.exitCode).toBe(4);
    expect(vin.message).toMatch(/VIN .* already registered to 京A12345/);
    expect(await rowCount('vehicles')).toBe(1);
  });

  it('a VIN check-digit mismatch is exit 2 naming the expected digit; --force accepts it, audited', async () => {
    const bad = wrongCheck(VIN2);
    const err = await failure(addVehicle(ctx, { customer: '13800000001', plate: '京A12345', vin: bad }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`should be ${VIN2[8]}`);
    const v = await addVehicle(ctx, { customer: '13800000001', plate: '京A12345', vin: bad, force: true });
    expect(v.vin).toBe(bad);
    const [a] = await audits('vehicle');
    expect(JSON.parse(a!.details).forced).toEqual([`vin check digit ${bad[8]} (expected ${VIN2[8]})`]);
  });

  it('mileage below the carried-over service is exit 4; --force accepts it, audited', async () => {
    const input = { customer: '13800000001', plate: '京A12345', mileage: '41000', lastService: '2026-06-01', lastServiceKm: '42000' };
    const err = await failure(addVehicle(ctx, input));
    expect(err.exitCode).toBe(4);
    expect(err.message).toMatch(/mileage 41000 is below the last reading 42000 km on 2026-06-01/);
    await addVehicle(ctx, { ...input, force: true });
    const [a] = await audits('vehicle');
    expect(JSON.parse(a!.details).forced[0]).toMatch(/below the last reading/);
  });

  it('a mileage jump beyond max_daily_km × days is exit 4 (likely an extra zero)', async () => {
    // 2026-11-13 → 2026-11-23: 10 days × 1500 = at most 57000
    const input = { customer: '13800000001', plate: '京A12345', lastService: '2026-11-13', lastServiceKm: '42000' };
    await expect(addVehicle(ctx, { ...input, mileage: '57000' })).resolves.toBeDefined();
    const err = await failure(addVehicle(ctx, { ...input, plate: '京A12346', mileage: '570000' }));
    expect(err.exitCode).toBe(4);
    expect(err.message).toMatch(/more than 57000 km/);
  });

  it('checkNewReading: backwards and jumps are exit 4 unless forced', async () => {
    const v = await addVehicle(ctx, { customer: '13800000001', plate: '京A12345', mileage: '40000' });
    expect(await checkNewReading(ctx, v.id, 40500, '2026-11-24', false)).toBeNull();
    expect((await failure(checkNewReading(ctx, v.id, 39000, '2026-11-24', false))).exitCode).toBe(4);
    expect((await failure(checkNewReading(ctx, v.id, 43001, '2026-11-25', false))).exitCode).toBe(4); // 2 days × 1500
    expect(await checkNewReading(ctx, v.id, 43000, '2026-11-25', false)).toBeNull();
    expect(await checkNewReading(ctx, v.id, 39000, '2026-11-24', true)).toMatch(/below the last reading 40000/);
  });

  it('edit, deactivate, list and show', async () => {
    const v = await addVehicle(ctx, { customer: '13800000001', plate: '京A12345', mileage: '10000', lastService: '2026-05-23', lastServiceKm: '8000' });
    await editVehicle(ctx, '京A12345', { color: '白', customer: '13800000002' });
    expect(await findVehicle(ctx, '京A12345')).toMatchObject({ color: '白', customer_id: 2 });
    expect((await failure(editVehicle(ctx, '京A12345', { mileage: '5' }))).exitCode).toBe(2);
    expect((await failure(editVehicle(ctx, '京Z99999', { color: '红' }))).exitCode).toBe(3);

    const p = await showVehicle(ctx, '京A12345');
    expect(p.vehicle.id).toBe(v.id);
    expect(p.owner).toMatchObject({ name: '李娜' });
    expect(p.readings).toEqual([{ km: 8000, on: '2026-05-23' }, { km: 10000, on: '2026-11-23' }]);
    // carried-over service 2026-05-23 + 6 months; 2000 km in 184 days is too slow for the mileage date to win
    expect(p.next_service).toMatchObject({ dueOn: '2026-11-23', dueBy: 'time', daysUntilDue: 0, lastService: { source: 'carried_over' } });

    expect((await listVehicles(ctx, { customerId: 2, limit: 10 })).map((x) => x.plate)).toEqual(['京A12345']);
    expect((await listVehicles(ctx, { text: 'a123', limit: 10 })).length).toBe(1);
    await deactivateVehicle(ctx, '京A12345');
    expect((await showVehicle(ctx, '京A12345')).next_service).toBeNull();
    expect((await audits('vehicle')).map((a) => a.action)).toEqual(['add', 'edit', 'deactivate']);
  });
});

describe('staff', () => {
  it('roles are normalized and checked', () => {
    expect(parseRoles('agent, Advisor')).toBe('advisor,agent');
    expect(parseRoles('advisor，advisor')).toBe('advisor');
    expect(() => parseRoles('boss')).toThrow(/invalid role "boss"/);
  });

  it('add, duplicate, find by role, deactivate', async () => {
    await addStaff(ctx, { name: '王芳', role: 'advisor,agent' });
    expect((await failure(addStaff(ctx, { name: '王芳', role: 'technician' }))).exitCode).toBe(4);
    expect((await findStaff(ctx, '--advisor', '王芳', 'advisor')).role).toBe('advisor,agent');
    expect((await failure(findStaff(ctx, '--tech', '王芳', 'technician'))).exitCode).toBe(4);
    expect((await failure(findStaff(ctx, '--tech', '李四'))).exitCode).toBe(3);
    await deactivateStaff(ctx, '王芳');
    const err = await failure(findStaff(ctx, '--advisor', '王芳', 'advisor'));
    expect([err.exitCode, err.message]).toEqual([4, 'staff "王芳" (--advisor) is deactivated']);
    expect((await audits('staff')).map((a) => a.action)).toEqual(['add', 'deactivate']);
  });
});

describe('config', () => {
  it('set validates, stores, audits and refreshes the context', async () => {
    expect(await setConfig(ctx, 'shop.bays', '6')).toBe('6');
    expect(ctx.settings.int('shop.bays')).toBe(6);
    expect(getConfig(ctx, 'shop.bays')).toBe('6');
    expect(listConfig(ctx).find((r) => r.key === 'shop.bays')).toEqual({ key: 'shop.bays', value: '6', default: '4', is_default: false });
    const [a] = await audits('setting');
    expect(JSON.parse(a!.details)).toEqual({ from: '4', to: '6' });
    await setConfig(ctx, 'shop.timezone', 'Europe/Berlin');
    expect(ctx.tz).toBe('Europe/Berlin');
  });

  it('a bad value is exit 2 naming key and value, nothing stored', async () => {
    const err = await failure(setConfig(ctx, 'shop.bays', 'many'));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('invalid shop.bays "many": expected a whole number from 1 to 500');
    expect(await rowCount('settings')).toBe(0);
    expect(() => getConfig(ctx, 'nope')).toThrow(/unknown key/);
  });
});
