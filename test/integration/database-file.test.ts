/**
 * Which file pitstop opens, creates or refuses (SPEC §9, §16 "Databases"), on real SQLite files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { openContext, initDatabase } from '../../src/app/context.js';
import { Db } from '../../src/db/sqlite.js';
import { APPLICATION_ID } from '../../src/db/ownership.js';
import { migrations } from '../../src/db/migrations.js';

async function applicationId(file: string): Promise<number> {
  const db = await Db.open(file, { readonly: true });
  try {
    return (await db.get<{ application_id: number }>('PRAGMA application_id'))!.application_id;
  } finally {
    await db.close();
  }
}

async function exitOf(p: Promise<unknown>): Promise<number | string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return (err as { exitCode?: number }).exitCode ?? String(err);
  }
}

const snapshot = (file: string) => ({ bytes: fs.readFileSync(file), mtime: fs.statSync(file).mtimeMs });

describe('database files', () => {
  it('a new database carries pitstop\'s application_id', async () => {
    const file = path.join(tempDir(), 'new.db');
    const ctx = await openContext({ db: file, now: '2026-11-23 10:00', env: {} });
    await ctx.db.close();
    expect(await applicationId(file)).toBe(APPLICATION_ID);
  });

  it('a first-release database (application_id 0) is migrated as before and gets it then', async () => {
    const file = path.join(tempDir(), 'old.db');
    const raw = await Db.open(file, { create: true });
    await raw.exec(migrations[0]!);
    await raw.exec('PRAGMA user_version = 1');
    await raw.exec(`INSERT INTO customers (name, phone, kind, created_at) VALUES ('张三', '13800000001', 'private', '2026-01-01T00:00:00.000Z')`);
    await raw.close();
    expect(await applicationId(file)).toBe(0);
    const ctx = await openContext({ db: file, now: '2026-11-23 10:00', env: {}, create: false });
    const n = await ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM customers');
    await ctx.db.close();
    expect(n!.n).toBe(1);
    expect(await applicationId(file)).toBe(APPLICATION_ID);
  });

  it("another application's file is exit 2 for reading and creating commands alike, byte for byte untouched", async () => {
    const dir = tempDir();
    const tables = path.join(dir, 'tables.db');
    const raw = await Db.open(tables, { create: true });
    await raw.exec(`PRAGMA journal_mode = DELETE; CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('x')`);
    await raw.close();
    const other = path.join(dir, 'other-id.db');
    const raw2 = await Db.open(other, { create: true });
    await raw2.exec(`PRAGMA journal_mode = DELETE; PRAGMA application_id = 1234; CREATE TABLE customers (id INTEGER)`);
    await raw2.close();
    for (const file of [tables, other]) {
      const before = snapshot(file);
      for (const create of [false, true]) {
        expect(await exitOf(openContext({ db: file, now: '2026-11-23 10:00', env: {}, create }))).toBe(2);
      }
      expect(await exitOf(initDatabase({ db: file, env: {} }))).toBe(2);
      expect(snapshot(file)).toEqual(before);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['other-id.db', 'tables.db']);
  });

  it('a missing or empty file: exit 3 unless the command creates; a failed creation leaves nothing', async () => {
    const dir = tempDir();
    const missing = path.join(dir, 'missing.db');
    expect(await exitOf(openContext({ db: missing, env: {}, create: false }))).toBe(3);
    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(empty, '');
    expect(await exitOf(openContext({ db: empty, env: {}, create: false }))).toBe(3);
    // a creating command in a folder that does not exist: exit 3, only init makes folders
    expect(await exitOf(openContext({ db: path.join(dir, 'sub', 'x.db'), env: {}, create: true, mkdirs: false }))).toBe(3);
    // a creating command whose opening fails (a bad --now) takes the new file back
    expect(await exitOf(openContext({ db: missing, env: {}, now: 'tomorrow', create: true, mkdirs: false }))).toBe(2);
    expect(fs.readdirSync(dir)).toEqual(['empty.db']);
    expect(fs.statSync(empty).size).toBe(0);
  });

  it('init creates missing folders and the database, and refuses a second time (exit 4)', async () => {
    const file = path.join(tempDir(), 'a', 'b', 'pitstop.db');
    expect(await initDatabase({ db: file, env: {}, now: '2026-11-23 10:00' })).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await applicationId(file)).toBe(APPLICATION_ID);
    expect(await exitOf(initDatabase({ db: file, env: {} }))).toBe(4);
  });
});
