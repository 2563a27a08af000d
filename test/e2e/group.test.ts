/**
 * Issue 18 through the built binary: `group init`, `group store add`, `group push` and `group report`
 * as head office and a store run them; the errors a store meets (unreachable server, wrong password,
 * unknown store, newer schema), each a `pitstop:` message with its exit code and the store's SQLite
 * untouched; and `group push` killed at random points, after which the group holds exactly the store's
 * rows. PostgreSQL: PITSTOP_TEST_PG, else the embedded PGlite (test/group-helpers.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.js';
import { BIN, cli, cliFor, tempDir } from '../helpers.js';
import { groupChecksums, pgQuery, realServer, SKIP_PGLITE, startTestPg, storeChecksums, type TestPg } from '../group-helpers.js';

const NOW = '2026-12-01 10:00';
let pg: TestPg;
let dir: string;
let storeDb: string;
let run: ReturnType<typeof cliFor>;
let storeUrl: string;

/** A database file's pushed tables and change log, to show a failed command left it as it was. */
async function snapshot(file: string) {
  const ctx = await openContext({ db: file, now: NOW, actor: 'test', env: {} });
  try {
    const changes = await ctx.db.all('SELECT * FROM group_changes ORDER BY seq');
    return { tables: await storeChecksums(ctx.db), changes };
  } finally {
    await ctx.db.close();
  }
}

beforeAll(async () => {
  pg = await startTestPg();
  dir = tempDir('pitstop-group-e2e-');
  storeDb = path.join(dir, 'store.db');
  run = cliFor(storeDb, NOW);
  expect(run(['demo', '--size', 'small', '--seed', '7']).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await pg?.stop();
});

describe('group commands through the binary (SPEC §15, §16)', () => {
  it('init and store add open no store database; the password is printed once and masked in config', async () => {
    const missing = path.join(dir, 'no', 'such', 'store.db');
    const init = cli(['group', 'init', '--pg', pg.url], { PITSTOP_DB: missing });
    expect(init.stderr).not.toMatch(/Error/);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(new RegExp(`^group schema 1 ready in .*${pg.database} \\(was none\\)\\nhead office role: ${pg.database}_head_office  password: [A-Za-z0-9_-]{24}\\n`));
    const again = cli(['group', 'init'], { PITSTOP_DB: missing, PITSTOP_GROUP_PG: pg.url });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/group schema 1 is up to date .*\nhead office role: .* \(exists; password unchanged\)/);

    const add = cli(['group', 'store', 'add', 'sh01', '--name', '上海浦东店', '--json'], { PITSTOP_DB: missing, PITSTOP_GROUP_PG: pg.url });
    expect(add.code, add.stderr).toBe(0);
    const store = JSON.parse(add.stdout);
    expect(store).toMatchObject({ code: 'SH01', name: '上海浦东店', role: `${pg.database}_store_sh01` });
    expect(store.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const dup = cli(['group', 'store', 'add', 'SH01', '--name', 'x', '--pg', pg.url], { PITSTOP_DB: missing });
    expect(dup.code).toBe(4);
    expect(dup.stderr).toBe(`pitstop: store SH01 is already in the group (role ${pg.database}_store_sh01); choose another code\n`);
    expect(fs.existsSync(missing)).toBe(false);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);

    // the store: its own role's URL on a real server; the owner's (SET ROLE) on PGlite, which has one login
    storeUrl = pg.kind === 'server' ? store.url : pg.url;
    expect(run(['config', 'set', 'group.store', 'SH01']).code).toBe(0);
    const set = run(['config', 'set', 'group.pg', store.url]);
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain(store.password);
    const list = run(['config', 'list']);
    expect(list.stdout).toContain(`postgres://${store.role}:********@`);
    expect(list.stdout).not.toContain(store.password);
    expect(run(['config', 'get', 'group.pg']).stdout).not.toContain(store.password);
    expect(run(['audit', '--json']).stdout ?? '').not.toContain(store.password);
    if (pg.kind === 'pglite') expect(run(['config', 'set', 'group.pg', storeUrl]).code).toBe(0);
  });

  it('push sends the store; a second push sends nothing; report equals the store\'s job files', async () => {
    const push = run(['group', 'push']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toBe('');
    expect(push.stdout).toMatch(/^pushed store SH01 to .*: \d+ rows \(first push: every table\) in \d+\.\d s\n$/);
    expect(run(['group', 'push']).stdout).toMatch(/^pushed store SH01 to .*: 0 rows in \d+\.\d s\n$/);

    const out = path.join(dir, 'jobs');
    // a call about an unpaid order, before the arrears list's day: its last_contact
    const owing = /\n(RO-[^,]+),/.exec(run(['jobs', 'run', 'arrears', '--date', '2026-11-29', '--out', path.join(dir, 'before')]).stdout + '\n' +
      fs.readFileSync(path.join(dir, 'before', 'arrears-2026-11-29.csv'), 'utf8'))![1]!;
    const call = run(['contact', 'record', '--list', 'arrears', '--ref', owing, '--result', 'later', '--later-at', '2026-12-02 10:00', '--at', '2026-11-29 15:30']);
    expect(call.code, call.stderr).toBe(0);
    // arrears first: its run is one of the calling lists callback-stats counts
    expect(run(['jobs', 'run', 'arrears', '--date', '2026-11-30', '--out', out]).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'arrears-2026-11-30.csv'), 'utf8')).toContain(`${owing},`);
    expect(fs.readFileSync(path.join(out, 'arrears-2026-11-30.csv'), 'utf8')).toContain(',2026-11-29 15:30 later\r\n');
    expect(run(['jobs', 'run', 'revenue-monthly', '--month', '2026-11', '--out', out]).code).toBe(0);
    expect(run(['jobs', 'run', 'callback-stats', '--month', '2026-11', '--out', out]).code).toBe(0);
    // the job runs are the store's too: push them, and check the report is read from the group
    expect(run(['group', 'push']).code).toBe(0);
    const report = (kind: string, ...args: string[]) => cli(['group', 'report', kind, '--pg', pg.url, '--format', 'csv', ...args], { PITSTOP_DB: path.join(dir, 'none.db') });
    const own = (file: string) => fs.readFileSync(path.join(out, file), 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    const storeRows = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n').filter((l) => l.startsWith('SH01,') || l.startsWith('store,')).map((l) => l.replace(/^[^,]+,/, ''));

    const revenue = report('revenue', '--month', '2026-11');
    expect(revenue.code, revenue.stderr).toBe(0);
    expect(storeRows(revenue.stdout)).toEqual(own('revenue-monthly-2026-11.csv').filter(Boolean));
    expect(revenue.stdout).toMatch(/\r\n\(group\),2026-11,total,all,/);
    // the report's flags are pitstop report's: --csv is --format csv, --format json is refused
    expect(cli(['group', 'report', 'revenue', '--month', '2026-11', '--pg', pg.url, '--csv']).stdout).toBe(revenue.stdout);
    expect(cli(['group', 'report', 'revenue', '--pg', pg.url, '--format', 'json']).stderr).toBe('pitstop: invalid --format "json": expected table, csv or xlsx\n');
    const callbacks = report('callbacks', '--month', '2026-11');
    expect(storeRows(callbacks.stdout)).toEqual(own('callback-stats-2026-11.csv').filter(Boolean));
    const arrears = report('arrears', '--date', '2026-11-30');
    expect(storeRows(arrears.stdout)).toEqual(own('arrears-2026-11-30.csv').filter(Boolean));
    expect(arrears.stdout).toContain(',2026-11-29 15:30 later\r\n');
    expect(fs.existsSync(path.join(dir, 'none.db'))).toBe(false);

    // --json: money in integer cents, as `pitstop report --json` prints it, the store first
    const json = JSON.parse(cli(['group', 'report', 'revenue', '--month', '2026-11', '--pg', pg.url, '--json']).stdout);
    const ownJson = JSON.parse(run(['report', 'revenue', '--month', '2026-11', '--json']).stdout);
    expect(json.filter((r: { store: string }) => r.store === 'SH01').map(({ store: _s, ...r }: Record<string, unknown>) => r)).toEqual(ownJson);
    expect(Object.keys(json[0])[0]).toBe('store');
    const owed = JSON.parse(cli(['group', 'report', 'arrears', '--date', '2026-11-30', '--pg', pg.url, '--json']).stdout);
    expect(owed[0]).toMatchObject({ store: 'SH01', total_cents: expect.any(Number), paid_cents: expect.any(Number), balance_cents: expect.any(Number) });
    expect(owed[0].balance_cents).toBe(owed[0].total_cents - owed[0].paid_cents);
    const table = cli(['group', 'report', 'revenue', '--month', '2026-11', '--pg', pg.url]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^revenue 2026-11 \(2026-11-01 … 2026-11-30\), orders delivered in the period, by store\n/);
    expect(table.stdout).toMatch(/\nSH01 +上海浦东店 +\d+ +\d+ +[\d.]+/);
    const xlsx = path.join(dir, 'group.xlsx');
    const book = cli(['group', 'report', 'callbacks', '--month', '2026-11', '--pg', pg.url, '--format', 'xlsx', '--out', xlsx]);
    expect(book.code, book.stderr).toBe(0);
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
  });

  it('errors: each a pitstop: message and its exit code, the password never shown, the store untouched', async () => {
    const before = await snapshot(storeDb);
    // a change waiting to be pushed: a failed push must keep it
    expect(run(['customer', 'add', '--name', '等待推送', '--phone', '13911112222', '-q']).code).toBe(0);
    const waiting = await snapshot(storeDb);
    expect(waiting.changes.length).toBeGreaterThan(before.changes.length);

    // unreachable: nothing listens on port 1
    const down = run(['group', 'push', '--pg', 'postgres://someone:s3cretPass@127.0.0.1:1/group']);
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(/^pitstop: group PostgreSQL 127\.0\.0\.1:1\/group is unreachable \(ECONNREFUSED\); check group\.pg or PITSTOP_GROUP_PG, and that the server runs — nothing was changed\n$/);
    expect(down.stderr + down.stdout).not.toContain('s3cretPass');

    // a wrong password: a server that asks for one and refuses it, as PostgreSQL does
    const { port, close } = await refusingServer();
    try {
      const wrong = run(['group', 'push', '--pg', `postgres://${pg.database}_store_sh01:wrongPass1@127.0.0.1:${port}/group`]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toBe(`pitstop: group PostgreSQL 127.0.0.1:${port}/group refused the login (wrong password) for role "${pg.database}_store_sh01"; check the password in group.pg — nothing was changed\n`);
      expect(wrong.stderr).not.toContain('wrongPass1');
    } finally {
      close();
    }
    expect(await snapshot(storeDb)).toEqual(waiting);

    // a store head office has not registered
    expect(run(['config', 'set', 'group.store', 'NOPE']).code).toBe(0);
    const nope = run(['group', 'push', '--pg', pg.url]);
    expect(nope.code).toBe(3);
    expect(nope.stderr).toMatch(/^pitstop: store NOPE \(group\.store\) is not registered in the group at .*; head office runs pitstop group store add NOPE --name NAME — nothing was pushed\n$/);
    expect(run(['config', 'set', 'group.store', 'SH01']).code).toBe(0);

    // a group schema from a newer pitstop that older ones may not push to
    const w = await snapshot(storeDb);
    expect(run(['customer', 'add', '--name', '又一个', '--phone', '13911113333', '-q']).code).toBe(0);
    const held = await snapshot(storeDb);
    await pgQuery(pg.url, `UPDATE pitstop.meta SET value = '9' WHERE key IN ('schema_version', 'compatible_from')`);
    try {
      const newer = run(['group', 'push']);
      expect(newer.code).toBe(5);
      expect(newer.stderr).toMatch(/^pitstop: group PostgreSQL .* has group schema 9, which needs pitstop group schema 9 or later to push \(this pitstop has 1\); upgrade pitstop — nothing was pushed\n$/);
      const init = cli(['group', 'init', '--pg', pg.url]);
      expect(init.code).toBe(5);
      expect(init.stderr).toMatch(/has group schema 9, newer than this pitstop understands \(1\); upgrade pitstop — nothing was changed/);
    } finally {
      await pgQuery(pg.url, `UPDATE pitstop.meta SET value = '1' WHERE key IN ('schema_version', 'compatible_from')`);
    }
    expect(await snapshot(storeDb)).toEqual(held);
    expect(w.changes.length).toBeLessThan(held.changes.length);

    // a URL that is not one, or names no database (PostgreSQL would pick the user's): exit 2, no connection tried
    for (const bad of ['notaurl', 'postgres://u:s3cretPass@127.0.0.1:5432/', 'mysql://u@127.0.0.1/db']) {
      const r = cli(['group', 'init', '--pg', bad], { PITSTOP_DB: path.join(dir, 'none.db') });
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toMatch(/^pitstop: invalid group PostgreSQL URL ".*": expected postgres:\/\/user:password@host:port\/database\n$/);
      expect(r.stderr).not.toContain('s3cretPass');
    }
    // no URL at all
    const none = cli(['group', 'report', 'revenue'], { PITSTOP_DB: path.join(dir, 'none.db') });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^pitstop: no group PostgreSQL given: pass --pg/);
    // and the push that works afterwards sends what waited
    expect(run(['group', 'push']).code).toBe(0);
    const ctx = await openContext({ db: storeDb, now: NOW, actor: 'test', env: {} });
    try {
      expect(await groupChecksums(pg.url, 'SH01')).toEqual(await storeChecksums(ctx.db));
    } finally {
      await ctx.db.close();
    }
  });

  it.skipIf(!realServer)(`group push killed at random points: the group ends holding exactly the store's rows (${SKIP_PGLITE}; a killed client would leave PGlite's one session mid-transaction)`, async () => {
    const kills = process.env.PITSTOP_LONG_TESTS === '1' ? 300 : 6;
    const file = path.join(dir, 'kill.db');
    const k = cliFor(file, NOW);
    expect(k(['demo', '--size', 'small', '--seed', '99']).code).toBe(0);
    expect(cli(['group', 'init', '--pg', pg.url]).code).toBe(0);
    expect(cli(['group', 'store', 'add', 'KILL', '--name', 'kill test', '--pg', pg.url]).code).toBe(0);
    expect(k(['config', 'set', 'group.store', 'KILL']).code).toBe(0);
    const ctx = await openContext({ db: file, now: NOW, actor: 'test', env: {} });
    try {
      let killed = 0;
      for (let i = 0; i < kills; i++) {
        if (i > 0) {
          // the store goes on working between pushes: a quarter of the lines, a customer, a deletion
          await ctx.db.run(`UPDATE order_lines SET description = substr(description, 1, 60) || '.' WHERE id % 4 = ?`, [i % 4]);
          await ctx.db.run(`UPDATE customers SET note = ? WHERE id = ?`, [`kill ${i}`, 1 + (i % 50)]);
          await ctx.db.run(`DELETE FROM callbacks WHERE id = (SELECT max(id) FROM callbacks)`);
        }
        const child = spawn(process.execPath, [BIN, 'group', 'push', '--pg', pg.url], {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: file, PITSTOP_NOW: NOW, PITSTOP_GROUP_BATCH: '150' },
          stdio: 'ignore',
        });
        const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 600)));
        // killed mid-push only if it has not ended by itself
        if (child.exitCode === null && child.kill('SIGKILL')) killed++;
        await done;
      }
      process.stderr.write(`[figures] group push killed mid-run ${killed} of ${kills} times\n`);
      expect(killed).toBeGreaterThan(kills / 4);
      const last = k(['group', 'push', '--pg', pg.url]);
      expect(last.code, last.stderr).toBe(0);
      expect(await groupChecksums(pg.url, 'KILL')).toEqual(await storeChecksums(ctx.db));
      // no push left a lock or a half batch: another push sends nothing
      expect(k(['group', 'push', '--pg', pg.url]).stdout).toMatch(/: 0 rows in/);
    } finally {
      await ctx.db.close();
    }
  }, 600_000);
});

/** test/e2e/refusing-pg.mjs in its own process: a server that refuses every password with 28P01. */
async function refusingServer(): Promise<{ port: number; close: () => void }> {
  const child = spawn(process.execPath, [path.join(path.dirname(BIN), '..', 'test', 'e2e', 'refusing-pg.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (b: Buffer) => resolve(Number(String(b).trim())));
    child.once('exit', () => reject(new Error('refusing-pg.mjs ended')));
  });
  return { port, close: () => child.kill() };
}
