/** `pitstop jobs run|list|history` through the built binary, and a job killed mid-write. */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliFor, ROOT, tempDir, testCtx } from '../helpers.js';
import { seedJobsFixture } from '../integration/jobs-fixture.js';

async function seededDb(): Promise<string> {
  const db = path.join(tempDir(), 'pitstop.db');
  const ctx = await testCtx('2026-11-23 10:00', db);
  await seedJobsFixture(ctx);
  await ctx.db.close();
  return db;
}

const golden = (name: string) => fs.readFileSync(path.join(ROOT, 'fixtures', 'golden', name));

describe('pitstop jobs run', () => {
  it('one job: prints the file and the row count; the file is the golden one', async () => {
    const db = await seededDb();
    const out = tempDir();
    const r = cliFor(db)(['jobs', 'run', 'callbacks', '--out', out]);
    // not at a terminal (cron, a script's log): one line a run on stderr, stamped with the shop-local time
    expect(r.stderr).toBe(`2026-11-23 10:00 callbacks 2026-11-23 ok 4 rows ${path.join(out, 'callbacks-2026-11-23.csv')}\n`);
    expect(r.code).toBe(0);
    const file = path.join(out, 'callbacks-2026-11-23.csv');
    expect(r.stdout).toBe(`callbacks 2026-11-23: 4 rows ${file}\n`);
    expect(fs.readFileSync(file).equals(golden('callbacks-2026-11-23.csv'))).toBe(true);
  });

  it('all: every daily job; no-shows prints its count only; files in <data dir>/exports by default', async () => {
    const db = await seededDb();
    const r = cliFor(db, '2026-11-24 09:40')(['jobs', 'run', 'all', '--date', '2026-11-23']);
    expect(r.stderr.split('\n').filter(Boolean).every((line) => line.startsWith('2026-11-24 09:40 ') && / ok /.test(line))).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(10);
    expect(r.code).toBe(0);
    const exports = path.join(path.dirname(db), 'exports');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      `appointment-reminders 2026-11-23: 5 rows ${exports}/appointment-reminders-2026-11-23.csv`,
      `preparation 2026-11-23: 6 rows ${exports}/preparation-2026-11-23.csv`,
      `callbacks 2026-11-23: 4 rows ${exports}/callbacks-2026-11-23.csv`,
      expect.stringMatching(new RegExp(`^maintenance-due 2026-11-23: \\d+ rows ${exports}/maintenance-due-2026-11-23.csv$`)),
      expect.stringMatching(new RegExp(`^lapsed-customers 2026-11-23: \\d+ rows ${exports}/lapsed-customers-2026-11-23.csv$`)),
      `arrears 2026-11-23: 4 rows ${exports}/arrears-2026-11-23.csv`,
      `credits 2026-11-23: 0 rows ${exports}/credits-2026-11-23.csv`,
      `overdue 2026-11-23: 1 row ${exports}/overdue-2026-11-23.csv`,
      expect.stringMatching(new RegExp(`^declined-work 2026-11-23: \\d+ rows? ${exports}/declined-work-2026-11-23.csv$`)),
      'no-shows 2026-11-23: 0 rows',
    ]);
    // D = 11-23 was run on 11-24: arrears counts payments up to the end of 11-23 only (order 20 paid on 11-23)
    expect(fs.readFileSync(path.join(exports, 'arrears-2026-11-23.csv')).equals(golden('arrears-2026-11-23.csv'))).toBe(true);
    expect(fs.readFileSync(path.join(exports, 'preparation-2026-11-23.csv')).equals(golden('preparation-2026-11-23.csv'))).toBe(true);
    expect(fs.readdirSync(exports).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('--json: one object per job', async () => {
    const db = await seededDb();
    const out = tempDir();
    const r = cliFor(db)(['jobs', 'run', 'revenue-weekly', '--week', '2026-W47', '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { job: 'revenue-weekly', run_key: '2026-W47', run_date: '2026-11-23', status: 'ok', rows: expect.any(Number), file: path.join(out, 'revenue-weekly-2026-W47.csv'), error: null },
    ]);
  });

  it.each([
    [['jobs', 'run', 'reminders'], /invalid job "reminders": expected one of appointment-reminders, preparation, arrears, callbacks, maintenance-due, lapsed-customers, no-shows, revenue-weekly, revenue-monthly, callback-stats/],
    [['jobs', 'run', 'callbacks', '--date', '2026-13-01'], /invalid --date "2026-13-01"/],
    [['jobs', 'run', 'callbacks', '--week', '2026-W01'], /--week applies to revenue-weekly only/],
    [['jobs', 'run', 'revenue-weekly', '--week', '2026-W60'], /invalid --week "2026-W60"/],
    [['jobs', 'run', 'all', '--month', '2026-10'], /--week and --month apply to one/],
    [['jobs', 'run'], /missing required argument/],
  ])('%j → exit 2', async (args, message) => {
    const db = path.join(tempDir(), 'pitstop.db');
    // a database must exist first: on a missing one every job is exit 3 (below)
    expect(cliFor(db)(['init']).code).toBe(0);
    const r = cliFor(db)(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a mistyped database path (cron, PITSTOP_DB): exit 3 naming the path, no database, folder or list made', () => {
    const dir = tempDir();
    const out = path.join(dir, 'out');
    for (const db of [path.join(dir, 'typo.db'), path.join(dir, 'srv', 'typo.db')]) {
      const r = cliFor(db)(['jobs', 'run', 'callbacks', '--out', out]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`no pitstop database at ${db}`);
      expect(r.stderr).toContain(`pitstop --db "${db}" init`);
      expect(r.stdout).toBe('');
    }
    // a file of 0 bytes counts as missing
    fs.writeFileSync(path.join(dir, 'empty.db'), '');
    const r = cliFor(path.join(dir, 'empty.db'))(['jobs', 'run', 'all', '--out', out]);
    expect(r.code).toBe(3);
    expect(fs.readdirSync(dir)).toEqual(['empty.db']);
    expect(fs.statSync(path.join(dir, 'empty.db')).size).toBe(0);
  });

  it("another application's SQLite file: exit 2 for every job, the file untouched", async () => {
    const dir = tempDir();
    const db = path.join(dir, 'other-app.db');
    const { Db } = await import('../../src/db/sqlite.js');
    const raw = await Db.open(db, { create: true });
    await raw.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')`);
    await raw.close();
    const before = { bytes: fs.readFileSync(db), mtime: fs.statSync(db).mtimeMs };
    const files = fs.readdirSync(dir);
    for (const args of [['jobs', 'run', 'callbacks', '--out', dir], ['jobs', 'run', 'all', '--out', dir], ['jobs', 'list']]) {
      const r = cliFor(db)(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${db} is not a pitstop database: it holds another application's tables \\(notes\\)`));
      expect(r.stdout).toBe('');
    }
    expect(fs.readFileSync(db).equals(before.bytes)).toBe(true);
    expect(fs.statSync(db).mtimeMs).toBe(before.mtime);
    expect(fs.readdirSync(dir)).toEqual(files);
  });

  it('a failing job: recorded as failed, exit 1, message on stderr, the others still run', async () => {
    const db = await seededDb();
    const run = cliFor(db);
    const r = run(['jobs', 'run', 'all', '--out', '/dev/null/nowhere']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^2026-11-23 10:00 appointment-reminders 2026-11-23 failed ENOTDIR/);
    expect(r.stderr).toMatch(/\npitstop: job failed: appointment-reminders 2026-11-23: .*ENOTDIR/);
    expect(r.stdout).toBe('no-shows 2026-11-23: 0 rows\n');
    const h = run(['jobs', 'history', 'appointment-reminders', '--json']);
    expect(JSON.parse(h.stdout)[0]).toMatchObject({ job: 'appointment-reminders', status: 'failed', error: expect.stringMatching(/ENOTDIR/) });
  });
});

describe('pitstop jobs list / history', () => {
  it('schedules, last run and the next fire time in the shop zone', async () => {
    const db = await seededDb();
    const run = cliFor(db);
    expect(run(['config', 'set', 'jobs.callbacks.schedule', '15 9 * * 1-5']).code).toBe(0);
    expect(run(['jobs', 'run', 'callbacks', '--out', tempDir()]).code).toBe(0);
    const r = run(['jobs', 'list', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((x) => x.job)).toHaveLength(13); // credits and overdue (SPEC §10) and declined-work (§12) joined the ten of §6
    expect(rows.find((x) => x.job === 'callbacks')).toEqual({
      job: 'callbacks', schedule: '15 9 * * 1-5', last_run_at: '2026-11-23 10:00', last_run_key: '2026-11-23', last_status: 'ok', last_rows: 4, next_run_at: '2026-11-24 09:15',
    });
    expect(rows.find((x) => x.job === 'appointment-reminders')).toMatchObject({ last_run_at: null, next_run_at: '2026-11-23 17:00' });
    expect(rows.find((x) => x.job === 'revenue-monthly')).toMatchObject({ next_run_at: '2026-12-01 07:00' });
    const human = run(['jobs', 'list']);
    expect(human.stdout.split('\n')[0]).toMatch(/^job\s+schedule\s+last run\s+key\s+status\s+rows\s+next run$/);
    expect(human.stdout).toMatch(/callbacks\s+15 9 \* \* 1-5\s+2026-11-23 10:00\s+2026-11-23\s+ok\s+4\s+2026-11-24 09:15/);
  });

  it('history, newest first, with --limit and a job filter; a bad job name is exit 2', async () => {
    const db = await seededDb();
    const run = cliFor(db);
    const out = tempDir();
    for (const d of ['2026-11-20', '2026-11-21', '2026-11-22']) expect(run(['jobs', 'run', 'arrears', '--date', d, '--out', out]).code).toBe(0);
    expect(run(['jobs', 'run', 'callbacks', '--out', out]).code).toBe(0);
    const h = JSON.parse(run(['jobs', 'history', 'arrears', '--limit', '2', '--json']).stdout) as Array<{ run_key: string }>;
    expect(h.map((x) => x.run_key)).toEqual(['2026-11-22', '2026-11-21']);
    expect(JSON.parse(run(['jobs', 'history', '--json']).stdout)).toHaveLength(4);
    expect(run(['jobs', 'history', 'nope']).code).toBe(2);
  });
});

describe('a job killed mid-write', () => {
  it('leaves no partial file under the final name; the next run removes the orphaned temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big-2026-11-23.csv');
    // A child writing an endless CSV through the real writer; it says "writing" once the temp file is large.
    const script = `
      import fs from 'node:fs';
      const { writeCsv } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'csv.js'))});
      const dir = ${JSON.stringify(dir)};
      let told = false;
      async function* rows() {
        for (let i = 0; ; i++) {
          if (i % 5000 === 0) {
            await new Promise((r) => setImmediate(r));
            const temp = fs.readdirSync(dir).find((n) => n.endsWith('.tmp'));
            if (!told && temp && fs.statSync(dir + '/' + temp).size > 1_000_000) { told = true; process.stdout.write('writing\\n'); }
          }
          yield { name: '客户' + i, amount: i };
        }
      }
      await writeCsv(${JSON.stringify(file)}, [{ key: 'name', zh: '客户', en: 'Customer', type: 'text' }, { key: 'amount', zh: '金额', en: 'Amount', type: 'money' }], rows(), { tz: 'Asia/Shanghai', bom: true, headers: 'keys', locale: 'zh-CN' });
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('writing') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early: ${code}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const names = fs.readdirSync(dir);
    expect(names).not.toContain('big-2026-11-23.csv');
    expect(names.filter((n) => n.endsWith('.tmp'))).toHaveLength(1);
    // the next run of the same file cleans up after the dead process
    const { writeCsv } = await import('../../src/csv.js');
    async function* one() {
      yield { name: 'a', amount: 1 };
    }
    await writeCsv(file, [{ key: 'name', zh: '客户', en: 'Customer', type: 'text' }], one(), { tz: 'Asia/Shanghai', bom: false, headers: 'keys', locale: 'zh-CN' });
    expect(fs.readdirSync(dir)).toEqual(['big-2026-11-23.csv']);
  });
});
