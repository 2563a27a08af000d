/**
 * One scheduler per database, one run per job and run key, runs abandoned by a killed process, `--out`
 * naming a file, `jobs run due`, and a database deleted or replaced under a running `pitstop cron`
 * (SPEC §9, §16; issue 12 items 4, 5, 11; issue 13 item 8).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cliFor, tempDir, testCtx } from '../helpers.js';
import { seedJobsFixture } from '../integration/jobs-fixture.js';
import { tryRunJob } from '../../src/app/jobs.js';
import { lockFile } from '../../src/fsx/locks.js';

async function seededDb(): Promise<string> {
  const db = path.join(tempDir(), 'pitstop.db');
  const ctx = await testCtx('2026-11-23 10:00', db);
  await seedJobsFixture(ctx);
  await ctx.db.close();
  return db;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function startCron(db: string) {
  const child = spawn(process.execPath, [BIN, 'cron'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'America/New_York', PITSTOP_USER: 'tester', PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/cron started/.test(err)) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    exit.then(() => {
      clearInterval(timer);
      reject(new Error(`cron exited before it started: ${err}`));
    });
  });
  started.catch(() => {}); // a scheduler refused at start never starts: awaited only where it must
  return { child, exit, started, stderr: () => err };
}

/** A process that stays alive while the test runs: a live lock holder. */
function liveProcess(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

function plantLock(db: string, name: string, holder: { pid: number; runId?: number; host?: string }) {
  const file = lockFile(db, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ host: os.hostname(), since: '2026-11-23T02:00:00.000Z', ...holder }));
  return file;
}

describe('one scheduler per database', () => {
  it('a second pitstop cron on the same database is exit 4 naming the process that holds it; the first stops cleanly', async () => {
    const db = await seededDb();
    const first = startCron(db);
    await first.started;
    const second = startCron(db);
    expect(await second.exit).toBe(4);
    expect(second.stderr()).toMatch(new RegExp(`pitstop cron is already running on .*pitstop\\.db \\(process ${first.child.pid} on ${os.hostname()}`));
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    // the lock went with it: a new scheduler starts
    const third = startCron(db);
    await third.started;
    third.child.kill('SIGTERM');
    expect(await third.exit).toBe(0);
  });

  it('a lock left by a killed scheduler does not keep the next one out', async () => {
    const db = await seededDb();
    const first = startCron(db);
    await first.started;
    first.child.kill('SIGKILL');
    await first.exit;
    const next = startCron(db);
    await next.started;
    next.child.kill('SIGTERM');
    expect(await next.exit).toBe(0);
  });
});

describe('pitstop cron and its database file', () => {
  it('stops with exit 5 and a clear message when the database is deleted under it', async () => {
    const db = await seededDb();
    const cron = startCron(db);
    await cron.started;
    fs.rmSync(db);
    expect(await cron.exit).toBe(5);
    expect(cron.stderr()).toMatch(/the database file .*pitstop\.db was deleted while pitstop cron was running/);
  });

  it('stops with exit 5 when another file is moved over the database, and writes nothing into either', async () => {
    const db = await seededDb();
    const other = await seededDb();
    const cron = startCron(db);
    await cron.started;
    fs.renameSync(other, db);
    const size = fs.statSync(db).size;
    expect(await cron.exit).toBe(5);
    expect(cron.stderr()).toMatch(/was replaced by another file while pitstop cron was running/);
    expect(fs.statSync(db).size).toBe(size);
  });
});

describe('one run per job and run key', () => {
  it('a run of a key another live process is making waits for it, then gives up with exit 4 and records nothing', async () => {
    const db = await seededDb();
    const holder = liveProcess();
    plantLock(db, 'run-callbacks-2026-11-23', { pid: holder.pid! });
    const ctx = await testCtx('2026-11-23 10:00', db);
    try {
      const before = await ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM job_runs');
      const waits: number[] = [];
      const r = await tryRunJob(ctx, 'callbacks', { out: tempDir(), waitMs: 300, onWait: (h) => waits.push(h.pid) });
      expect(r.status).toBe('failed');
      expect((r.cause as { exitCode: number }).exitCode).toBe(4);
      expect(r.error).toMatch(new RegExp(`callbacks 2026-11-23 is already being run by process ${holder.pid}`));
      expect(waits).toEqual([holder.pid]);
      expect(await ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM job_runs')).toEqual(before);
    } finally {
      await ctx.db.close();
    }
  });

  it('when the other run finishes while this one waits, its file is reported and nothing runs twice', async () => {
    const db = await seededDb();
    const out = tempDir();
    const ctx = await testCtx('2026-11-23 10:00', db);
    try {
      const made = await tryRunJob(ctx, 'callbacks', { out });
      expect(made.status).toBe('ok');
      const holder = liveProcess();
      const lock = plantLock(db, 'run-callbacks-2026-11-23', { pid: holder.pid!, runId: made.runId });
      setTimeout(() => fs.rmSync(lock), 200);
      const r = await tryRunJob(ctx, 'callbacks', { out, waitMs: 5000 });
      expect(r).toMatchObject({ status: 'ok', runId: made.runId, file: made.file, rows: made.rows });
      expect(r.sharedWith?.pid).toBe(holder.pid);
      expect(await ctx.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM job_runs WHERE job = 'callbacks'`)).toEqual({ n: 1 });
    } finally {
      await ctx.db.close();
    }
  });

  it('a run left running by a killed process shows as abandoned and does not block the next run, which closes it', async () => {
    const db = await seededDb();
    const ctx = await testCtx('2026-11-23 10:00', db);
    const { lastID } = await ctx.db.run(`INSERT INTO job_runs (job, run_key, started_at, status) VALUES ('callbacks', '2026-11-23', '2026-11-23T01:00:00.000Z', 'running')`);
    await ctx.db.close();
    // its process is gone (a pid that cannot be alive)
    plantLock(db, 'run-callbacks-2026-11-23', { pid: 2 ** 22 + 7, runId: lastID });
    const run = cliFor(db);
    const history = () => JSON.parse(run(['jobs', 'history', 'callbacks', '--json']).stdout) as Array<{ id: number; status: string; error: string | null }>;
    expect(history()[0]).toMatchObject({ id: lastID, status: 'abandoned' });
    const list = JSON.parse(run(['jobs', 'list', '--json']).stdout) as Array<{ job: string; last_status: string }>;
    expect(list.find((j) => j.job === 'callbacks')?.last_status).toBe('abandoned');
    const r = run(['jobs', 'run', 'callbacks', '--out', tempDir()]);
    expect(r.code).toBe(0);
    const after = history();
    expect(after[0].status).toBe('ok');
    expect(after.find((h) => h.id === lastID)).toMatchObject({ status: 'abandoned', error: expect.stringMatching(/^abandoned: process \d+ on .* ended without finishing/) });
  });
});

describe('jobs run --out', () => {
  it('naming an existing file is exit 2 naming --out, with no run recorded', async () => {
    const db = await seededDb();
    const file = path.join(tempDir(), 'exp');
    fs.writeFileSync(file, 'x');
    const run = cliFor(db);
    const r = run(['jobs', 'run', 'callbacks', '--out', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid --out ".*exp": is a file; --out names the folder/);
    expect(JSON.parse(run(['jobs', 'history', '--json']).stdout)).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('jobs run due', () => {
  it('runs each job whose schedule fired since its last success, a daily list once for its latest due day; again, only no-shows', async () => {
    const db = await seededDb();
    const out = tempDir();
    // Monday 2026-11-23 10:00: everything fired at least once in the last week; nothing ran yet
    const run = cliFor(db, '2026-11-23 10:00');
    const r = run(['jobs', 'run', 'due', '--out', out]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const keys = lines.map((l) => l.split(':')[0]);
    expect(keys).toEqual([
      'appointment-reminders 2026-11-22', // fires at 17:00: yesterday's was the latest
      'preparation 2026-11-22',
      'callbacks 2026-11-23',
      'maintenance-due 2026-11-23',
      'lapsed-customers 2026-11-23',
      'arrears 2026-11-23',
      'credits 2026-11-23',
      'overdue 2026-11-23',
      'declined-work 2026-11-23',
      'no-shows 2026-11-23',
      'revenue-weekly 2026-W47',
      // the monthly reports fired on 11-01, more than 7 days back: they wait for 12-01
    ]);
    expect(r.stderr.split('\n').filter(Boolean).every((l) => l.startsWith('2026-11-23 10:00 '))).toBe(true);
    // an hour later nothing new has fired but no-shows
    const again = cliFor(db, '2026-11-23 11:00')(['jobs', 'run', 'due', '--out', out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('no-shows 2026-11-23: 0 rows\n');
    expect(run(['jobs', 'run', 'due', '--date', '2026-11-23']).code).toBe(2);
  });
});
