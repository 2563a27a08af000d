/**
 * The group's part of `npm run bench` (issue 18, SPEC §15, §16), against the PostgreSQL that
 * PITSTOP_BENCH_PG (else PITSTOP_TEST_PG) names, in a database of its own that is dropped afterwards:
 *
 * 1. `group push` of the large data set into an empty group (target: under 5 minutes);
 * 2. `group push` of a busy day's changes made since (target: under 2 seconds);
 * 3. the data set split into 20 stores of about 50 000 orders (by customer, in PostgreSQL), then
 *    `group report revenue --month` over the 20 (target: under 2 seconds), and callbacks and arrears.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { GROUP_TABLES } from '../src/db/group/tables.js';

export interface GroupRun {
  ms: number;
  rssKb: number | null;
  code: number;
  stdout: string;
  stderr: string;
}

export interface GroupResult {
  name: string;
  ms: number | null;
  peak_mb: number | null;
  target_ms: number | null;
  note: string;
}

const STORES = 20;

async function sql(url: string, text: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, params);
  } finally {
    await c.end();
  }
}

/** Which customer a row belongs to, for the split: an expression over the table's alias `t`. */
const OWNER: Record<string, { join: string; customer: string } | null> = {
  customers: { join: '', customer: 't.id' },
  vehicles: { join: '', customer: 't.customer_id' },
  orders: { join: '', customer: 't.customer_id' },
  bookings: { join: '', customer: 't.customer_id' },
  complaints: { join: '', customer: 't.customer_id' },
  contact_log: { join: '', customer: 't.customer_id' },
  outbox: { join: '', customer: 't.customer_id' },
  order_lines: { join: 'JOIN pitstop.orders o ON o.store = t.store AND o.id = t.order_id', customer: 'o.customer_id' },
  payments: { join: 'JOIN pitstop.orders o ON o.store = t.store AND o.id = t.order_id', customer: 'o.customer_id' },
  order_adjustments: { join: 'JOIN pitstop.orders o ON o.store = t.store AND o.id = t.order_id', customer: 'o.customer_id' },
  callbacks: { join: 'JOIN pitstop.orders o ON o.store = t.store AND o.id = t.order_id', customer: 'o.customer_id' },
  findings: { join: 'JOIN pitstop.vehicles v ON v.store = t.store AND v.id = t.vehicle_id', customer: 'v.customer_id' },
  deposit_moves: { join: 'JOIN pitstop.bookings b ON b.store = t.store AND b.id = t.booking_id', customer: 'b.customer_id' },
  // every store has its staff and its job runs
  staff: null,
  job_runs: null,
};

const code = (i: number) => `S${String(i + 1).padStart(2, '0')}`;

export async function benchGroup(
  largeFile: string, server: string, work: string, runCli: (args: string[]) => GroupRun, log: (line: string) => void,
): Promise<GroupResult[]> {
  const database = `pitstop_bench_${crypto.randomBytes(3).toString('hex')}`;
  await sql(server, `CREATE DATABASE ${database}`);
  const u = new URL(server);
  u.pathname = `/${database}`;
  const url = u.toString();
  const results: GroupResult[] = [];
  const must = (r: GroupRun, what: string) => {
    if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr.trim()}`);
    return r;
  };
  try {
    must(runCli(['group', 'init', '--pg', url]), 'group init');
    must(runCli(['group', 'store', 'add', 'BIG', '--name', 'the large data set', '--pg', url]), 'group store add');
    const store = path.join(work, 'group-store.db');
    log('bench: group: copying the large data set');
    fs.copyFileSync(largeFile, store);
    must(runCli(['--db', store, 'config', 'set', 'group.store', 'BIG']), 'config set');

    log('bench: group push of the large data set into an empty group');
    const full = must(runCli(['--db', store, 'group', 'push', '--pg', url]), 'group push');
    results.push({ name: 'group push (large set, empty group)', ms: full.ms, peak_mb: full.rssKb && full.rssKb / 1024, target_ms: 300_000, note: full.stdout.trim() });

    // a busy day at the desk: orders, lines, payments, callbacks and customers touched, a few deleted
    const { Db } = await import('../src/db/sqlite.js');
    const db = await Db.open(store);
    try {
      await db.exec(`BEGIN;
        UPDATE orders SET complaint = coalesce(complaint, '') || ' ' WHERE id IN (SELECT id FROM orders ORDER BY id DESC LIMIT 300);
        UPDATE order_lines SET description = description || ' ' WHERE id IN (SELECT id FROM order_lines ORDER BY id DESC LIMIT 900);
        INSERT INTO payments (order_id, amount_cents, method, paid_at) SELECT order_id, 100, method, paid_at FROM payments ORDER BY id DESC LIMIT 300;
        UPDATE callbacks SET comment = coalesce(comment, '') || ' ' WHERE id IN (SELECT id FROM callbacks ORDER BY id DESC LIMIT 200);
        UPDATE customers SET note = coalesce(note, '') || ' ' WHERE id IN (SELECT id FROM customers ORDER BY id DESC LIMIT 200);
        UPDATE bookings SET complaint = coalesce(complaint, '') || ' ' WHERE id IN (SELECT id FROM bookings ORDER BY id DESC LIMIT 100);
        DELETE FROM callbacks WHERE id IN (SELECT id FROM callbacks ORDER BY id DESC LIMIT 20);
        COMMIT;`);
    } finally {
      await db.close();
    }
    log('bench: group push of a day\'s changes');
    const day = must(runCli(['--db', store, 'group', 'push', '--pg', url]), 'group push (a day)');
    results.push({ name: 'group push (a day\'s changes)', ms: day.ms, peak_mb: day.rssKb && day.rssKb / 1024, target_ms: 2_000, note: day.stdout.trim() });

    log(`bench: group: splitting the data set into ${STORES} stores (by customer)`);
    const t0 = Date.now();
    for (let i = 0; i < STORES; i++) must(runCli(['group', 'store', 'add', code(i), '--name', `store ${i + 1}`, '--pg', url]), 'group store add');
    const storeOf = (customer: string) => `'S' || lpad(((${customer}) % ${STORES} + 1)::text, 2, '0')`;
    for (const t of GROUP_TABLES) {
      const cols = t.columns.map(([c]) => `t."${c}"`).join(', ');
      const owner = OWNER[t.name];
      if (owner) {
        await sql(url, `INSERT INTO pitstop."${t.name}" SELECT ${storeOf(owner.customer)}, ${cols} FROM pitstop."${t.name}" t ${owner.join} WHERE t.store = 'BIG'`);
      } else {
        await sql(url, `INSERT INTO pitstop."${t.name}" SELECT s.code, ${cols} FROM pitstop."${t.name}" t CROSS JOIN pitstop.stores s WHERE t.store = 'BIG' AND s.code <> 'BIG'`);
      }
    }
    for (const t of GROUP_TABLES) await sql(url, `DELETE FROM pitstop."${t.name}" WHERE store = 'BIG'`);
    await sql(url, `DELETE FROM pitstop.push_state WHERE store = 'BIG'`);
    await sql(url, `DELETE FROM pitstop.stores WHERE code = 'BIG'`);
    await sql(url, 'VACUUM ANALYZE');
    const perStore = (await sql(url, `SELECT min(n)::int AS lo, max(n)::int AS hi FROM (SELECT count(*) AS n FROM pitstop.orders GROUP BY store) x`)).rows[0];
    results.push({ name: `split into ${STORES} stores (setup, SQL)`, ms: Date.now() - t0, peak_mb: null, target_ms: null, note: `${perStore.lo}–${perStore.hi} orders a store` });

    const reports: Array<[string, string[], number | null]> = [
      ['revenue', ['--month', '2026-10'], 2_000],
      ['callbacks', ['--month', '2026-10'], null],
      ['arrears', ['--date', '2026-11-20'], null],
    ];
    for (const [kind, args, target] of reports) {
      const runs: GroupRun[] = [];
      for (let i = 0; i < 3; i++) runs.push(must(runCli(['group', 'report', kind, ...args, '--pg', url, '--format', 'csv']), `group report ${kind}`));
      runs.sort((a, b) => a.ms - b.ms);
      const mid = runs[1]!;
      results.push({ name: `group report ${kind} ${args.join(' ')} (${STORES} stores)`, ms: mid.ms, peak_mb: mid.rssKb && mid.rssKb / 1024, target_ms: target, note: `${mid.stdout.trim().split('\n').length - 1} rows` });
    }
    return results;
  } finally {
    // PITSTOP_BENCH_KEEP=1 keeps the group database (and its roles) to study the plans afterwards
    if (process.env.PITSTOP_BENCH_KEEP === '1') log(`bench: group: kept the database ${database}`);
    else await dropGroup(server, database);
  }
}

async function dropGroup(server: string, database: string): Promise<void> {
  await sql(server, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  const roles = (await sql(server, `SELECT rolname FROM pg_roles WHERE rolname LIKE $1`, [`${database}\\_%`])).rows.map((r) => r.rolname as string);
  roles.sort((a, b) => Number(b.includes('_store_')) - Number(a.includes('_store_')));
  for (const r of roles) await sql(server, `DROP ROLE IF EXISTS "${r}"`).catch(() => {});
}
