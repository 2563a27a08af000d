/** `pitstop init` and which commands may create a database (SPEC §9), through the built binary. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFor, tempDir } from '../helpers.js';

describe('pitstop init', () => {
  it('creates the database and any missing folder, prints its path; a second time is exit 4', () => {
    const db = path.join(tempDir(), 'srv', 'pitstop', 'shop.db');
    const run = cliFor(db);
    let r = run(['init']);
    expect([r.code, r.stdout]).toEqual([0, `${db}\n`]);
    expect(r.stderr).toBe(`pitstop: created the folder ${path.dirname(db)}\n`);
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
    expect(run(['customer', 'list', '--json']).stdout).toBe('[]\n');
    r = run(['init']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(`pitstop: a pitstop database already exists at ${db}; nothing was changed\n`);
  });

  it('a creating command makes the file but not a missing folder; a reading command makes nothing', () => {
    const dir = tempDir();
    const inFolder = path.join(dir, 'typo', 'pitstop.db');
    let r = cliFor(inFolder)(['customer', 'add', '--name', '张三', '--phone', '13800000001']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`folder ${path.dirname(inFolder)} does not exist`);
    const db = path.join(dir, 'pitstop.db');
    for (const args of [['customer', 'list'], ['report', 'revenue'], ['export', 'customers'], ['audit'], ['backup', path.join(dir, 'b.db')], ['doctor'], ['jobs', 'history']]) {
      r = cliFor(db)(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 3]);
      expect(r.stderr).toContain(`no pitstop database at ${db}`);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    r = cliFor(db)(['config', 'set', 'shop.name', '平安汽车服务']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });

  it("another application's file: every command is exit 2, the file untouched", async () => {
    const dir = tempDir();
    const db = path.join(dir, 'other-app.db');
    const { Db } = await import('../../src/db/sqlite.js');
    const raw = await Db.open(db, { create: true });
    await raw.exec(`PRAGMA journal_mode = DELETE; CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)`);
    await raw.close();
    const before = { bytes: fs.readFileSync(db), mtime: fs.statSync(db).mtimeMs };
    for (const args of [['customer', 'list'], ['customer', 'add', '--name', '张三', '--phone', '13800000001'], ['init'], ['demo', '--replace'], ['doctor'], ['config', 'set', 'shop.bays', '3']]) {
      const r = cliFor(db)(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toContain(`${db} is not a pitstop database: it holds another application's tables (photos)`);
    }
    expect(fs.readFileSync(db).equals(before.bytes)).toBe(true);
    expect(fs.statSync(db).mtimeMs).toBe(before.mtime);
    expect(fs.readdirSync(dir)).toEqual(['other-app.db']);
  });
});
