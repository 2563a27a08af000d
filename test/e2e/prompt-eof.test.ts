/**
 * Every way a question at the desk can end without an answer (SPEC §9): Ctrl-D is Ctrl-C (exit 130,
 * nothing written), a SIGHUP or a terminal that closes ends the command by the hang-up with nothing
 * written — never node-sqlite3's native abort (`napi_throw` in Database::Work_AfterClose, exit 134)
 * or Node's (SIGABRT, what this test saw before the fix: code -6).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDbPath, tempDir, testCtx } from '../helpers.js';
import { ENTER, typeInto } from './pty.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { addStaff } from '../../src/app/staff.js';
import { openContext } from '../../src/app/context.js';

const NOW = '2026-11-27 10:00';
const CTRL_D = '\x04';

async function counts(db: string): Promise<Record<string, number>> {
  const ctx = await openContext({ db, now: NOW, env: {} });
  try {
    const row = await ctx.db.get<Record<string, number>>(
      `SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM bookings) AS bookings,
              (SELECT COUNT(*) FROM callbacks) AS callbacks, (SELECT COUNT(*) FROM audit_log) AS audit`,
    );
    return row!;
  } finally {
    await ctx.db.close();
  }
}

let db: string;

beforeEach(async () => {
  db = tempDbPath();
  const ctx = await testCtx(NOW, db);
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', model: '卡罗拉' });
  await addStaff(ctx, { name: '王芳', role: 'advisor,agent' });
  await ctx.db.run(
    `INSERT INTO orders (number, vehicle_id, customer_id, status, opened_at, mileage_in, delivered_at, advisor_id, total_cents, category)
     VALUES ('RO-20261119-0001', 1, 1, 'delivered', '2026-11-19T01:00:00.000Z', 12000, '2026-11-22T08:00:00.000Z', 1, 58000, 'maintenance')`,
  );
  await ctx.db.close();
});

describe('Ctrl-D at a prompt', () => {
  const cases: Array<[string, string[], Array<[string, string]>]> = [
    ['customer add, at the phone question', ['customer', 'add', '--name', '测试'], [['Kind', ENTER], ['Phone', CTRL_D]]],
    ['customer add, at a choice', ['customer', 'add', '--name', '测试'], [['Kind', CTRL_D]]],
    ['booking add, at the first question', ['booking', 'add'], [['customer phone', CTRL_D]]],
    ['callback record, at the result', ['callback', 'record', 'RO-20261119-0001'], [['Result', CTRL_D]]],
    ['callback record, in the scores', ['callback', 'record', 'RO-20261119-0001'], [['Result', ENTER], ['Q1 ', ENTER], ['Q2 ', CTRL_D]]],
  ];
  for (const [name, args, steps] of cases) {
    it(`${name}: exit 130, nothing written`, async () => {
      const before = await counts(db);
      const r = typeInto(db, NOW, args, steps);
      expect(r.failed_step).toBeNull();
      expect(r.terminal).not.toMatch(/FATAL|napi_throw|Native stack/);
      expect(r.code).toBe(130);
      expect(r.terminal).toContain('pitstop: cancelled, nothing written');
      expect(r.stdout).toBe('');
      expect(await counts(db)).toEqual(before);
    });
  }

  it('on a new database: exit 130 and no database file left behind', () => {
    const file = path.join(tempDir(), 'new.db');
    const r = typeInto(file, NOW, ['customer', 'add', '--name', '测试'], [['Kind', ENTER], ['Phone', CTRL_D]]);
    expect(r.code).toBe(130);
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });
});

describe('a terminal that goes away during a question', () => {
  // SIGHUP is ended by the signal itself once everything is closed (Python reports -1); a native
  // abort would be -6 (SIGABRT)
  it('SIGHUP: ends by the hang-up, nothing written', async () => {
    const before = await counts(db);
    const r = typeInto(db, NOW, ['customer', 'add', '--name', '测试'], [['Kind', ENTER], ['Phone', '<SIGHUP>']]);
    expect(r.failed_step).toBeNull();
    expect(r.terminal).not.toMatch(/FATAL|napi_throw|Native stack/);
    expect(r.code).toBe(-1);
    expect(r.terminal).toContain('pitstop: cancelled, nothing written');
    expect(await counts(db)).toEqual(before);
  });

  it('the terminal closes: ends by the hang-up, nothing written', async () => {
    const before = await counts(db);
    const r = typeInto(db, NOW, ['callback', 'record', 'RO-20261119-0001'], [['Result', ENTER], ['Q1 ', '<CLOSE>']]);
    expect(r.code).toBe(-1);
    expect(await counts(db)).toEqual(before);
  });
});
