/** `pitstop backup | restore | doctor | audit` through the built binary: exit codes, stdout, stderr. */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliFor, ROOT, tempDir } from '../helpers.js';

/** Run SQL on the file the way an outside tool would. */
function sqlOn(db: string, sql: string): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'test', 'fuzz', 'sql.mjs'), db, sql], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

function setup() {
  const dir = tempDir();
  const db = path.join(dir, 'pitstop.db');
  const run = cliFor(db, '2026-11-23 10:00');
  expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
  expect(run(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '50000', '-q']).code).toBe(0);
  return { dir, db, run };
}

const noStack = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('internal error');
};

describe('pitstop backup / restore', () => {
  it('backs up, refuses to overwrite, restores with --force', () => {
    const { dir, db, run } = setup();
    const file = path.join(dir, 'nightly.db');
    let r = run(['backup', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backed up .*pitstop\.db to .*nightly\.db \(\d+ KB; 1 customer, 1 vehicle, 0 orders\)\n$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    r = run(['backup', file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^pitstop: .*nightly\.db already exists; use --force/);
    expect(run(['backup', file, '--force', '--json']).stdout).toContain('"customers": 1');

    expect(run(['customer', 'add', '--name', '李四', '--phone', '13800000002', '-q']).code).toBe(0);
    r = run(['restore', file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('holds data (2 customers');
    r = run(['restore', file, '--force'], { PITSTOP_USER: 'boss' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^restored .*pitstop\.db from .*nightly\.db \(1 customer, 1 vehicle, 0 orders\)\n$/);
    expect(JSON.parse(run(['customer', 'list', '--json']).stdout)).toHaveLength(1);
    const audit = JSON.parse(run(['audit', '--entity', 'database', '--json']).stdout);
    expect(audit).toEqual([expect.objectContaining({ action: 'restore', actor: 'boss', entity: 'database' })]);
    expect(fs.existsSync(db)).toBe(true);
  });

  it('refuses junk (exit 2, naming the file) and newer databases (exit 5) without a stack trace', () => {
    const { dir, run } = setup();
    const junk = path.join(dir, 'notes.txt');
    fs.writeFileSync(junk, 'just some notes\n');
    let r = run(['restore', junk, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pitstop: ".*notes\.txt" is not a pitstop database/);
    noStack(r.stderr);

    const newer = path.join(dir, 'newer.db');
    expect(run(['backup', newer]).code).toBe(0);
    const fd = fs.openSync(newer, 'r+');
    const v = Buffer.alloc(4);
    v.writeUInt32BE(42); // PRAGMA user_version lives at offset 60 of the header
    fs.writeSync(fd, v, 0, 4, 60);
    fs.closeSync(fd);
    r = run(['restore', newer, '--force']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('schema version 42, newer than this pitstop understands');
    noStack(r.stderr);

    r = run(['restore']);
    expect(r.code).toBe(2);
  });
});

describe('pitstop doctor', () => {
  it('exit 0 on a sound database, 4 with the problem named, 5 when unreadable', () => {
    const { dir, db, run } = setup();
    let r = run(['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok\s+integrity$/m);
    expect(r.stdout).toMatch(/^ok\s+order totals$/m);
    expect(JSON.parse(run(['doctor', '--json']).stdout)).toMatchObject({ ok: true, schema_version: 8 });

    // an invalid stored setting (as an outside SQL tool could leave it): one row edited in the file
    sqlOn(db, "INSERT INTO settings (key, value) VALUES ('shop.bays', 'nine') ON CONFLICT (key) DO UPDATE SET value = 'nine'");
    r = run(['doctor']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^PROBLEM\s+settings\s+1 stored settings are invalid/m);
    expect(r.stdout).toContain('shop.bays = "nine"');
    expect(r.stderr).toBe('pitstop: doctor found problems: settings\n');

    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'x'.repeat(5000));
    r = run(['doctor', '--db', junk]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^pitstop: storage unavailable: .*not a pitstop \(SQLite\) database/);
    noStack(r.stderr);
    r = run(['doctor', '--db', path.join(dir, 'absent.db')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`no pitstop database at ${path.join(dir, 'absent.db')}`);
    expect(fs.existsSync(path.join(dir, 'absent.db'))).toBe(false); // doctor never creates a database
  });
});

describe('pitstop audit', () => {
  it('lists who changed what, filtered', () => {
    const { run } = setup();
    expect(run(['config', 'set', 'shop.bays', '6'], { PITSTOP_USER: 'li' }).code).toBe(0);
    let r = run(['audit']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+at\s+actor\s+action\s+entity\s+entity id\s+details$/);
    expect(lines[1]).toMatch(/^\s*3\s+2026-11-23 10:00\s+li\s+set\s+setting\s+shop\.bays\s+\{"from":"4","to":"6"\}$/);
    expect(lines).toHaveLength(4);
    r = run(['audit', '--entity', 'vehicle', '--json']);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ entity: 'vehicle', entity_id: '1', actor: 'tester' })]);
    r = run(['audit', '--since', '2026-11-23 10:01']);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    r = run(['audit', '--since', '23/11/2026']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^pitstop: invalid since "23\/11\/2026"/);
    r = run(['audit', '--limit', '0']);
    expect(r.code).toBe(2);
  });
});

