/** The archive commands through the built binary: exit codes, messages, --json, -q, --help, config. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Db } from '../../src/db/sqlite.js';
import { cli, cliFor, ROOT, tempDir } from '../helpers.js';

/** A new database (made by `pitstop init`: only creating commands make one, SPEC §9). */
function fresh(now = '2026-11-23 10:00') {
  const dir = tempDir();
  const db = path.join(dir, 'pitstop.db');
  const run = cliFor(db, now);
  expect(run(['init']).code).toBe(0);
  return { dir, db, run };
}

const noStack = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toContain('internal error');
};

describe('exit codes and messages', () => {
  it('0 with a friendly line; the database is created 0600', () => {
    const { db, run } = fresh();
    const r = run(['customer', 'add', '--name', '张伟', '--phone', '+86 138-0000-0001']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'added customer 1 张伟 13800000001\n', '']);
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
  });

  it('2 for invalid input, naming field and value; nothing written', () => {
    const { run } = fresh();
    const r = run(['customer', 'add', '--name', '张伟', '--phone', '12345']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pitstop: invalid phone "12345": expected a mainland mobile number: 11 digits starting 13–19 (landlines only for fleet customers)\n');
    expect(r.stdout).toBe('');
    expect(run(['customer', 'list', '--json']).stdout).toBe('[]\n');
    const plate = run(['vehicle', 'add', '--customer', '1', '--plate', '京I12345']);
    expect(plate.code).toBe(2);
    expect(plate.stderr).toMatch(/^pitstop: invalid plate "京I12345": I and O are not plate letters/);
    const date = run(['customer', 'list', '--limit', 'x']);
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/^pitstop: .*--limit/);
  });

  it('2 for usage errors: unknown option, unknown command, missing argument', () => {
    const { run } = fresh();
    for (const args of [['customer', 'add', '--nmae', 'x'], ['customer', 'frobnicate'], ['customer', 'show'], ['config', 'set', 'shop.bays']]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^pitstop: /);
      noStack(r.stderr);
    }
  });

  it('3 for what does not exist', () => {
    const { run } = fresh();
    const r = run(['customer', 'show', '13900000009']);
    expect([r.code, r.stderr]).toEqual([3, 'pitstop: customer "13900000009" not found\n']);
    expect(run(['vehicle', 'show', '京A99999']).stderr).toBe('pitstop: vehicle "京A99999" not found\n');
    expect(run(['vehicle', 'add', '--customer', '7', '--plate', '京A12345']).code).toBe(3);
  });

  it('4 for conflicts: duplicate phone, plate, VIN check forced only with --force', () => {
    const { run } = fresh();
    run(['customer', 'add', '--name', '张伟', '--phone', '13800000001']);
    const dup = run(['customer', 'add', '--name', '李娜', '--phone', '138 0000 0001']);
    expect([dup.code, dup.stderr]).toEqual([4, 'pitstop: phone 13800000001 already belongs to customer 1 (张伟)\n']);
    expect(run(['vehicle', 'add', '--customer', '13800000001', '--plate', '京A12345']).code).toBe(0);
    expect(run(['vehicle', 'add', '--customer', '13800000001', '--plate', '京a·12345']).code).toBe(4);
    const jump = run(['vehicle', 'add', '--customer', '1', '--plate', '京B12345', '--mileage', '99999', '--last-service', '2026-11-20', '--last-service-km', '1000']);
    expect(jump.code).toBe(4);
    expect(jump.stderr).toMatch(/^pitstop: mileage 99999 is more than 5500 km .*use --force/);
    const forced = run(['vehicle', 'add', '--customer', '1', '--plate', '京B12345', '--mileage', '99999', '--last-service', '2026-11-20', '--last-service-km', '1000', '--force', '-q']);
    expect([forced.code, forced.stdout]).toEqual([0, '京B12345\n']);
  });

  it('5 for a database from a newer pitstop, untouched', async () => {
    const { db, run } = fresh();
    expect(run(['config', 'list']).code).toBe(0);
    const handle = await Db.open(db);
    await handle.exec('PRAGMA user_version = 99');
    await handle.close();
    const before = fs.readFileSync(db);
    const r = run(['customer', 'list']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^pitstop: database .* has schema version 99, newer than this pitstop understands \(8\); upgrade pitstop — the file was not modified\n$/);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  it('5 for a file that is not a database', () => {
    const dir = tempDir();
    const file = path.join(dir, 'notes.db');
    fs.writeFileSync(file, 'x'.repeat(4096));
    const r = cli(['customer', 'list'], { PITSTOP_DB: file, PITSTOP_NOW: '2026-11-23 10:00' });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^pitstop: storage unavailable: the file is not a pitstop \(SQLite\) database/);
  });
});

describe('where the database lives', () => {
  it('--db, else $PITSTOP_DB, else $XDG_DATA_HOME/pitstop/pitstop.db, else ~/.local/share/pitstop/pitstop.db', () => {
    const dir = tempDir();
    const env = { PITSTOP_NOW: '2026-11-23 10:00' };
    expect(cli(['customer', 'add', '--name', 'A', '--phone', '13800000001'], { ...env, XDG_DATA_HOME: path.join(dir, 'xdg') }).code).toBe(0);
    expect(fs.statSync(path.join(dir, 'xdg', 'pitstop', 'pitstop.db')).mode & 0o777).toBe(0o600);
    // a listing makes no database (exit 3); a creating command makes the default data folder and says so
    expect(cli(['customer', 'list'], { ...env, HOME: path.join(dir, 'home') }).code).toBe(3);
    expect(fs.existsSync(path.join(dir, 'home'))).toBe(false);
    const made = cli(['staff', 'add', '--name', 'B', '--role', 'advisor'], { ...env, HOME: path.join(dir, 'home') });
    expect(made.code).toBe(0);
    expect(made.stderr).toBe(`pitstop: created the folder ${path.join(dir, 'home', '.local', 'share', 'pitstop')}\n`);
    expect(cli(['customer', 'list'], { ...env, HOME: path.join(dir, 'home') }).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'home', '.local', 'share', 'pitstop', 'pitstop.db'))).toBe(true);
    const flag = cli(['--db', path.join(dir, 'flag.db'), 'staff', 'add', '--name', 'C', '--role', 'advisor', '--json'], { ...env, PITSTOP_DB: path.join(dir, 'env.db') });
    expect(JSON.parse(flag.stdout)).toMatchObject({ name: 'C' });
    expect(fs.existsSync(path.join(dir, 'flag.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'env.db'))).toBe(false);
  });
});

describe('output forms', () => {
  it('-q prints only the identifier; --json the record', () => {
    const { run } = fresh();
    expect(run(['customer', 'add', '--name', '张伟', '--phone', '13800000001', '-q']).stdout).toBe('1\n');
    const j = run(['customer', 'add', '--name', '李娜', '--phone', '13800000002', '--kind', 'fleet', '--json']);
    expect(JSON.parse(j.stdout)).toEqual({
      id: 2, name: '李娜', phone: '13800000002', kind: 'fleet', company: null, address: null, note: null, do_not_contact: 0, created_at: '2026-11-23T10:00:00+08:00', no_calls: 0, no_messages: 0,
    });
    expect(run(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '100', '-q']).stdout).toBe('京A12345\n');
    expect(run(['staff', 'add', '--name', '王芳', '--role', 'advisor,agent', '-q']).stdout).toBe('王芳\n');
    const list = JSON.parse(run(['customer', 'list', '--json']).stdout) as { name: string; vehicles: number }[];
    expect(list.map((c) => [c.name, c.vehicles])).toEqual([['张伟', 1], ['李娜', 0]]);
    const show = JSON.parse(run(['customer', 'show', '1', '--json']).stdout) as { customer: { name: string }; vehicles: unknown[]; balance_owed_cents: number };
    expect(show).toMatchObject({ customer: { name: '张伟' }, vehicles: [{ plate: '京A12345' }], balance_owed_cents: 0 });
    expect(JSON.parse(run(['vehicle', 'show', '京A12345', '--json']).stdout)).toMatchObject({ vehicle: { plate: '京A12345', initial_km: 100 }, owner: { name: '张伟' } });
    expect(JSON.parse(run(['staff', 'list', '--json']).stdout)).toEqual([{ id: 1, name: '王芳', role: 'advisor,agent', active: 1 }]);
  });

  it('human output shows shop-local times whatever TZ the process has', () => {
    const { run } = fresh('2026-11-23 07:05');
    run(['customer', 'add', '--name', '张伟', '--phone', '13800000001']);
    const show = run(['customer', 'show', '13800000001']);
    expect(show.stdout).toMatch(/since\s+2026-11-23 07:05/);
    const table = run(['customer', 'list']).stdout.split('\n');
    expect(table[0]).toMatch(/^id\s+name\s+phone/);
    expect(table[1]).toMatch(/^ 1\s+张伟\s+13800000001\s+private/);
  });

  it('vehicle show: next service due from the carried-over service', () => {
    const { run } = fresh();
    run(['customer', 'add', '--name', '张伟', '--phone', '13800000001']);
    run(['vehicle', 'add', '--customer', '1', '--plate', '沪AD12345', '--mileage', '12000', '--last-service', '2026-06-01', '--last-service-km', '10000']);
    const r = run(['vehicle', 'show', '沪ad12345']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/last service\s+2026-06-01 at 10000 km \(carried over\)/);
    expect(r.stdout).toMatch(/next service due\s+2026-12-01 \(by time, in 8 days\)/);
  });
});

describe('help and version', () => {
  const levels = [
    [], ['customer'], ['customer', 'add'], ['customer', 'list'], ['customer', 'show'], ['customer', 'edit'],
    ['vehicle'], ['vehicle', 'add'], ['vehicle', 'list'], ['vehicle', 'show'], ['vehicle', 'edit'], ['vehicle', 'deactivate'],
    ['staff'], ['staff', 'add'], ['staff', 'list'], ['staff', 'deactivate'],
    ['config'], ['config', 'list'], ['config', 'get'], ['config', 'set'], ['import'], ['export'],
  ];
  it.each(levels.map((l) => [l.join(' ') || '(root)', l]))('%s --help', (_name, args) => {
    const r = cli([...(args as string[]), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: pitstop/);
    expect(r.stderr).toBe('');
  });

  it('`pitstop help customer` is help (0); a noun without a verb is a usage error (2) showing the help', () => {
    const help = cli(['help', 'customer']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: pitstop customer/);
    const bare = cli(['customer']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^Usage: pitstop customer/);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = cli(['--version']);
    expect([r.code, r.stdout]).toEqual([0, `${pkg.version}\n`]);
  });

  it('--help needs no database', () => {
    const dir = tempDir();
    const r = cli(['customer', '--help'], { PITSTOP_DB: path.join(dir, 'x.db') });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'x.db'))).toBe(false);
  });
});

describe('config', () => {
  it('list, get, set; a bad value is exit 2 naming key and allowed form', () => {
    const { run } = fresh();
    const list = run(['config', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^shop\.timezone\s+Asia\/Shanghai$/m);
    expect(run(['config', 'get', 'shop.bays']).stdout).toBe('4\n');
    expect(run(['config', 'set', 'shop.bays', '6']).stdout).toBe('shop.bays = 6\n');
    expect(run(['config', 'get', 'shop.bays']).stdout).toBe('6\n');
    expect(run(['config', 'list']).stdout).toMatch(/^shop\.bays\s+\*\s+6$/m);
    expect(JSON.parse(run(['config', 'list', '--json']).stdout)).toMatchObject({ 'shop.bays': '6', 'shop.open': '08:30' });
    const bad = run(['config', 'set', 'shop.bays', 'lots']);
    expect([bad.code, bad.stderr]).toEqual([2, 'pitstop: invalid shop.bays "lots": expected a whole number from 1 to 500\n']);
    const zone = run(['config', 'set', 'shop.timezone', 'Asia/Shanghia']);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toMatch(/invalid shop.timezone "Asia\/Shanghia"/);
    const order = run(['config', 'set', 'shop.close', '08:00']);
    expect([order.code, order.stderr]).toEqual([2, 'pitstop: invalid shop.close "08:00": shop.open (08:30) must be before shop.close (08:00)\n']);
    const unknown = run(['config', 'get', 'shop.colour']);
    expect(unknown.code).toBe(2);
    expect(run(['config', 'get', 'shop.bays']).stdout).toBe('6\n');
  });
});

describe('no terminal: never prompt, never hang', () => {
  it('a missing required value is exit 2 naming the flag, with stdin a pipe', () => {
    const { run } = fresh();
    const r = run(['customer', 'add', '--name', '张伟'], {}, { input: '13800000001\n', timeout: 15_000 });
    expect([r.code, r.stderr]).toEqual([2, 'pitstop: missing required --phone\n']);
    const v = run(['vehicle', 'add', '--plate', '京A12345'], {}, { input: '', timeout: 15_000 });
    expect([v.code, v.stderr]).toEqual([2, 'pitstop: missing required --customer\n']);
    const s = run(['staff', 'add', '--name', '王芳'], {}, { input: '', timeout: 15_000 });
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--role/);
  });
});
