/** Db.forEachRow: rows in order to a synchronous callback, the count, and both kinds of failure. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../src/db/sqlite.js';
import { tempDbPath } from '../helpers.js';

let db: Db;

beforeEach(async () => {
  db = await Db.open(tempDbPath(), { create: true });
  await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  await db.run(`INSERT INTO t (id, v) SELECT value, 'v' || value FROM json_each(?)`, [JSON.stringify(Array.from({ length: 5000 }, (_, i) => i + 1))]);
});
afterEach(async () => {
  await db.close();
});

describe('Db.forEachRow', () => {
  it('hands every row in order and returns the count', async () => {
    const seen: number[] = [];
    const n = await db.forEachRow<{ id: number; v: string }>('SELECT id, v FROM t WHERE id > ? ORDER BY id DESC', [10], (r) => {
      expect(r.v).toBe(`v${r.id}`);
      seen.push(r.id);
    });
    expect(n).toBe(4990);
    expect(seen).toEqual(Array.from({ length: 4990 }, (_, i) => 5000 - i));
    expect(await db.forEachRow('SELECT * FROM t WHERE 0', [], () => {})).toBe(0);
  });

  it('rejects with the error a callback throws and stops handing rows', async () => {
    let calls = 0;
    const boom = new Error('boom');
    await expect(db.forEachRow('SELECT id FROM t ORDER BY id', [], () => {
      calls++;
      if (calls === 3) throw boom;
    })).rejects.toBe(boom);
    expect(calls).toBe(3);
  });

  it('rejects on a statement error, as all() does', async () => {
    const viaAll = await db.all('SELECT * FROM missing_table').catch((e: Error) => e);
    const viaEach = await db.forEachRow('SELECT * FROM missing_table', [], () => {}).catch((e: Error) => e);
    expect(viaEach).toBeInstanceOf(Error);
    expect((viaEach as Error).message).toBe((viaAll as Error).message);
  });
});
