import fs from 'node:fs';
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Db } from '../../src/db/sqlite.js';
import { migrate, SCHEMA_VERSION, userVersion } from '../../src/db/migrations.js';
import { openContext } from '../../src/app/context.js';
import { PitstopError } from '../../src/errors.js';
import { tempDbPath } from '../helpers.js';

/** SPEC §7: the documented tables and the columns outside tools may rely on. */
const DOCUMENTED: Record<string, string[]> = {
  settings: ['key', 'value'],
  customers: ['id', 'name', 'phone', 'kind', 'company', 'address', 'note', 'do_not_contact', 'created_at', 'no_calls', 'no_messages', 'phone_bad_at'],
  vehicles: ['id', 'customer_id', 'plate', 'vin', 'make', 'model', 'color', 'year', 'purchased_on', 'initial_km', 'last_service_on', 'last_service_km', 'interval_km', 'interval_months', 'active', 'created_at'],
  staff: ['id', 'name', 'role', 'active'],
  bookings: ['id', 'vehicle_id', 'customer_id', 'scheduled_at', 'minutes', 'service', 'complaint', 'advisor_id', 'source', 'estimate_cents', 'parts_value_cents', 'deposit_cents', 'status', 'order_id', 'created_at'],
  orders: ['id', 'number', 'vehicle_id', 'customer_id', 'booking_id', 'category', 'status', 'opened_at', 'mileage_in', 'fuel', 'belongings', 'damage', 'key_tag', 'complaint', 'advisor_id', 'technician_id', 'inspector_id', 'promised_at', 'call_window', 'repeat_of_order_id', 'estimate_cents', 'discount_cents', 'approved_at', 'qc_failures', 'delivered_at', 'cancelled_at'],
  order_lines: ['id', 'order_id', 'kind', 'description', 'part_no', 'qty_milli', 'hours_centi', 'unit_price_cents', 'amount_cents', 'grade', 'customer_supplied', 'status', 'additional', 'created_at'],
  findings: ['id', 'vehicle_id', 'order_id', 'description', 'status', 'resolved_order_id', 'created_at'],
  payments: ['id', 'order_id', 'amount_cents', 'method', 'paid_at'],
  callbacks: ['id', 'order_id', 'agent_id', 'attempted_at', 'result', 'q1', 'q2', 'q3', 'q4', 'q5', 'reason', 'comment', 'suggestion'],
  complaints: ['id', 'customer_id', 'order_id', 'category', 'description', 'status', 'opened_at', 'reply_by', 'resolved_at', 'resolution'],
  job_runs: ['id', 'job', 'run_key', 'started_at', 'finished_at', 'status', 'rows', 'file', 'error'],
  job_listings: ['job', 'run_key', 'subject_id'],
  audit_log: ['id', 'at', 'actor', 'action', 'entity', 'entity_id', 'details'],
  signatures: ['id', 'order_id', 'role', 'name', 'what', 'signed_at', 'recorded_at'],
  outbox: ['id', 'key', 'job', 'run_key', 'subject', 'customer_id', 'to_phone', 'text', 'params', 'status', 'attempts', 'next_at', 'sent_at'],
  outbox_log: ['id', 'outbox_id', 'attempt', 'at', 'outcome', 'detail'],
  contact_log: ['id', 'list', 'ref', 'subject', 'customer_id', 'vehicle_id', 'booking_id', 'order_id', 'result', 'later_at', 'note', 'agent', 'at', 'recorded_at'],
};

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('migrations', () => {
  it('a fresh file gets the whole documented schema at the latest user_version', async () => {
    const file = tempDbPath();
    const ctx = await openContext({ db: file, now: '2026-11-23 10:00', env: {} });
    try {
      expect(SCHEMA_VERSION).toBe(8);
      expect(await userVersion(ctx.db)).toBe(8);
      for (const [table, columns] of Object.entries(DOCUMENTED)) {
        const have = (await ctx.db.all<{ name: string }>(`PRAGMA table_info(${table})`)).map((c) => c.name);
        expect(have, table).toEqual(expect.arrayContaining(columns));
      }
    } finally {
      await ctx.db.close();
    }
  });

  it('running again changes nothing', async () => {
    const file = tempDbPath();
    const db = await Db.open(file, { create: true });
    await migrate(db);
    await db.run("INSERT INTO settings (key, value) VALUES ('shop.bays', '6')");
    await migrate(db);
    expect(await userVersion(db)).toBe(SCHEMA_VERSION);
    expect(await db.get('SELECT value FROM settings')).toEqual({ value: '6' });
    await db.close();
  });

  it('a version-1 file (the first release) moves to the latest version and keeps its data', async () => {
    const { migrations } = await import('../../src/db/migrations.js');
    const file = tempDbPath();
    const db = await Db.open(file, { create: true });
    await db.exec(migrations[0]!);
    await db.exec('PRAGMA user_version = 1');
    await db.run("INSERT INTO settings (key, value) VALUES ('shop.bays', '6')");
    await migrate(db);
    expect(await userVersion(db)).toBe(SCHEMA_VERSION);
    expect(await db.get('SELECT value FROM settings')).toEqual({ value: '6' });
    const index = await db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'orders_unpaid_delivered'");
    expect(index?.sql).toMatch(/ON orders \(delivered_at, number\) WHERE status = 'delivered'/);
    await db.close();
  });

  it('a version-2 file moves to 3: payments kept (refunds may be negative), first deliveries filled in', async () => {
    const { migrations } = await import('../../src/db/migrations.js');
    const file = tempDbPath();
    const db = await Db.open(file, { create: true });
    await db.exec(migrations[0]! + migrations[1]!);
    await db.exec('PRAGMA user_version = 2');
    await db.exec(`INSERT INTO customers (id, name, phone, created_at) VALUES (1, 'A', '13800000001', 'x');
      INSERT INTO vehicles (id, customer_id, plate, created_at, added_on) VALUES (1, 1, '京A12345', 'x', '2026-01-01');
      INSERT INTO orders (id, number, vehicle_id, customer_id, opened_at, mileage_in, status, delivered_at)
        VALUES (1, 'RO-20260101-0001', 1, 1, '2026-01-01T01:00:00.000Z', 10, 'delivered', '2026-01-01T08:00:00.000Z');
      INSERT INTO payments (id, order_id, amount_cents, method, paid_at) VALUES (7, 1, 5000, 'cash', '2026-01-01T08:00:00.000Z');`);
    await migrate(db);
    expect(await userVersion(db)).toBe(SCHEMA_VERSION);
    expect(await db.all('SELECT id, order_id, amount_cents, method, paid_at FROM payments')).toEqual([
      { id: 7, order_id: 1, amount_cents: 5000, method: 'cash', paid_at: '2026-01-01T08:00:00.000Z' },
    ]);
    expect(await db.get('SELECT first_delivered_at FROM orders')).toEqual({ first_delivered_at: '2026-01-01T08:00:00.000Z' });
    await db.run("INSERT INTO payments (order_id, amount_cents, method, paid_at) VALUES (1, -1000, 'cash', 'y')");
    await db.close();
  });

  it('two processes migrating one new file at once both succeed', async () => {
    const file = tempDbPath();
    const [a, b] = await Promise.all([Db.open(file, { create: true }), Db.open(file, { create: true })]);
    await Promise.all([migrate(a), migrate(b)]);
    expect(await userVersion(a)).toBe(SCHEMA_VERSION);
    expect(await userVersion(b)).toBe(SCHEMA_VERSION);
    await Promise.all([a.close(), b.close()]);
  });

  it('a database from a newer pitstop is refused with exit 5 and left byte for byte', async () => {
    const file = tempDbPath();
    const db = await Db.open(file, { create: true });
    await migrate(db);
    await db.exec('PRAGMA user_version = 99');
    await db.close();
    const before = sha(file);
    let err: unknown;
    try {
      await openContext({ db: file, now: '2026-11-23 10:00', env: {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PitstopError);
    expect((err as PitstopError).exitCode).toBe(5);
    expect((err as PitstopError).message).toMatch(/schema version 99, newer than this pitstop understands \(8\)/);
    expect(sha(file)).toBe(before);
    const check = await Db.open(file, { readonly: true });
    expect(await userVersion(check)).toBe(99);
    await check.close();
  });
});
