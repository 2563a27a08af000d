/** The callback form at a terminal (python3's pty driving the built binary), question by question. */
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath, testCtx } from '../helpers.js';
import { DOWN, ENTER, typeInto as typeIntoAt } from './pty.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { openContext } from '../../src/app/context.js';

const NOW = '2026-11-27 10:00';
const typeInto = (db: string, args: string[], steps: Array<[string, string]>) => typeIntoAt(db, NOW, args, steps);

let db: string;

beforeAll(async () => {
  db = tempDbPath();
  const ctx = await testCtx('2026-11-27 10:00', db);
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', model: '卡罗拉' });
  await addStaff(ctx, { name: '王芳', role: 'advisor' });
  await addStaff(ctx, { name: '刘敏', role: 'agent' });
  await ctx.db.run(
    `INSERT INTO orders (number, vehicle_id, customer_id, status, opened_at, mileage_in, delivered_at, advisor_id, total_cents, category)
     VALUES ('RO-20261119-0001', 1, 1, 'delivered', '2026-11-19T01:00:00.000Z', 12000, '2026-11-20T08:00:00.000Z', 1, 58000, 'maintenance'),
            ('RO-20261119-0002', 1, 1, 'ready', '2026-11-19T02:00:00.000Z', 12000, NULL, 1, 0, 'repair'),
            ('RO-20261119-0003', 1, 1, 'delivered', '2026-11-19T03:00:00.000Z', 12000, '2026-11-21T08:00:00.000Z', 1, 0, 'repair')`,
  );
  await ctx.db.close();
});

describe('callback record at a terminal', () => {
  it('shows the order, then asks the five questions, the reason for a low score, comments and the agent', async () => {
    const r = typeInto(db, ['callback', 'record', 'RO-20261119-0001'], [
      ['Result', ENTER], // reached (the default)
      ['Q1 ', ENTER],
      ['Q2 ', ENTER],
      ['Q3 ', DOWN + DOWN + DOWN + ENTER], // 5 → 4 → 3 → 2
      ['Q4 ', DOWN + ENTER],
      ['Q5 ', ENTER],
      ['Reason', DOWN + ENTER], // repair_quality
      ['Comment', '刹车有异响' + ENTER],
      ['Suggestion', ENTER],
      ['Complaint', '异响未修好' + ENTER],
      ['Agent', ENTER],
    ]);
    expect(r.failed_step).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('recorded callback 1 on RO-20261119-0001: reached scores 5,5,2,4,5\n');
    // the order summary comes before the first question
    const summary = r.terminal.indexOf('RO-20261119-0001');
    expect(summary).toBeGreaterThanOrEqual(0);
    expect(summary).toBeLessThan(r.terminal.indexOf('Result'));
    expect(r.terminal).toMatch(/customer +张三 13800000001/);
    expect(r.terminal).toMatch(/delivered +2026-11-20 16:00/);
    expect(r.terminal).toContain('opened complaint 1');
    const ctx = await openContext({ db, now: '2026-11-27 10:00', env: {} });
    const row = await ctx.db.get(`SELECT result, q1, q2, q3, q4, q5, reason, comment, agent_id FROM callbacks WHERE id = 1`);
    const complaints = await ctx.db.all(`SELECT description, category FROM complaints`);
    await ctx.db.close();
    expect(row).toEqual({ result: 'reached', q1: 5, q2: 5, q3: 2, q4: 4, q5: 5, reason: 'repair_quality', comment: '刹车有异响', agent_id: 2 });
    expect(complaints).toEqual([{ description: '异响未修好', category: 'repair_quality' }]);
  });

  it('an unanswered call asks only for a note', () => {
    const r = typeInto(db, ['callback', 'record', 'RO-20261119-0003', '--agent', '刘敏'], [
      ['Result', DOWN + ENTER], // no_answer
      ['Comment', ENTER],
    ]);
    expect(r.failed_step).toBeNull();
    expect([r.code, r.stdout]).toEqual([0, 'recorded callback 2 on RO-20261119-0003: no_answer\n']);
  });

  it('refuses an order whose follow-up is complete before asking anything', () => {
    const r = typeInto(db, ['callback', 'record', 'RO-20261119-0001'], []);
    expect(r.code).toBe(4);
    expect(r.terminal).toMatch(/already has a completed callback \(1, reached/);
    expect(r.terminal).not.toContain('Result');
  });

  it('refuses an order not delivered before asking anything', () => {
    const r = typeInto(db, ['callback', 'record', 'RO-20261119-0002'], []);
    expect(r.code).toBe(4);
    expect(r.terminal).toMatch(/only a delivered order gets a callback/);
    expect(r.terminal).not.toContain('Result');
  });
});
