/** `pitstop cron`: catch-up from the ledger on start, one line per run, a clean stop on SIGTERM/SIGINT. */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cliFor, tempDir, testCtx } from '../helpers.js';
import { seedJobsFixture } from '../integration/jobs-fixture.js';

interface Cron {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout has a line matching every pattern. */
  waitFor: (patterns: RegExp[]) => Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCron(db: string, now: string, args: string[] = []): Cron {
  const child = spawn(process.execPath, [BIN, 'cron', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'America/New_York', PITSTOP_USER: 'tester', PITSTOP_DB: db, PITSTOP_NOW: now },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    waiters.forEach((w) => w());
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    waiters.forEach((w) => w());
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor: (patterns) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (patterns.every((p) => p.test(out))) resolve();
        };
        waiters.push(check);
        const timer = setTimeout(() => reject(new Error(`timed out waiting for: ${patterns.filter((p) => !p.test(out)).join(' ')}\n${out}\n${err}`)), 30_000);
        timer.unref();
        exit.then(({ code }) => reject(new Error(`cron exited (${code}) before: ${patterns.filter((p) => !p.test(out)).join(' ')}\n${out}\n${err}`)));
        check();
      }),
  };
}

async function ledgerDb(runs: Array<[string, string, string]>): Promise<string> {
  const db = path.join(tempDir(), 'pitstop.db');
  const ctx = await testCtx('2026-11-23 10:00', db);
  await seedJobsFixture(ctx);
  for (const [job, key, status] of runs) {
    await ctx.db.run(`INSERT INTO job_runs (job, run_key, started_at, finished_at, status, rows) VALUES (?, ?, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', ?, 0)`, [job, key, status]);
  }
  await ctx.db.close();
  return db;
}

const everythingUpToDate: Array<[string, string, string]> = [
  ['appointment-reminders', '2026-11-23', 'ok'],
  ['preparation', '2026-11-23', 'ok'],
  ['arrears', '2026-11-23', 'ok'],
  ['maintenance-due', '2026-11-23', 'ok'],
  ['lapsed-customers', '2026-11-23', 'ok'],
  ['revenue-weekly', '2026-W47', 'ok'],
  ['revenue-monthly', '2026-10', 'ok'],
  ['callback-stats', '2026-10', 'ok'],
  // SPEC §10's two new daily jobs
  ['credits', '2026-11-23', 'ok'],
  ['overdue', '2026-11-23', 'ok'],
  // SPEC §12's declined work
  ['declined-work', '2026-11-23', 'ok'],
];

describe('pitstop cron', () => {
  it('catches up the runs missed since the last successful one, then stops on SIGTERM with exit 0 and no temp files', async () => {
    // callbacks last succeeded for 11-19 (11-20 failed); appointment-reminders for 11-21
    const db = await ledgerDb([
      ...everythingUpToDate.filter(([job]) => job !== 'appointment-reminders'),
      ['callbacks', '2026-11-19', 'ok'],
      ['callbacks', '2026-11-20', 'failed'],
      ['appointment-reminders', '2026-11-21', 'ok'],
    ]);
    const out = tempDir();
    const cron = startCron(db, '2026-11-23 10:00', ['--out', out]);
    const line = (job: string, key: string, rows: number, file = true) =>
      new RegExp(`^2026-11-23 10:0\\d ${job} ${key} ok ${rows} ${rows === 1 ? 'row' : 'rows'}${file ? ` ${path.join(out, `${job}-${key}.csv`)}` : ''}$`, 'm');
    await cron.waitFor([
      // worked out from the fixture: windows 11-13…11-17, 11-14…11-18, 11-15…11-19, 11-16…11-20
      line('callbacks', '2026-11-20', 2),
      line('callbacks', '2026-11-21', 3),
      line('callbacks', '2026-11-22', 4),
      line('callbacks', '2026-11-23', 4),
      // D+1 = 11-23: booking 9 at 23:59
      line('appointment-reminders', '2026-11-22', 1),
      line('no-shows', '2026-11-23', 0, false),
    ]);
    cron.child.kill('SIGTERM');
    expect(await cron.exit).toEqual({ code: 0, signal: null });
    const lines = cron.stdout().trimEnd().split('\n');
    // nothing else was due: the 11-23 17:00 reminder run has not fired yet at 10:00
    // (no-shows may also fire on the real clock's quarter hour while the test runs)
    expect(lines.map((l) => l.split(' ').slice(2, 4).join(' ')).filter((k) => !k.startsWith('no-shows')).sort()).toEqual([
      'appointment-reminders 2026-11-22', 'callbacks 2026-11-20', 'callbacks 2026-11-21', 'callbacks 2026-11-22', 'callbacks 2026-11-23',
    ]);
    expect(cron.stderr()).toMatch(/cron started: 13 jobs in Asia\/Shanghai/);
    expect(cron.stderr()).toMatch(/cron stopped/);
    expect(fs.readdirSync(out).sort()).toEqual([
      'appointment-reminders-2026-11-22.csv', 'callbacks-2026-11-20.csv', 'callbacks-2026-11-21.csv', 'callbacks-2026-11-22.csv', 'callbacks-2026-11-23.csv',
    ]);
    // the ledger has them
    const h = JSON.parse(cliFor(db)(['jobs', 'history', 'callbacks', '--json']).stdout) as Array<{ run_key: string; status: string }>;
    expect(h.slice(0, 4).map((r) => [r.run_key, r.status]).sort()).toEqual([
      ['2026-11-20', 'ok'], ['2026-11-21', 'ok'], ['2026-11-22', 'ok'], ['2026-11-23', 'ok'],
    ]);
  });

  it('looks back at most 7 days; weekly and monthly jobs make up the missed period; SIGINT also stops it cleanly', async () => {
    const db = await ledgerDb([
      ...everythingUpToDate.filter(([job]) => !['callbacks', 'revenue-monthly', 'revenue-weekly'].includes(job)),
      ['callbacks', '2026-10-01', 'ok'],
      ['revenue-weekly', '2026-W46', 'ok'],
      ['revenue-monthly', '2026-10', 'ok'],
    ]);
    const out = tempDir();
    // 2026-12-02 10:00: callbacks fired 11-26 … 12-02 in the last 7 days; revenue-monthly fired 12-01 for 2026-11;
    // revenue-weekly fired 11-30 (for W48; W47 fired on 11-23, more than 7 days back)
    const cron = startCron(db, '2026-12-02 10:00', ['--out', out]);
    await cron.waitFor([/ callbacks 2026-12-02 ok /, / revenue-monthly 2026-11 ok /, / revenue-weekly 2026-W48 ok /, / callback-stats 2026-11 ok /, / no-shows /]);
    cron.child.kill('SIGINT');
    expect(await cron.exit).toEqual({ code: 0, signal: null });
    const keys = cron.stdout().trimEnd().split('\n').map((l) => l.split(' ').slice(2, 4).join(' '));
    expect(keys.filter((k) => k.startsWith('callbacks'))).toEqual(
      ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'].map((d) => `callbacks ${d}`),
    );
    expect(keys.filter((k) => k.startsWith('revenue'))).toEqual(['revenue-weekly 2026-W48', 'revenue-monthly 2026-11']);
    expect(fs.readdirSync(out).filter((n) => n.endsWith('.tmp') || n.startsWith('.'))).toEqual([]);
  });

  it('refuses an invalid schedule setting or time zone with exit 2 before scheduling anything', async () => {
    const db = await ledgerDb([]);
    const run = cliFor(db);
    // config set validates; an outside tool can still write a bad value
    const { Db } = await import('../../src/db/sqlite.js');
    const raw = await Db.open(db);
    await raw.run(`INSERT INTO settings (key, value) VALUES ('shop.timezone', 'Asia/Shangai')`);
    await raw.close();
    const r = run(['cron'], {}, { timeout: 20_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Asia\/Shangai/);
    expect(r.stdout).toBe('');
  });
});
