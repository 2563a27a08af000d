/**
 * backup / restore / doctor / audit against real database files. The concurrent backup uses a separate
 * writer process (test/fuzz/writer.mjs, through the built adapter in dist/), so build first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testCtx, ROOT } from '../helpers.js';
import { backupDatabase, doctor, listAuditEntries, restoreDatabase } from '../../src/app/admin.js';
import { addCustomer } from '../../src/app/customers.js';
import { addVehicle } from '../../src/app/vehicles.js';
import { setConfig } from '../../src/app/config.js';
import { Db } from '../../src/db/sqlite.js';
import type { Ctx } from '../../src/app/context.js';
import { exitOf } from '../exit.js';

const WRITER = path.join(ROOT, 'test', 'fuzz', 'writer.mjs');
const open: Ctx[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const ctx of open.splice(0)) await ctx.db.close().catch(() => {});
});

async function ctxWithData(): Promise<{ ctx: Ctx; file: string; dir: string }> {
  const dir = tempDir();
  const file = path.join(dir, 'pitstop.db');
  const ctx = await testCtx('2026-11-23 10:00', file);
  open.push(ctx);
  await addCustomer(ctx, { name: '张三', phone: '13800000001' });
  await addCustomer(ctx, { name: '李四', phone: '13800000002' });
  await addVehicle(ctx, { customer: '1', plate: '京A12345', mileage: '50000' });
  return { ctx, file, dir };
}


async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

async function inspect(file: string): Promise<{ integrity: string; customers: number; maxId: number; audit: number }> {
  const db = await Db.open(file, { readonly: true });
  try {
    const integrity = (await db.all<{ integrity_check: string }>('PRAGMA integrity_check')).map((r) => r.integrity_check).join('; ');
    const c = (await db.get<{ n: number; m: number | null }>('SELECT COUNT(*) AS n, MAX(id) AS m FROM customers'))!;
    const a = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))!;
    return { integrity, customers: c.n, maxId: c.m ?? 0, audit: a.n };
  } finally {
    await db.close();
  }
}

function startWriter(file: string, batch: number, extra: string[] = []): { child: ChildProcess; lines: string[]; ready: Promise<void> } {
  const child = spawn(process.execPath, [WRITER, file, String(batch), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const ready = new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
      if (lines.length) resolve();
    });
    child.on('exit', (code) => (lines.length ? resolve() : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
  return { child, lines, ready };
}

describe('backup', () => {
  it('copies the database owner-only, consistent, and refuses to overwrite without --force', async () => {
    const { file, dir } = await ctxWithData();
    const dest = path.join(dir, 'copy.db');
    const r = await backupDatabase(file, dest);
    expect(r.counts.customers).toBe(2);
    expect(r.counts.vehicles).toBe(1);
    expect(fs.statSync(dest).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const seen = await inspect(dest);
    expect(seen.integrity).toBe('ok');
    expect(seen.customers).toBe(2);
    // no WAL beside the copy: it stands alone
    expect(fs.existsSync(`${dest}-wal`)).toBe(false);

    expect(await exitOf(backupDatabase(file, dest))).toBe(4);
    expect(await messageOf(backupDatabase(file, dest))).toContain('--force');
    await expect(backupDatabase(file, dest, { force: true })).resolves.toMatchObject({ file: dest });
    expect(await exitOf(backupDatabase(file, file))).toBe(2);
    expect(await exitOf(backupDatabase(file, path.join(dir, 'no-such-folder', 'x.db')))).toBe(2);
    // no database there: exit 3 (SPEC §9), and nothing made
    expect(await exitOf(backupDatabase(path.join(dir, 'missing.db'), path.join(dir, 'y.db')))).toBe(3);
    expect(fs.existsSync(path.join(dir, 'missing.db'))).toBe(false);
  });

  it('is a consistent snapshot while another process keeps committing batches', async () => {
    const { file, dir } = await ctxWithData();
    const batch = 25;
    const w = startWriter(file, batch);
    await w.ready;
    const results: Array<{ customers: number; writerAt: number }> = [];
    for (let i = 0; i < 6; i++) {
      const dest = path.join(dir, `snap-${i}.db`);
      await backupDatabase(file, dest);
      const seen = await inspect(dest);
      expect(seen.integrity).toBe('ok');
      // the two customers of ctxWithData, then whole batches only: never part of a transaction
      expect((seen.customers - 2) % batch).toBe(0);
      // a prefix: ids have no gaps
      expect(seen.maxId).toBe(seen.customers);
      // one audit row per batch, plus the three of ctxWithData
      expect(seen.audit - 3).toBe((seen.customers - 2) / batch);
      results.push({ customers: seen.customers, writerAt: w.lines.length });
    }
    w.child.kill('SIGKILL');
    // the writer really was writing during the backups: later snapshots hold more
    expect(results[results.length - 1]!.customers).toBeGreaterThan(results[0]!.customers);
    console.log(`[figures] backup under load: ${results.map((r) => r.customers).join(', ')} customers in 6 snapshots; writer committed ${w.lines.length} batches of ${batch}`);
  });
});

describe('restore', () => {
  it('replaces an empty database, needs --force over data, and records itself in the audit log', async () => {
    const { ctx, file, dir } = await ctxWithData();
    const backup = path.join(dir, 'b.db');
    await backupDatabase(file, backup);
    await addCustomer(ctx, { name: '王五', phone: '13800000003' });
    await ctx.db.close();
    open.pop();

    expect(await exitOf(restoreDatabase(file, backup, { actor: 't' }))).toBe(4);
    expect((await inspect(file)).customers).toBe(3); // untouched
    const r = await restoreDatabase(file, backup, { actor: 'admin', force: true, now: '2026-11-23 11:00' });
    expect(r.replaced).toBe(true);
    const seen = await inspect(file);
    expect(seen.customers).toBe(2);
    expect(seen.integrity).toBe('ok');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);

    const ctx2 = await testCtx('2026-11-23 12:00', file);
    open.push(ctx2);
    const rows = await listAuditEntries(ctx2, { entity: 'database' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'restore', actor: 'admin', at_local: '2026-11-23 11:00' });

    // into a place with no database yet: a missing folder only when it may be made (the default data
    // folder), else exit 3 with nothing made
    const fresh = path.join(tempDir(), 'sub', 'new.db');
    expect(await exitOf(restoreDatabase(fresh, backup, { actor: 't' }))).toBe(3);
    expect(fs.existsSync(path.dirname(fresh))).toBe(false);
    await expect(restoreDatabase(fresh, backup, { actor: 't', mayCreateFolder: true })).resolves.toMatchObject({ replaced: false });
    expect((await inspect(fresh)).customers).toBe(2);
  });

  it('refuses files that are not pitstop databases (exit 2) or come from a newer pitstop (exit 5)', async () => {
    const { file, dir } = await ctxWithData();
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'hello, not a database\n'.repeat(20));
    expect(await exitOf(restoreDatabase(file, junk, { actor: 't', force: true }))).toBe(2);
    expect(await messageOf(restoreDatabase(file, junk, { actor: 't', force: true }))).toContain('junk.db');

    expect(await exitOf(restoreDatabase(file, path.join(dir, 'absent.db'), { actor: 't', force: true }))).toBe(2);

    const other = path.join(dir, 'other.db');
    const o = await Db.open(other, { create: true });
    await o.exec('CREATE TABLE things (a); INSERT INTO things VALUES (1)');
    await o.close();
    expect(await exitOf(restoreDatabase(file, other, { actor: 't', force: true }))).toBe(2);
    expect(await messageOf(restoreDatabase(file, other, { actor: 't', force: true }))).toContain('tables missing');

    const newer = path.join(dir, 'newer.db');
    await backupDatabase(file, newer);
    const n = await Db.open(newer);
    await n.exec('PRAGMA user_version = 99');
    await n.close();
    expect(await exitOf(restoreDatabase(file, newer, { actor: 't', force: true }))).toBe(5);
    expect(await messageOf(restoreDatabase(file, newer, { actor: 't', force: true }))).toContain('newer');

    // a half-written (truncated) backup
    const cut = path.join(dir, 'cut.db');
    await backupDatabase(file, path.join(dir, 'whole.db'));
    const whole = fs.readFileSync(path.join(dir, 'whole.db'));
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    expect([2, 5]).toContain(await exitOf(restoreDatabase(file, cut, { actor: 't', force: true })));

    // none of that touched the database
    const seen = await inspect(file);
    expect(seen.customers).toBe(2);
    expect(seen.integrity).toBe('ok');
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses while another process is using the database', async () => {
    const { ctx, file, dir } = await ctxWithData();
    const backup = path.join(dir, 'b.db');
    await backupDatabase(file, backup);
    // ctx still holds the database open
    const err = await messageOf(restoreDatabase(file, backup, { actor: 't', force: true }));
    expect(err).toContain('in use');
    expect(await exitOf(restoreDatabase(file, backup, { actor: 't', force: true }))).toBe(5);
    expect(await addCustomer(ctx, { name: '赵六', phone: '13800000004' })).toMatchObject({ id: 3 });
  });
});

describe('doctor', () => {
  it('passes a healthy database and names each kind of problem', async () => {
    const { ctx, file } = await ctxWithData();
    await setConfig(ctx, 'shop.bays', '6');
    let report = await doctor(file);
    expect(report.ok).toBe(true);
    expect((await doctor(file, { quick: true })).ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['integrity', 'schema', 'foreign keys', 'orphan rows', 'settings', 'odometer', 'order totals', 'last maintenance', 'schedules', 'job runs', 'leftovers']);

    // break things the way an outside SQL tool could
    await ctx.db.exec(`
      PRAGMA foreign_keys = OFF;
      INSERT INTO vehicles (customer_id, plate, created_at, added_on) VALUES (999, '京B99999', '2026-11-01T00:00:00.000Z', '2026-11-01');
      UPDATE settings SET value = 'many' WHERE key = 'shop.bays';
      INSERT INTO settings (key, value) VALUES ('no.such.key', 'x');
      INSERT INTO orders (number, vehicle_id, customer_id, opened_at, mileage_in, total_cents, paid_cents, status)
        VALUES ('R20261125-001', 1, 1, '2026-11-25T02:00:00.000Z', 40000, 12345, 0, 'open');
      -- a replaced odometer: a lower reading accepted with --force (audited), and one after it
      INSERT INTO vehicles (customer_id, plate, initial_km, created_at, added_on) VALUES (1, '京C33333', 90000, '2026-11-23T02:00:00.000Z', '2026-11-23');
      INSERT INTO orders (number, vehicle_id, customer_id, opened_at, mileage_in, status)
        VALUES ('R20261125-002', (SELECT id FROM vehicles WHERE plate = '京C33333'), 1, '2026-11-25T02:00:00.000Z', 1000, 'open'),
               ('R20261127-001', (SELECT id FROM vehicles WHERE plate = '京C33333'), 1, '2026-11-27T02:00:00.000Z', 3000, 'open');
      INSERT INTO audit_log (at, actor, action, entity, entity_id, details)
        VALUES ('2026-11-25T02:00:00.000Z', 'test', 'open', 'order', 'R20261125-002', '{"plate":"京C33333","mileage":1000,"forced":"odometer replaced"}');
      PRAGMA foreign_keys = ON;
    `);
    report = await doctor(file);
    expect(report.ok).toBe(false);
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName['integrity']!.ok).toBe(true);
    expect(byName['foreign keys']!.ok).toBe(false);
    expect(byName['orphan rows']!.details.join()).toContain('vehicles without a customer');
    expect(byName['settings']!.details.join('\n')).toMatch(/shop\.bays = "many"/);
    expect(byName['settings']!.details.join('\n')).toContain('no.such.key');
    expect(byName['odometer']!.details.join()).toContain('京A12345');
    expect(byName['odometer']!.details.join()).toContain('40000 km on 2026-11-25');
    // the forced reading and the one after the replaced odometer are not problems
    expect(byName['odometer']!.details.join()).not.toContain('京C33333');
    expect(byName['odometer']!.details).toHaveLength(1);
    expect(byName['order totals']!.details.join()).toContain('R20261125-001');
  });

  it('reports a damaged file and refuses what it cannot read (exit 5)', async () => {
    const { ctx, file, dir } = await ctxWithData();
    for (let i = 0; i < 200; i++) await addCustomer(ctx, { name: `客户${i}`, phone: `137${String(i).padStart(8, '0')}`, note: 'x'.repeat(500) });
    await ctx.db.close();
    open.pop();
    // scribble over the middle of the file (not the header)
    const fd = fs.openSync(file, 'r+');
    const size = fs.fstatSync(fd).size;
    fs.writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor((size * 3) / 4 / 4096) * 4096);
    fs.closeSync(fd);
    // the damage is reported (exit 4 from the CLI), not a refusal to look
    const full = await doctor(file);
    const quick = await doctor(file, { quick: true });
    for (const report of [full, quick]) {
      expect(report.ok).toBe(false);
      const integrity = report.checks.find((c) => c.name === 'integrity')!;
      expect(integrity.ok).toBe(false);
      expect(integrity.summary).toContain('restore a backup');
      expect(integrity.details.length).toBeGreaterThan(0);
    }
    console.log(`[figures] doctor on a scribbled-over file: ${full.checks.filter((c) => !c.ok).map((c) => c.name).join(', ')} flagged; first: ${full.checks[0]!.details[0]}`);
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database at all');
    expect(await exitOf(doctor(junk))).toBe(5);
    expect(await exitOf(doctor(path.join(dir, 'absent.db')))).toBe(3);
  });
});

describe('audit listing', () => {
  it('filters by entity, id and since, newest first', async () => {
    const { ctx } = await ctxWithData();
    ctx.now = new Date('2026-11-24T03:00:00.000Z'); // 11:00 shop time on the 24th
    await setConfig(ctx, 'shop.bays', '6');
    const all = await listAuditEntries(ctx, {});
    expect(all.map((r) => r.action)).toEqual(['set', 'add', 'add', 'add']);
    expect((await listAuditEntries(ctx, { entity: 'customer' })).map((r) => r.entity_id)).toEqual(['2', '1']);
    expect(await listAuditEntries(ctx, { entity: 'customer', id: '2' })).toHaveLength(1);
    expect((await listAuditEntries(ctx, { since: '2026-11-24' })).map((r) => r.entity)).toEqual(['setting']);
    expect(await listAuditEntries(ctx, { since: '2026-11-24 11:01' })).toHaveLength(0);
    expect(await listAuditEntries(ctx, { limit: 2 })).toHaveLength(2);
    expect(all[0]).toMatchObject({ actor: 'test', entity: 'setting', entity_id: 'shop.bays', details: { from: '4', to: '6' }, at_local: '2026-11-24 11:00' });
    expect(await exitOf(listAuditEntries(ctx, { since: 'yesterday' }))).toBe(2);
    expect(await exitOf(listAuditEntries(ctx, { entity: "x'; DROP TABLE audit_log;--" }))).toBe(2);
  });
});
