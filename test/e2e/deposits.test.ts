/** Deposits and late arrivals through the built binary (SPEC §10), and the late customer's check-in at a terminal. */
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDbPath, testCtx } from '../helpers.js';
import { ENTER, typeInto } from './pty.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addBooking, markNoShows } from '../../src/app/bookings.js';
import { parseLocalDateTime } from '../../src/domain/time.js';

describe('booking refund / forfeit / late arrival through the CLI', () => {
  const db = tempDbPath();
  const at = (now: string) => cliFor(db, now);

  beforeAll(() => {
    const early = at('2026-06-01 10:00');
    for (const args of [
      ['customer', 'add', '--name', '张三', '--phone', '13800138000'],
      ['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '40000'],
      ['vehicle', 'add', '--customer', '1', '--plate', '京B22222', '--mileage', '10000'],
      ['staff', 'add', '--name', '孙经理', '--role', 'manager'],
    ]) expect(early(args).code).toBe(0);
  });

  it('refunds at most the deposit, forfeits with a manager, checks a late customer in on the day', () => {
    const book = (plate: string, when: string) => at('2026-11-20 10:00')(['booking', 'add', '--plate', plate, '--at', when, '--parts-value', '1000', '--deposit', '500', '-q']).stdout.trim();
    const a = book('京A12345', '2026-11-23 09:00');
    const b = book('京B22222', '2026-11-23 09:00');
    expect(at('2026-11-23 10:00')(['jobs', 'run', 'no-shows']).code).toBe(0);
    const late = at('2026-11-23 10:20');
    const tooMuch = late(['booking', 'refund', b, '--amount', '600', '--method', 'cash', '--reason', '退']);
    expect(tooMuch.code).toBe(4);
    expect(tooMuch.stderr).toBe(`pitstop: refund 600.00 on booking ${b} is more than its deposit left: at most 500.00 (deposit 500.00)\n`);
    expect(late(['booking', 'refund', b, '--amount', '100', '--method', 'cash', '--reason', '退']).stdout).toBe(`booking ${b}: refunded 100.00 of the deposit; 400.00 left\n`);
    const noManager = late(['booking', 'forfeit', b, '--reason', '已订件']);
    expect(noManager.code).toBe(2);
    expect(noManager.stderr).toMatch(/--by/);
    const show = late(['booking', 'show', b]).stdout;
    expect(show).toMatch(/deposit owed back +400\.00/);
    expect(show).toMatch(/2026-11-23 10:20 refund 100\.00 \(退\)/);
    expect(late(['booking', 'forfeit', b, '--by', '孙经理', '--reason', '已订件']).stdout).toBe(`booking ${b}: deposit 400.00 forfeited (shop income)\n`);
    expect(JSON.parse(late(['booking', 'show', b, '--json']).stdout)).toMatchObject({ deposit_left_cents: 0 });
    const arrive = late(['booking', 'arrive', a, '--mileage', '45000']);
    expect(arrive.code, arrive.stderr).toBe(0);
    expect(arrive.stdout).toBe('opened RO-20261123-0001 for 京A12345 at 45000 km\n');
    expect(arrive.stderr).toMatch(/deposit 500\.00 booked as a payment/);
  });
});

describe('booking arrive of a late customer at a terminal', () => {
  it('asks for the mileage and checks the no-show in, carrying the deposit', async () => {
    const db = tempDbPath();
    const ctx = await testCtx('2026-06-01 10:00', db);
    await addCustomer(ctx, { name: '张三', phone: '13800000001' });
    await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '40000' });
    ctx.now = parseLocalDateTime('now', '2026-11-20 10:00', ctx.tz);
    const id = (await addBooking(ctx, { plate: '京A12345', at: '2026-11-23 09:00', partsValue: '1000', deposit: '500' })).booking.id;
    await markNoShows(ctx, parseLocalDateTime('now', '2026-11-23 09:40', ctx.tz));
    await ctx.db.close();
    const r = typeInto(db, '2026-11-23 09:45', ['booking', 'arrive', String(id)], [['Mileage', '45000' + ENTER]]);
    expect(r.failed_step).toBeNull();
    expect(r.code, r.terminal).toBe(0);
    expect(r.stdout).toBe('opened RO-20261123-0001 for 京A12345 at 45000 km\n');
    expect(r.terminal).toMatch(/deposit 500\.00 booked as a payment/);
  });
});
