/**
 * Issue 18: passwords for real. The machine's PostgreSQL trusts every login (PITFALLS.md), so this
 * test starts a cluster of its own with scram-sha-256 for TCP logins (Debian's server binaries, run as
 * the `postgres` user when the test runs as root: the server refuses root). The roles `group init` and
 * `group store add` create log in with the passwords they printed (their SCRAM verifiers work); a wrong
 * password is exit 2 and never shown. Skipped, with a message, where no PostgreSQL server binaries are.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliFor, tempDbPath } from '../helpers.js';

const BIN_DIR = (() => {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const v = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a)).find((d) => fs.existsSync(path.join(base, d, 'bin', 'initdb')));
  return v ? path.join(base, v, 'bin') : null;
})();
const asRoot = process.getuid?.() === 0;
const hasPostgresUser = spawnSync('/usr/bin/id', ['-u', 'postgres']).status === 0;
// runuser lives in sbin, which a cron-like PATH leaves out
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => fs.existsSync(p)) ?? null;
const usable = !!BIN_DIR && (!asRoot || (hasPostgresUser && !!RUNUSER));
if (!usable) process.stderr.write('group-scram.test.ts: skipped — needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) and, as root, a postgres user and runuser\n');

const PORT = 40000 + Math.floor(Math.random() * 20000);
const ADMIN_PW = 'admin-Pw-1';
let dir: string;
let admin: string;

/** Run a server program as the postgres user when we are root. */
function pgRun(program: string, args: string[]) {
  const cmd = asRoot ? [RUNUSER!, ['-u', 'postgres', '--', path.join(BIN_DIR!, program), ...args]] as const : [path.join(BIN_DIR!, program), args] as const;
  const r = spawnSync(cmd[0], [...cmd[1]], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${program} failed: ${r.error?.message ?? ''}${r.stderr ?? ''}${r.stdout ?? ''}`);
  return r;
}

beforeAll(() => {
  if (!usable) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitstop-scram-'));
  fs.writeFileSync(path.join(dir, 'pw'), ADMIN_PW);
  if (asRoot) spawnSync('/bin/chown', ['-R', 'postgres', dir]);
  pgRun('initdb', ['-D', path.join(dir, 'data'), '-U', 'admin', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${path.join(dir, 'pw')}`, '-E', 'UTF8', '--no-locale']);
  pgRun('pg_ctl', ['-D', path.join(dir, 'data'), '-o', `-p ${PORT} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', '-l', path.join(dir, 'log'), 'start']);
  admin = `postgres://admin:${ADMIN_PW}@127.0.0.1:${PORT}/postgres`;
}, 120_000);

afterAll(() => {
  if (!usable || !dir) return;
  try {
    pgRun('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', 'stop']);
  } catch {
    // never started: the failure that stopped it is reported by beforeAll
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe.skipIf(!usable)('group logins with scram-sha-256 (SPEC §15)', () => {
  it('the printed passwords log in; a wrong one is exit 2 and never shown', () => {
    const init = cli(['group', 'init', '--pg', admin]);
    expect(init.code, init.stderr).toBe(0);
    const headOffice = /head office role: (\S+)  password: (\S+)/.exec(init.stdout)!;
    const add = cli(['group', 'store', 'add', 'SC01', '--name', 'scram', '--pg', admin, '--json']);
    expect(add.code, add.stderr).toBe(0);
    const store = JSON.parse(add.stdout) as { url: string; password: string; role: string };

    const db = tempDbPath();
    const run = cliFor(db, '2026-12-01 10:00');
    expect(run(['demo']).code).toBe(0);
    expect(run(['config', 'set', 'group.store', 'SC01']).code).toBe(0);
    const push = run(['group', 'push', '--pg', store.url]);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toMatch(/^pushed store SC01 to 127\.0\.0\.1:\d+\/postgres: \d+ rows \(first push: every table\)/);

    const hq = `postgres://${headOffice[1]}:${headOffice[2]}@127.0.0.1:${PORT}/postgres`;
    const report = cli(['group', 'report', 'revenue', '--month', '2026-11', '--pg', hq, '--format', 'csv']);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/\r\nSC01,2026-11,total,all,[1-9]/);

    const wrong = store.url.replace(store.password, 'not-the-password');
    const refused = run(['group', 'push', '--pg', wrong]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^pitstop: group PostgreSQL 127\\.0\\.0\\.1:${PORT}/postgres refused the login \\(wrong password\\) for role "${store.role}"; check the password in group.pg — nothing was changed\\n$`));
    expect(refused.stderr).not.toContain('not-the-password');
    // the server never saw a password in a statement: its log holds no password
    const log = fs.readFileSync(path.join(dir, 'log'), 'utf8');
    expect(log).not.toContain(store.password);
    expect(log).not.toContain(headOffice[2]!);
  });
});
