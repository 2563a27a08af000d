/**
 * Customer data: the database (and SQLite's side files), backups, exports and job lists are created
 * owner-only (0600) whatever the umask; phones are masked on request in files that leave the desk;
 * the audit log says who changed what.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, cliFor, tempDir } from '../helpers.js';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** Run the binary under umask 000, the most permissive a shell can leave. */
function runLoose(dbFile: string, args: string[]) {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('sh', ['-c', `umask 000; exec ${quoted}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: dbFile, PITSTOP_NOW: '2026-11-23 10:00', TZ: 'America/New_York' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('owner-only files', () => {
  it('database, its folder, backups and exports are private even under umask 000', () => {
    const home = tempDir();
    const dbFile = path.join(home, 'data', 'pitstop', 'pitstop.db');
    // only init makes missing folders (SPEC §9)
    expect(runLoose(dbFile, ['init']).code).toBe(0);
    expect(runLoose(dbFile, ['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
    expect(mode(dbFile)).toBe(0o600);
    expect(mode(path.dirname(dbFile)) & 0o077).toBe(0);
    for (const side of ['-wal', '-shm']) if (fs.existsSync(dbFile + side)) expect(mode(dbFile + side)).toBe(0o600);

    const backup = path.join(home, 'b.db');
    expect(runLoose(dbFile, ['backup', backup]).code).toBe(0);
    expect(mode(backup)).toBe(0o600);

    const csv = path.join(home, 'customers.csv');
    expect(runLoose(dbFile, ['export', 'customers', '--out', csv]).code).toBe(0);
    expect(mode(csv)).toBe(0o600);

    const out = path.join(home, 'lists');
    fs.mkdirSync(out);
    const jobs = runLoose(dbFile, ['jobs', 'run', 'all', '--out', out]);
    expect(jobs.code).toBe(0);
    const files = fs.readdirSync(out);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(mode(path.join(out, f)), f).toBe(0o600);
    console.log(`[figures] privacy: database, backup, export and ${files.length} job lists all 0600 under umask 000`);
  });
});

describe('masked phones', () => {
  it('export --mask-phone writes 138****0001, never the full number', () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'pitstop.db');
    const run = cliFor(dbFile);
    expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
    const file = path.join(dir, 'c.csv');
    const r = run(['export', 'customers', '--out', file, '--mask-phone']);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('138****0001');
    expect(text).not.toContain('13800000001');
    const plain = run(['export', 'customers']);
    expect(plain.stdout).toContain('13800000001');
  });

  it('jobs run --mask-phone masks the calling lists', () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'pitstop.db');
    const run = cliFor(dbFile);
    expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
    expect(run(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '50000', '-q']).code).toBe(0);
    expect(run(['booking', 'add', '--plate', '京A12345', '--at', '2026-11-24 10:00', '-q']).code).toBe(0);
    const out = path.join(dir, 'lists');
    fs.mkdirSync(out);
    expect(run(['jobs', 'run', 'appointment-reminders', '--out', out, '--mask-phone']).code).toBe(0);
    const all = fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8')).join('\n');
    expect(all).toContain('138****0001');
    expect(all).not.toContain('13800000001');
  });
});

describe('audit trail', () => {
  it('records who changed what, listed by entity and since', () => {
    const dir = tempDir();
    const run = cliFor(path.join(dir, 'pitstop.db'));
    expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q'], { PITSTOP_USER: 'wang' }).code).toBe(0);
    expect(run(['customer', 'edit', '1', '--phone', '13800000002', '--actor', 'li']).code).toBe(0);
    const rows = JSON.parse(run(['audit', '--entity', 'customer', '--id', '1', '--json']).stdout) as Array<{ actor: string; action: string; details: Record<string, unknown> }>;
    expect(rows.map((r) => [r.actor, r.action])).toEqual([['li', 'edit'], ['wang', 'add']]);
    expect(JSON.stringify(rows[0]!.details)).toContain('13800000002');
  });
});
