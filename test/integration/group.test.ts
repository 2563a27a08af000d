/**
 * Issue 18, SPEC §15, §16: a dealer group on PostgreSQL — against the server PITSTOP_TEST_PG names
 * (CI), else an embedded PGlite (test/group-helpers.ts). Three generated stores push; the group holds
 * exactly each store's rows (count and checksum of every pushed table); each write path's change
 * arrives; the group reports equal each store's own jobs; row-level security holds each store to its
 * own rows; a newer group schema is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext, type Ctx } from '../../src/app/context.js';
import { addGroupStore, initGroup, pushGroup } from '../../src/app/group.js';
import { groupReport, GROUP_ROW } from '../../src/app/group-reports.js';
import { setConfig } from '../../src/app/config.js';
import { revenueReport } from '../../jobs/revenue-columns.js';
import { callbackStatsReport } from '../../jobs/callback-stats.js';
import arrears from '../../jobs/arrears.js';
import { monthPeriod, weekPeriod } from '../../src/domain/jobs/periods.js';
import { formatStatValue } from '../../src/domain/callbackStats.js';
import { PitstopError } from '../../src/errors.js';
import { cliFor, tempDir } from '../helpers.js';
import { groupChecksums, pgQuery, realServer, SKIP_PGLITE, startTestPg, storeChecksums, type TestPg } from '../group-helpers.js';

const NOW = '2026-12-01 10:00';
const STORES = [
  { code: 'SH01', seed: 11 },
  { code: 'BJ-02', seed: 22 },
  { code: 'GZ03', seed: 33 },
];

let pg: TestPg;
const ctxs = new Map<string, Ctx>();
const files = new Map<string, string>();
const passwords = new Map<string, string>();

async function storeCtx(code: string): Promise<Ctx> {
  return openContext({ db: files.get(code)!, now: NOW, actor: 'test', env: {} });
}

beforeAll(async () => {
  pg = await startTestPg();
  const dir = tempDir('pitstop-group-');
  for (const s of STORES) {
    const file = path.join(dir, `${s.code}.db`);
    const r = cliFor(file, NOW)(['demo', '--size', 'small', '--seed', String(s.seed)]);
    expect(r.code, r.stderr).toBe(0);
    files.set(s.code, file);
  }
  await initGroup(pg.url);
  for (const s of STORES) {
    const added = await addGroupStore(pg.url, s.code, `store ${s.code}`);
    passwords.set(s.code, added.password);
    const ctx = await storeCtx(s.code);
    await setConfig(ctx, 'group.store', s.code);
    ctxs.set(s.code, ctx);
  }
}, 180_000);

afterAll(async () => {
  for (const ctx of ctxs.values()) await ctx.db.close().catch(() => {});
  await pg?.stop();
});

const code = (s: string) => s.toUpperCase();

describe('group push (SPEC §15, §16)', () => {
  it('a first push sends every table whole; the group then holds exactly each store\'s rows', async () => {
    for (const s of STORES) {
      const r = await pushGroup(ctxs.get(s.code)!, { url: pg.url, batch: 700 });
      expect(r.first).toBe(true);
      expect(r.rows).toBeGreaterThan(1000);
    }
    for (const s of STORES) {
      expect(await groupChecksums(pg.url, code(s.code))).toEqual(await storeChecksums(ctxs.get(s.code)!.db));
    }
    // the stores' data differ (different seeds), so equal checksums are not an accident
    const a = await storeChecksums(ctxs.get('SH01')!.db);
    const b = await storeChecksums(ctxs.get('GZ03')!.db);
    expect(a.orders).not.toEqual(b.orders);
  });

  it('pushing again changes nothing, and the store\'s change log is pruned', async () => {
    const ctx = ctxs.get('SH01')!;
    const r = await pushGroup(ctx, { url: pg.url });
    expect(r).toMatchObject({ rows: 0, deleted: 0, first: false });
    expect((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM group_changes'))!.n).toBe(0);
  });

  it('a change by each write path arrives: the app, an import, a correction (merge → tombstone), outside SQL', async () => {
    const ctx = ctxs.get('BJ-02')!;
    const run = cliFor(files.get('BJ-02')!, NOW);
    // the app
    expect(run(['customer', 'add', '--name', '新客户', '--phone', '13900000001', '-q']).code).toBe(0);
    // an import
    const csv = path.join(tempDir(), 'c.csv');
    fs.writeFileSync(csv, 'name,phone\n导入客户,13900000002\n另一个,13900000003\n');
    const imp = run(['import', 'customers', csv]);
    expect(imp.code, imp.stderr).toBe(0);
    // a correction: merge one customer into another (the merged one is deleted in the store)
    const merged = await ctx.db.get<{ id: number }>(`SELECT id FROM customers WHERE phone = '13900000003'`);
    const m = run(['customer', 'merge', '13900000003', '--into', '13900000002', '--force']);
    expect(m.code, m.stderr).toBe(0);
    // outside SQL: an update and a delete the app never made
    await ctx.db.run(`UPDATE vehicles SET color = '外部修改' WHERE id = 1`);
    const gone = await ctx.db.get<{ id: number }>(`SELECT max(id) AS id FROM callbacks`);
    await ctx.db.run(`DELETE FROM callbacks WHERE id = ?`, [gone!.id]);
    expect((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM group_changes'))!.n).toBeGreaterThan(4);

    const r = await pushGroup(ctx, { url: pg.url });
    expect(r.first).toBe(false);
    expect(r.deleted).toBe(2);
    expect(await groupChecksums(pg.url, 'BJ-02')).toEqual(await storeChecksums(ctx.db));
    const names = (await pgQuery(pg.url, `SELECT name FROM pitstop.customers WHERE store = 'BJ-02' AND phone LIKE '139000000%' ORDER BY phone`)).rows.map((x) => x.name);
    expect(names).toEqual(['新客户', '导入客户']);
    const tomb = (await pgQuery(pg.url, `SELECT tbl, id::int AS id FROM pitstop.tombstones WHERE store = 'BJ-02' ORDER BY tbl`)).rows;
    expect(tomb).toEqual([{ tbl: 'callbacks', id: gone!.id }, { tbl: 'customers', id: merged!.id }]);
    expect((await pgQuery(pg.url, `SELECT color FROM pitstop.vehicles WHERE store = 'BJ-02' AND id = 1`)).rows[0].color).toBe('外部修改');
  });

  it('a change log rewound behind the group (a restored backup) sends every table again, so nothing is skipped', async () => {
    const ctx = ctxs.get('GZ03')!;
    await ctx.db.run(`UPDATE customers SET note = 'before the backup' WHERE id <= 10`);
    expect((await pushGroup(ctx, { url: pg.url })).rows).toBe(10);
    // as after restoring last week's backup: the log's numbering starts below what the group holds
    await ctx.db.run(`UPDATE sqlite_sequence SET seq = 1 WHERE name = 'group_changes'`);
    await ctx.db.run(`UPDATE customers SET note = 'after the restore' WHERE id = 5`);
    const r = await pushGroup(ctx, { url: pg.url, batch: 5000 });
    expect(r.first).toBe(true);
    expect(await groupChecksums(pg.url, 'GZ03')).toEqual(await storeChecksums(ctx.db));
    expect((await pushGroup(ctx, { url: pg.url })).rows).toBe(0);
  });

  it('after a restore from an older backup, the group again holds exactly the store: rows made since the backup leave as tombstones', async () => {
    const file = path.join(tempDir(), 'rst.db');
    const run = cliFor(file, NOW);
    expect(run(['demo', '--seed', '44']).code).toBe(0);
    await addGroupStore(pg.url, 'RST', 'restored store');
    expect(run(['config', 'set', 'group.store', 'RST']).code).toBe(0);
    expect(run(['group', 'push', '--pg', pg.url]).code).toBe(0);
    const backup = path.join(tempDir(), 'backup.db');
    expect(run(['backup', backup]).code).toBe(0);
    expect(run(['customer', 'add', '--name', '备份之后', '--phone', '13800009999', '-q']).code).toBe(0);
    expect(run(['group', 'push', '--pg', pg.url]).stdout).toMatch(/: 1 row in/);
    const added = (await pgQuery(pg.url, `SELECT id::int AS id FROM pitstop.customers WHERE store = 'RST' AND phone = '13800009999'`)).rows;
    expect(added).toHaveLength(1);
    const restored = run(['restore', backup, '--force']);
    expect(restored.code, restored.stderr).toBe(0);
    const push = run(['group', 'push', '--pg', pg.url], { PITSTOP_GROUP_BATCH: '400' });
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toMatch(/, 1 deleted \(first push: every table\)/);
    const ctx = await openContext({ db: file, now: NOW, actor: 'test', env: {} });
    try {
      expect(await groupChecksums(pg.url, 'RST')).toEqual(await storeChecksums(ctx.db));
    } finally {
      await ctx.db.close();
    }
    expect((await pgQuery(pg.url, `SELECT id::int AS id FROM pitstop.tombstones WHERE store = 'RST' AND tbl = 'customers'`)).rows).toEqual(added);
  });

  it('a store not in a group records no changes; none are lost once it joins (the first push sends the tables whole)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'solo.db');
    expect(cliFor(file, NOW)(['customer', 'add', '--name', '独立', '--phone', '13700000000', '-q']).code).toBe(0);
    const ctx = await openContext({ db: file, now: NOW, actor: 'test', env: {} });
    try {
      expect((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM group_changes'))!.n).toBe(0);
      await setConfig(ctx, 'group.store', 'SOLO');
      await ctx.db.run(`UPDATE customers SET note = 'x'`);
      expect((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM group_changes'))!.n).toBe(1);
    } finally {
      await ctx.db.close();
    }
  });
});

describe('group report equals each store\'s own jobs (SPEC §15)', () => {
  const strip = <T extends { store: string }>(rows: T[], store: string) => rows.filter((r) => r.store === store).map(({ store: _s, ...rest }) => rest);

  it('revenue: every store, three months and a week, with the group rows adding them up', async () => {
    for (const period of [monthPeriod('2026-09'), monthPeriod('2026-10'), monthPeriod('2026-11'), weekPeriod('2026-W47')]) {
      const args = period.key.includes('W') ? { week: period.key } : { month: period.key };
      const report = await groupReport('revenue', { url: pg.url, now: new Date(), ...args, stores: STORES.map((x) => x.code) });
      if (report.kind !== 'revenue') throw new Error('kind');
      let orders = 0;
      for (const s of STORES) {
        const own = await revenueReport(ctxs.get(s.code)!, period);
        expect(strip(report.rows, code(s.code)), `${s.code} ${period.key}`).toEqual(own);
        orders += own[0]!.orders;
      }
      const group = report.rows.filter((r) => r.store === GROUP_ROW && r.dimension === 'total')[0]!;
      expect(group.orders).toBe(orders);
      expect(orders).toBeGreaterThan(0);
    }
  });

  it('callbacks: every store, two months', async () => {
    for (const month of ['2026-10', '2026-11']) {
      const report = await groupReport('callbacks', { url: pg.url, now: new Date(), month });
      if (report.kind !== 'callbacks') throw new Error('kind');
      for (const s of STORES) {
        const own = await callbackStatsReport(ctxs.get(s.code)!, monthPeriod(month));
        expect(strip(report.rows, code(s.code)).map(formatStatValue), `${s.code} ${month}`).toEqual(own.map(formatStatValue));
        expect(strip(report.rows, code(s.code)).map((r) => [r.metric, r.key])).toEqual(own.map((r) => [r.metric, r.key]));
      }
    }
  });

  it('arrears: every store, today and a past day; --store picks stores', async () => {
    for (const date of ['2026-12-01', '2026-10-15']) {
      const report = await groupReport('arrears', { url: pg.url, now: new Date(), date, stores: ['sh01', 'GZ03'] });
      if (report.kind !== 'arrears') throw new Error('kind');
      expect(report.stores.map((s) => s.code)).toEqual(['GZ03', 'SH01']);
      for (const s of ['SH01', 'GZ03']) {
        const ctx = ctxs.get(s)!;
        const own = [];
        for await (const page of arrears.rows({ ctx: { ...ctx }, day: date } as never)) own.push(...page);
        // last_contact is checked against the job's file, through the binary (test/e2e/group.test.ts)
        expect(strip(report.rows, s).map(({ last_contact: _l, ...r }) => r), `${s} ${date}`).toEqual(own);
        expect(own.length).toBeGreaterThan(0);
      }
    }
  });

  it('an unknown --store is exit 3 naming it', async () => {
    const err = await groupReport('revenue', { url: pg.url, now: new Date(), stores: ['NOPE'] }).catch((e) => e);
    expect(err).toBeInstanceOf(PitstopError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/store NOPE \(--store\) is not in the group/);
  });
});

describe('group schema versions (SPEC §15, §16)', () => {
  it('init is idempotent; a newer schema is refused by init and push, untouched; a newer compatible one takes pushes', async () => {
    const again = await initGroup(pg.url);
    expect(again).toMatchObject({ from: 1, to: 1 });
    expect(again.headOfficePassword).toBeUndefined();
    await pgQuery(pg.url, `UPDATE pitstop.meta SET value = '2' WHERE key = 'schema_version'`);
    // additive: compatible_from stays 1, so this pitstop still pushes
    const ctx = ctxs.get('SH01')!;
    await ctx.db.run(`UPDATE customers SET note = 'newer schema' WHERE id = 2`);
    expect((await pushGroup(ctx, { url: pg.url })).rows).toBe(1);
    // but it does not "upgrade" a schema it does not know
    const init = await initGroup(pg.url).catch((e) => e);
    expect(init.message).toMatch(/has group schema 2, newer than this pitstop understands \(1\)/);
    await pgQuery(pg.url, `UPDATE pitstop.meta SET value = '2' WHERE key = 'compatible_from'`);
    await ctx.db.run(`UPDATE customers SET note = 'refused' WHERE id = 2`);
    const push = await pushGroup(ctx, { url: pg.url }).catch((e) => e);
    expect(push).toBeInstanceOf(PitstopError);
    expect(push.message).toMatch(/needs pitstop group schema 2 or later to push \(this pitstop has 1\)/);
    // the store keeps its change for later
    expect((await ctx.db.get<{ n: number }>('SELECT count(*) AS n FROM group_changes'))!.n).toBe(1);
    expect((await pgQuery(pg.url, `SELECT note FROM pitstop.customers WHERE store = 'SH01' AND id = 2`)).rows[0].note).toBe('newer schema');
    await pgQuery(pg.url, `UPDATE pitstop.meta SET value = '1' WHERE key IN ('schema_version', 'compatible_from')`);
    expect((await pushGroup(ctx, { url: pg.url })).rows).toBe(1);
  });
});

describe('row-level security (SPEC §15, §16)', () => {
  /** Run statements as a role: logged in as it on a real server; SET ROLE on PGlite (one login). */
  async function asRole<T>(role: string, password: string, fn: (q: (sql: string, params?: unknown[]) => Promise<{ rows: any[]; rowCount: number | null }>) => Promise<T>): Promise<T> {
    const pgmod = (await import('pg')).default;
    const c = new pgmod.Client({ connectionString: pg.kind === 'server' ? pg.as(role, password) : pg.url });
    await c.connect();
    try {
      if (pg.kind === 'pglite') await c.query(`SET ROLE "${role}"`);
      const who = (await c.query('SELECT current_user AS u')).rows[0].u;
      expect(who).toBe(role);
      return await fn((sql, params) => c.query(sql, params) as never);
    } finally {
      // PGlite's one backend outlives the connection: give it back its own role
      if (pg.kind === 'pglite') await c.query('RESET ROLE').catch(() => {});
      await c.end();
    }
  }
  const storeRole = (c: string) => `${pg.database}_store_${c.toLowerCase().replace(/-/g, '_')}`;

  it('a store reads and writes only its own rows, even with a forged store code', async () => {
    await asRole(storeRole('SH01'), passwords.get('SH01')!, async (q) => {
      const stores = (await q('SELECT DISTINCT store FROM pitstop.orders')).rows.map((r) => r.store);
      expect(stores).toEqual(['SH01']);
      expect((await q(`SELECT count(*)::int AS n FROM pitstop.customers WHERE store = 'GZ03'`)).rows[0].n).toBe(0);
      // forging: insert as another store
      await expect(q(`INSERT INTO pitstop.customers (store, id, name, phone) VALUES ('GZ03', 999999, 'x', 'y')`)).rejects.toThrow(/row-level security/);
      // update and delete of another store's rows touch nothing
      expect((await q(`UPDATE pitstop.customers SET name = 'hacked' WHERE store = 'GZ03'`)).rowCount).toBe(0);
      expect((await q(`DELETE FROM pitstop.orders WHERE store = 'GZ03'`)).rowCount).toBe(0);
      // moving an own row to another store is refused too
      await expect(q(`UPDATE pitstop.customers SET store = 'GZ03' WHERE store = 'SH01' AND id = 1`)).rejects.toThrow(/row-level security/);
      // session settings do not change who the store is
      await q(`SET application_name = 'GZ03'`);
      expect((await q(`SELECT count(*)::int AS n FROM pitstop.orders WHERE store <> 'SH01'`)).rows[0].n).toBe(0);
      // nor can it become another store's role (on PGlite the session's login is the superuser's)
      if (pg.kind === 'server') await expect(q(`SET ROLE "${storeRole('GZ03')}"`)).rejects.toThrow(/permission denied/);
      // it sees only its own push state and store row
      expect((await q('SELECT store FROM pitstop.push_state')).rows).toEqual([{ store: 'SH01' }]);
      expect((await q('SELECT code FROM pitstop.stores')).rows).toEqual([{ code: 'SH01' }]);
    });
    expect((await pgQuery(pg.url, `SELECT count(*)::int AS n FROM pitstop.customers WHERE name = 'hacked'`)).rows[0].n).toBe(0);
  });

  it('head office reads every store and writes none', async () => {
    const role = `${pg.database}_head_office`;
    const password = 'unused-on-trust';
    await asRole(role, password, async (q) => {
      const stores = (await q('SELECT DISTINCT store FROM pitstop.orders ORDER BY 1')).rows.map((r) => r.store);
      expect(stores).toEqual(expect.arrayContaining(['BJ-02', 'GZ03', 'SH01']));
      await expect(q(`INSERT INTO pitstop.customers (store, id, name, phone) VALUES ('SH01', 999998, 'x', 'y')`)).rejects.toThrow(/permission denied/);
      await expect(q(`UPDATE pitstop.orders SET total_cents = 0`)).rejects.toThrow(/permission denied/);
      await expect(q(`DELETE FROM pitstop.orders`)).rejects.toThrow(/permission denied/);
    });
  });

  it.skipIf(!realServer)('a store pushes with its own login; another store\'s login is refused as that store', async () => {
    const ctx = ctxs.get('GZ03')!;
    await ctx.db.run(`UPDATE customers SET note = 'own login' WHERE id = 3`);
    const own = await pushGroup(ctx, { url: pg.as(storeRole('GZ03'), passwords.get('GZ03')!) });
    expect(own.rows).toBe(1);
    await ctx.db.run(`UPDATE customers SET note = 'wrong login' WHERE id = 3`);
    const err = await pushGroup(ctx, { url: pg.as(storeRole('SH01'), passwords.get('SH01')!) }).catch((e) => e);
    expect(err.message).toMatch(/logs in as store SH01's role .* but group.store is GZ03/);
    expect((await pgQuery(pg.url, `SELECT note FROM pitstop.customers WHERE store = 'GZ03' AND id = 3`)).rows[0].note).toBe('own login');
  });

  it.skipIf(!realServer)(`two pushes at once from one store never duplicate (${SKIP_PGLITE})`, async () => {
    const file = files.get('SH01')!;
    const a = await storeCtx('SH01');
    const b = await storeCtx('SH01');
    try {
      await a.db.run(`UPDATE order_lines SET description = description || ' ' WHERE id % 3 = 0`);
      const [ra, rb] = await Promise.all([pushGroup(a, { url: pg.url, batch: 200 }), pushGroup(b, { url: pg.url, batch: 200 })]);
      expect(ra.rows + rb.rows).toBeGreaterThan(0);
      expect(await groupChecksums(pg.url, 'SH01')).toEqual(await storeChecksums(a.db));
      expect(file).toBeTruthy();
    } finally {
      await a.db.close();
      await b.db.close();
    }
  });
});
