/**
 * Faults through the built binary: a read-only database (file and folder), a full disk (a small tmpfs
 * mounted for the test; skipped with a message where mounting is not allowed — the in-process
 * equivalent with PRAGMA max_page_count is in test/integration/faults.test.ts), and SIGKILL in the
 * middle of an import, a multi-step transaction and a CSV write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cliFor, ROOT, tempDir } from '../helpers.js';

const WRITER = path.join(ROOT, 'test', 'fuzz', 'writer.mjs');
const SQL = path.join(ROOT, 'test', 'fuzz', 'sql.mjs');
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

function query<T = Record<string, unknown>>(db: string, sql: string): T[] {
  const r = spawnSync(process.execPath, [SQL, db, sql, '--query'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as T[];
}

const count = (db: string, table = 'customers') => query<{ n: number }>(db, `SELECT COUNT(*) AS n FROM ${table}`)[0]!.n;
const integrity = (db: string) => query<{ integrity_check: string }>(db, 'PRAGMA integrity_check').map((r) => r.integrity_check).join('; ');

function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('internal error');
  // after the time-stamped log lines of `jobs run` (not at a terminal), the message
  expect(stderr.replace(/^(\d{4}-\d\d-\d\d \d\d:\d\d .*\n)+/, '').startsWith('pitstop: ')).toBe(true);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A database with three customers, made by the CLI. */
function seeded(dir: string) {
  const db = path.join(dir, 'pitstop.db');
  const run = cliFor(db);
  for (let i = 1; i <= 3; i++) expect(run(['customer', 'add', '--name', `客户${i}`, '--phone', `1380000000${i}`, '-q']).code).toBe(0);
  return { db, run };
}

function customersCsv(file: string, rows: number, start = 0): void {
  const lines = ['name,phone,note'];
  for (let i = 0; i < rows; i++) lines.push(`客户${start + i},137${String(start + i).padStart(8, '0')},导入测试 ${'x'.repeat(40)}`);
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
}

/** As root, can the unprivileged user run the binary at all (the checkout may be private)? */
const nobodyCanRun = !isRoot || spawnSync(process.execPath, [BIN, '--version'], { uid: NOBODY, gid: NOBODY }).status === 0;
if (!nobodyCanRun) console.log('[faults] read-only tests skipped: running as root and user nobody cannot read this checkout');

describe.skipIf(!nobodyCanRun)('read-only database', () => {
  // root ignores file permissions: run the CLI as nobody there
  const as = isRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const own = (p: string) => {
    if (isRoot) fs.chownSync(p, NOBODY, NOBODY);
  };

  it('a read-only database file: writes exit 5 with a clear message, reads still work, nothing changes', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o755);
    const { db } = seeded(dir);
    own(dir);
    own(db);
    fs.chmodSync(db, 0o400);
    const run = cliFor(db);
    const r = run(['customer', 'add', '--name', '王五', '--phone', '13800000009'], {}, as);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^pitstop: storage unavailable: the database is read-only; nothing was written \(.*pitstop\.db\)\n$/);
    noStack(r.stderr);
    const list = run(['customer', 'list', '--json'], {}, as);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(3);
    const cfg = run(['config', 'set', 'shop.bays', '8'], {}, as);
    expect(cfg.code).toBe(5);
    noStack(cfg.stderr);
    // a read-only database can still be checked and copied
    expect(run(['doctor'], {}, as).code).toBe(0);
    const copy = path.join(dir, 'copy.db');
    expect(run(['backup', copy], {}, as).code).toBe(0);
    expect(count(copy)).toBe(3);
    fs.chmodSync(db, 0o600);
    expect(count(db)).toBe(3);
    expect(count(db, 'audit_log')).toBe(3);
  });

  it('a read-only folder: exit 5, not a crash', () => {
    const dir = tempDir();
    const { db } = seeded(dir);
    own(dir);
    own(db);
    fs.chmodSync(dir, 0o555);
    const run = cliFor(db);
    try {
      const r = run(['customer', 'add', '--name', '王五', '--phone', '13800000009'], {}, as);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/^pitstop: storage unavailable: /);
      noStack(r.stderr);
      // a backup into a read-only folder
      const ro = tempDir();
      own(ro);
      fs.chmodSync(ro, 0o555);
      const b = run(['backup', path.join(ro, 'b.db')], {}, as);
      expect(b.code).toBe(5);
      noStack(b.stderr);
      expect(fs.readdirSync(ro)).toEqual([]);
      // an export into a read-only folder
      const e = run(['export', 'customers', '--out', path.join(ro, 'c.csv')], {}, as);
      expect(e.code).toBe(5);
      noStack(e.stderr);
      expect(fs.readdirSync(ro)).toEqual([]);
    } finally {
      fs.chmodSync(dir, 0o755);
    }
    expect(count(db)).toBe(3);
  });
});

describe('full disk (a 2 MB tmpfs)', () => {
  const mountPoint = tempDir('pitstop-full-');
  let mounted = false;
  let why = '';
  // mounted only when the test runs (a filtered run mounts nothing, so leaves nothing mounted)
  beforeAll(() => {
    if (process.platform === 'linux') {
      const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', mountPoint], { encoding: 'utf8' });
      mounted = m.status === 0;
      why = mounted ? '' : (m.stderr || m.error?.message || 'mount failed').trim();
    } else why = `not linux (${process.platform})`;
  });
  afterAll(() => {
    if (mounted) spawnSync('umount', ['-l', mountPoint]);
  });

  /** Fill the file system; returns the filler's path (remove it to free the space). */
  function fill(leaveBytes = 0): string {
    const filler = path.join(mountPoint, 'filler');
    const fd = fs.openSync(filler, 'w');
    const chunk = Buffer.alloc(4096, 1);
    try {
      for (;;) {
        const free = Number(fs.statfsSync(mountPoint).bavail) * Number(fs.statfsSync(mountPoint).bsize);
        if (free <= leaveBytes) break;
        fs.writeSync(fd, chunk);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      fs.closeSync(fd);
    }
    return filler;
  }

  it('exit 5 "disk is full", nothing half-written, earlier writes intact', (t) => {
    if (!mounted) {
      console.log(`[faults] full-disk e2e skipped: cannot mount a tmpfs here (${why}); see test/integration/faults.test.ts for the max_page_count equivalent`);
      t.skip();
      return;
    }
    const { db } = seeded(mountPoint);
    const run = cliFor(db);
    const outside = tempDir();
    const csv = path.join(outside, 'many.csv');
    customersCsv(csv, 20_000);

    // 1. completely full: a single small write
    let filler = fill(0);
    let r = run(['customer', 'add', '--name', '王五', '--phone', '13800000009']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^pitstop: storage unavailable: the disk is full/);
    noStack(r.stderr);
    const e = run(['export', 'customers', '--out', path.join(mountPoint, 'customers.csv')]);
    expect(e.code).toBe(5);
    noStack(e.stderr);
    const b = run(['backup', path.join(mountPoint, 'b.db')]);
    expect(b.code).toBe(5);
    noStack(b.stderr);
    // the daily lists onto the full disk: no file appears, no stack trace
    const lists = path.join(mountPoint, 'lists');
    const j = run(['jobs', 'run', 'all', '--out', lists]);
    expect(j.code).not.toBe(0);
    noStack(j.stderr);
    expect(j.stderr).toMatch(/ENOSPC|disk is full/);
    const jobsExit = j.code;
    expect(fs.existsSync(lists) ? fs.readdirSync(lists) : []).toEqual([]);
    fs.rmSync(lists, { recursive: true, force: true });
    // the database elsewhere, only the lists' folder full: the CSV write itself meets ENOSPC
    const elsewhere = seeded(outside);
    const j2 = cliFor(elsewhere.db)(['jobs', 'run', 'all', '--out', lists]);
    expect(j2.code).not.toBe(0);
    noStack(j2.stderr);
    expect(j2.stderr).toMatch(/ENOSPC|disk is full/);
    const listsExit = j2.code;
    expect(fs.existsSync(lists) ? fs.readdirSync(lists) : []).toEqual([]);
    fs.rmSync(lists, { recursive: true, force: true });
    fs.rmSync(filler);
    // nothing but the database (and SQLite's own side files)
    expect(fs.readdirSync(mountPoint).filter((f) => !/^pitstop\.db(-wal|-shm)?$/.test(f))).toEqual([]);

    // 2. a little room left: a big import runs out half-way through its transaction
    filler = fill(300 * 1024);
    r = run(['import', 'customers', csv]);
    const importMessage = r.stderr.trim();
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^pitstop: storage unavailable: the disk is full/);
    noStack(r.stderr);
    const e2 = run(['export', 'customers', '--out', path.join(mountPoint, 'c.csv')]);
    // with 300 KB free the small export fits: it either succeeds whole or fails cleanly
    expect([0, 5]).toContain(e2.code);
    fs.rmSync(filler);
    fs.rmSync(path.join(mountPoint, 'c.csv'), { force: true });

    // 3. space again: everything written before is there, the file is sound
    expect(count(db)).toBe(3);
    expect(integrity(db)).toBe('ok');
    const d = run(['doctor']);
    expect(d.code).toBe(0);
    expect(fs.readdirSync(mountPoint).filter((f) => f.endsWith('.tmp') || f.endsWith('.csv'))).toEqual([]);
    r = run(['customer', 'add', '--name', '王五', '--phone', '13800000009', '-q']);
    expect(r.code).toBe(0);
    console.log(`[figures] full disk: single write exit 5, import of 20000 rows with 300 KB free exit 5 and 0 rows kept, export exit ${e.code}, backup exit ${b.code}, jobs run all exit ${jobsExit} (database on the full disk) / ${listsExit} (only the lists' folder full); import said: ${importMessage}`);
  }, 180_000);
});

describe('SIGKILL mid-way', () => {
  it('killed in the middle of an import: all or nothing, the file sound', async () => {
    const dir = tempDir();
    const { db } = seeded(dir);
    const csv = path.join(dir, 'big.csv');
    const rows = 150_000;
    customersCsv(csv, rows);
    const outcomes: string[] = [];
    for (const delay of [150, 400, 800]) {
      const child = spawn(process.execPath, [BIN, 'import', 'customers', csv], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00', TZ: 'America/New_York' },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // wait until its transaction is writing (the WAL grows), then a little more
      const start = Date.now();
      while (Date.now() - start < 20_000) {
        const wal = `${db}-wal`;
        if (fs.existsSync(wal) && fs.statSync(wal).size > 200_000) break;
        if (child.exitCode !== null) break;
        await sleep(5);
      }
      await sleep(delay / 10);
      const killedInside = child.exitCode === null;
      child.kill('SIGKILL');
      await exited;
      const n = count(db);
      outcomes.push(`${killedInside ? 'killed mid-import' : 'finished first'}: ${n - 3} rows`);
      expect([3, 3 + rows]).toContain(n);
      expect(integrity(db)).toBe('ok');
      if (n > 3) break;
    }
    expect(outcomes.some((o) => o.startsWith('killed mid-import'))).toBe(true);
    expect(cliFor(db)(['doctor']).code).toBe(0);
    console.log(`[figures] SIGKILL during import of ${rows} rows: ${outcomes.join('; ')}`);
  }, 180_000);

  it('killed inside a multi-step transaction, or between transactions: never a partial batch', async () => {
    const dir = tempDir();
    const { db } = seeded(dir);
    // inside: half a batch inserted, not committed
    const hang = spawn(process.execPath, [WRITER, db, '40', '1', '--hang-inside'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => hang.stdout!.on('data', (d: Buffer) => d.toString().includes('inside') && resolve()));
    hang.kill('SIGKILL');
    await new Promise((r) => hang.on('exit', r));
    expect(count(db)).toBe(3);
    expect(integrity(db)).toBe('ok');

    // a loop of committed batches killed at arbitrary moments
    const counts: number[] = [];
    for (const ms of [30, 90, 170, 260]) {
      const w = spawn(process.execPath, [WRITER, db, '40'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let acked = -1;
      w.stdout!.on('data', (d: Buffer) => {
        const last = d.toString().trim().split('\n').pop();
        if (last) acked = Number(last);
      });
      await new Promise<void>((resolve) => w.stdout!.once('data', () => resolve()));
      await sleep(ms);
      w.kill('SIGKILL');
      await new Promise((r) => w.on('exit', r));
      const n = count(db);
      counts.push(n);
      expect((n - 3) % 40).toBe(0); // whole batches only
      // every batch the writer acknowledged is there
      expect(n - 3).toBeGreaterThanOrEqual((acked + 1) * 40);
      expect(count(db, 'audit_log') - 3).toBe((n - 3) / 40);
      expect(integrity(db)).toBe('ok');
    }
    console.log(`[figures] SIGKILL of a batch writer: customers after each kill ${counts.join(', ')} (all whole batches)`);
  }, 120_000);

  it('killed in the middle of a job: no partial list, and the next run writes it whole', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const run = cliFor(db);
    const n = 15_000;
    const L = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
    const c = ['name,phone'];
    const v = ['customer_phone,plate,mileage,last_service_on,last_service_km'];
    for (let i = 0; i < n; i++) {
      const phone = `137${String(i).padStart(8, '0')}`;
      c.push(`客户${i},${phone}`);
      v.push(`${phone},京${L[Math.floor(i / 100_000)]}${String(i % 100_000).padStart(5, '0')},12000,2026-05-25,10000`);
    }
    fs.writeFileSync(path.join(dir, 'c.csv'), c.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'v.csv'), v.join('\n') + '\n');
    expect(run(['import', 'customers', path.join(dir, 'c.csv')]).code).toBe(0);
    expect(run(['import', 'vehicles', path.join(dir, 'v.csv')]).code).toBe(0);
    const out = path.join(dir, 'lists');
    fs.mkdirSync(out);
    const child = spawn(process.execPath, [BIN, 'jobs', 'run', 'maintenance-due', '--out', out], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00' },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    let sawTemp = false;
    const start = Date.now();
    while (Date.now() - start < 60_000 && child.exitCode === null) {
      const temp = fs.readdirSync(out).find((f) => f.endsWith('.tmp'));
      if (temp && fs.statSync(path.join(out, temp)).size > 64 * 1024) {
        sawTemp = true;
        break;
      }
      await sleep(5);
    }
    child.kill('SIGKILL');
    await exited;
    expect(sawTemp).toBe(true);
    const finals = fs.readdirSync(out).filter((f) => f.endsWith('.csv'));
    expect(finals).toEqual([]); // the list never appeared half-written under its real name
    expect(integrity(db)).toBe('ok');
    const ledger = query<{ status: string }>(db, 'SELECT status FROM job_runs');
    // the next run is not blocked by the killed one, and writes the whole list
    const again = run(['jobs', 'run', 'maintenance-due', '--out', out]);
    expect(again.code).toBe(0);
    const files = fs.readdirSync(out).filter((f) => f.endsWith('.csv'));
    expect(files).toHaveLength(1);
    const rows = fs.readFileSync(path.join(out, files[0]!), 'utf8').trimEnd().split(/\r?\n/).length - 1;
    const ok = query<{ rows: number }>(db, `SELECT rows FROM job_runs WHERE status = 'ok'`);
    expect(ok).toHaveLength(1);
    expect(rows).toBe(ok[0]!.rows);
    expect(rows).toBeGreaterThan(0);
    const leftovers = fs.readdirSync(out).filter((f) => f.endsWith('.tmp'));
    console.log(`[figures] SIGKILL during maintenance-due (${n} vehicles): no list under its real name; ledger after the kill ${JSON.stringify(ledger.map((l) => l.status))}; rerun wrote ${rows} rows; temp files left ${leftovers.length}`);
  }, 180_000);

  it('killed while writing a CSV: no partial file under the real name', async () => {
    const dir = tempDir();
    const { db } = seeded(dir);
    const csv = path.join(dir, 'many.csv');
    customersCsv(csv, 120_000);
    expect(cliFor(db)(['import', 'customers', csv]).code).toBe(0);
    const outDir = tempDir();
    const target = path.join(outDir, 'customers.csv');
    fs.writeFileSync(target, 'previous complete export\r\n');
    let sawTemp = false;
    for (let attempt = 0; attempt < 3 && !sawTemp; attempt++) {
      const child = spawn(process.execPath, [BIN, 'export', 'customers', '--out', target], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00' },
        stdio: 'ignore',
      });
      const exited = new Promise((r) => child.on('exit', r));
      const start = Date.now();
      while (Date.now() - start < 20_000 && child.exitCode === null) {
        const temp = fs.readdirSync(outDir).find((f) => f.endsWith('.tmp'));
        if (temp && fs.statSync(path.join(outDir, temp)).size > 100_000) {
          sawTemp = true;
          break;
        }
        await sleep(2);
      }
      child.kill('SIGKILL');
      await exited;
      // the real name holds either the previous file or a complete new one, never a torn one
      const text = fs.readFileSync(target, 'utf8');
      if (text !== 'previous complete export\r\n') {
        expect(text.trimEnd().split('\r\n')).toHaveLength(120_003 + 1);
        fs.writeFileSync(target, 'previous complete export\r\n');
      }
    }
    expect(sawTemp).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('previous complete export\r\n');
    // the next export cleans up and writes the whole file
    const r = cliFor(db)(['export', 'customers', '--out', target]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(target, 'utf8').trimEnd().split('\r\n')).toHaveLength(120_003 + 1);
    console.log(`[figures] SIGKILL during export: real file untouched; leftover temp files ${fs.readdirSync(outDir).filter((f) => f.endsWith('.tmp')).length}`);
  }, 180_000);
});
