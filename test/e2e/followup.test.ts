/** `pitstop callback …` and `pitstop complaint …` through the built binary; the delivered order is made with SQL. */
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDbPath, testCtx } from '../helpers.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';

let run: ReturnType<typeof cliFor>;

beforeAll(async () => {
  const db = tempDbPath();
  const ctx = await testCtx('2026-11-27 10:00', db);
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345' });
  await addStaff(ctx, { name: '王芳', role: 'advisor' });
  await addStaff(ctx, { name: '刘敏', role: 'agent' });
  for (const [number, status, delivered] of [['RO-20261119-0001', 'delivered', '2026-11-20T08:00:00.000Z'], ['RO-20261119-0002', 'in_progress', null], ['RO-20261119-0003', 'delivered', '2026-11-21T08:00:00.000Z']] as const) {
    await ctx.db.run(
      `INSERT INTO orders (number, vehicle_id, customer_id, status, opened_at, mileage_in, delivered_at, advisor_id, total_cents)
       VALUES (?, 1, 1, ?, '2026-11-19T01:00:00.000Z', 12000, ?, 1, 58000)`,
      [number, status, delivered],
    );
  }
  await ctx.db.close();
  run = cliFor(db, '2026-11-27 10:00');
});

describe('callback record', () => {
  it('records a callback on a delivered order, opening a complaint with --complaint; refuses a second completed one', () => {
    let r = run(['callback', 'record', 'RO-20261119-0001', '--result', 'no_answer', '--at', '2026-11-26 15:00', '-q']);
    expect([r.code, r.stdout]).toEqual([0, '1\n']);

    r = run(['callback', 'record', 'RO-20261119-0001', '--result', 'reached', '--scores', '5,5,2,5,5', '--reason', 'repair_quality', '--agent', '刘敏', '--comment', '还有异响', '--complaint', '异响未修好']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('recorded callback 2 on RO-20261119-0001: reached scores 5,5,2,5,5\n');
    expect(r.stderr).toBe('opened complaint 1 for 张三 (RO-20261119-0001), reply by 2026-11-30 18:00\n');

    const list = JSON.parse(run(['callback', 'list', 'RO-20261119-0001', '--json']).stdout);
    expect(list.map((c: { result: string }) => c.result)).toEqual(['no_answer', 'reached']);
    expect(list[1]).toMatchObject({ q1: 5, q3: 2, reason: 'repair_quality', agent: '刘敏' });

    r = run(['callback', 'record', 'RO-20261119-0001', '--result', 'reached', '--scores', '5,5,5,5,5']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/already has a completed callback \(2, reached at 2026-11-27 10:00\)/);
  });

  it.each([
    ['an order not delivered', ['RO-20261119-0002', '--result', 'reached'], 4, /^pitstop: order RO-20261119-0002 is in_progress: only a delivered order gets a callback\n$/],
    ['an unknown order', ['RO-20261119-0099', '--result', 'reached'], 3, /order "RO-20261119-0099" not found/],
    ['a low score without --reason', ['RO-20261119-0001', '--result', 'reached', '--scores', '5,5,5,5,1'], 2, /missing required --reason: q5=1/],
    ['scores without reached', ['RO-20261119-0001', '--result', 'refused', '--scores', '5,5,5,5,5'], 2, /--scores only go with --result reached/],
    ['bad scores', ['RO-20261119-0001', '--result', 'reached', '--scores', '5,5,6,5,5'], 2, /invalid scores "5,5,6,5,5"/],
    ['a bad result', ['RO-20261119-0001', '--result', 'maybe'], 2, /invalid result "maybe"/],
    ['no result without a terminal', ['RO-20261119-0001'], 2, /missing required --result/],
    ['an agent without the role', ['RO-20261119-0003', '--result', 'no_answer', '--agent', '王芳'], 4, /staff "王芳" \(agent\) is not a/],
  ])('refuses %s', (_name, args, code, message) => {
    const r = run(['callback', 'record', ...args]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a reached call from a script without --scores is exit 2 naming --scores, and does not block the real callback', () => {
    let r = run(['callback', 'record', 'RO-20261119-0003', '--result', 'reached', '--agent', '刘敏']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pitstop: missing required --scores for --result reached: the five answers of the callback form, 1–5 each, like --scores 5,5,4,5,5\n');
    expect(JSON.parse(run(['callback', 'list', 'RO-20261119-0003', '--json']).stdout)).toEqual([]);
    r = run(['callback', 'record', 'RO-20261119-0003', '--result', 'reached', '--scores', '5,5,5,5,5', '--agent', '刘敏']);
    expect(r.code).toBe(0);
  });
});

describe('complaints', () => {
  it('add, list --open, resolve', () => {
    let r = run(['complaint', 'add', '--customer', '13800000001', '--description', '等待太久', '--category', 'delivery_time', '-q']);
    expect([r.code, r.stdout]).toEqual([0, '2\n']);
    r = run(['complaint', 'list', '--open']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^id +opened +reply by +customer/);
    expect(r.stdout).toContain('异响未修好');
    expect(r.stdout).toContain('2026-11-30 18:00');
    r = run(['complaint', 'resolve', '1', '--resolution', '已返修']);
    expect([r.code, r.stdout]).toEqual([0, 'resolved complaint 1 at 2026-11-27 10:00\n']);
    r = run(['complaint', 'resolve', '1', '--resolution', '已返修']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/complaint 1 is resolved/);
    expect(JSON.parse(run(['complaint', 'list', '--open', '--json']).stdout).map((c: { id: number }) => c.id)).toEqual([2]);
    r = run(['complaint', 'add', '--customer', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required --description/);
  });
});
