/**
 * Killed work leaves no litter for ever (issue 13 item 6): temp files of a process that is gone are
 * removed by the next backup, restore or job run in that folder, and `doctor` reports them, runs left
 * running, and stored schedules that cannot run (issue 13 item 4).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cliFor, tempDir, testCtx } from '../helpers.js';
import { seedJobsFixture } from '../integration/jobs-fixture.js';

async function seededDb(): Promise<string> {
  const db = path.join(tempDir(), 'pitstop.db');
  const ctx = await testCtx('2026-11-23 10:00', db);
  await seedJobsFixture(ctx);
  await ctx.db.close();
  return db;
}

/** The pid of a process that has ended: what a SIGKILLed writer leaves in its temp names. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

const plant = (file: string, bytes = 1024) => {
  fs.writeFileSync(file, Buffer.alloc(bytes));
  return file;
};

describe('temp files of killed processes', () => {
  it('doctor reports them; the next backup, job run and restore in the folder remove them; a live process\'s temp stays', async () => {
    const db = await seededDb();
    const dir = path.dirname(db);
    const pid = deadPid();
    const backups = tempDir();
    const exports = path.join(dir, 'exports');
    fs.mkdirSync(exports);
    const litter = [
      plant(path.join(backups, `.nightly-2026-11-22.db.${pid}.0123456789ab.tmp`), 4096),
      plant(path.join(backups, `.nightly-2026-11-22.db.${pid}.0123456789ab.tmp-journal`)),
      plant(path.join(exports, `.maintenance-due-2026-11-22.csv.${pid}.abcdefabcdef.tmp`)),
      plant(path.join(dir, `pitstop.db.restore-${pid}.tmp`), 8192),
    ];
    const alive = plant(path.join(exports, `.callbacks-2026-11-23.csv.${process.pid}.abcdefabcdef.tmp`));
    const run = cliFor(db);

    const doctor = run(['doctor', '--json']);
    const report = JSON.parse(doctor.stdout) as { checks: Array<{ name: string; ok: boolean; details: string[] }> };
    const leftovers = report.checks.find((c) => c.name === 'leftovers')!;
    expect(leftovers.ok).toBe(false);
    // the database's folders: the data folder and the exports (a backup folder elsewhere is the backup's)
    expect(leftovers.details.sort()).toEqual([litter[2], litter[3]].sort());

    expect(run(['backup', path.join(backups, 'nightly-2026-11-23.db')]).code).toBe(0);
    expect(fs.existsSync(litter[0])).toBe(false);
    expect(fs.existsSync(litter[1])).toBe(false);

    expect(run(['jobs', 'run', 'callbacks']).code).toBe(0);
    expect(fs.existsSync(litter[2])).toBe(false);
    expect(fs.existsSync(alive)).toBe(true);

    expect(run(['restore', path.join(backups, 'nightly-2026-11-23.db'), '--force']).code).toBe(0);
    expect(fs.existsSync(litter[3])).toBe(false);
    const after = JSON.parse(run(['doctor', '--json']).stdout) as { checks: Array<{ name: string; ok: boolean }> };
    expect(after.checks.find((c) => c.name === 'leftovers')?.ok).toBe(true);
  });

  it('a job run SIGKILLed while it writes: the next run leaves no temp file and closes the run as abandoned', async () => {
    const db = await seededDb();
    const out = tempDir();
    // a slow reader keeps the run writing: the output is a FIFO-free folder, so kill it right after it started
    const child = spawn(process.execPath, [BIN, 'jobs', 'run', 'all', '--out', out], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00', PITSTOP_USER: 't' },
      stdio: 'ignore',
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const run = cliFor(db);
    expect(run(['jobs', 'run', 'all', '--out', out]).code).toBe(0);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const history = JSON.parse(run(['jobs', 'history', '--json', '--limit', '100']).stdout) as Array<{ status: string }>;
    expect(history.some((h) => h.status === 'running')).toBe(false);
    const doctor = JSON.parse(run(['doctor', '--json']).stdout) as { checks: Array<{ name: string; ok: boolean }> };
    expect(doctor.checks.find((c) => c.name === 'job runs')?.ok).toBe(true);
  });
});

describe('doctor and stored schedules', () => {
  it('a schedule that cannot run, written past config set, is reported; config set refuses it; pitstop cron exits 2 at once with nothing running', async () => {
    const db = await seededDb();
    const run = cliFor(db);
    expect(run(['config', 'set', 'jobs.callbacks.schedule', '0 0 31 2 *']).code).toBe(2);
    expect(run(['config', 'set', 'jobs.callbacks.schedule', '59-0 * * * *']).code).toBe(2);
    const ctx = await testCtx('2026-11-23 10:00', db);
    await ctx.db.run(`INSERT OR REPLACE INTO settings (key, value) VALUES ('jobs.callbacks.schedule', '0 0 31 2 *')`);
    await ctx.db.run(`INSERT INTO job_runs (job, run_key, started_at, status) VALUES ('arrears', '2026-11-20', '2026-11-20T00:00:00.000Z', 'running')`);
    await ctx.db.close();
    const doctor = run(['doctor', '--json']);
    expect(doctor.code).not.toBe(0);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ name: string; ok: boolean; details: string[] }> }).checks;
    expect(checks.find((c) => c.name === 'schedules')).toMatchObject({ ok: false, details: [expect.stringMatching(/^jobs\.callbacks\.schedule = "0 0 31 2 \*": .*(impossible day|never fires)/)] });
    expect(checks.find((c) => c.name === 'job runs')).toMatchObject({ ok: false, details: [expect.stringMatching(/arrears 2026-11-20.*abandoned/)] });
    const cron = spawnSync(process.execPath, [BIN, 'cron'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00', PITSTOP_USER: 't' },
      timeout: 30_000,
    });
    expect(cron.status).toBe(2);
    expect(cron.stderr.toString()).toMatch(/jobs\.callbacks\.schedule/);
  });
});
