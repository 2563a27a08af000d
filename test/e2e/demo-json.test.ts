/** `pitstop demo --json` keeps the database it built (it used to take the new file back after printing). */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, tempDbPath } from '../helpers.js';

describe('demo --json', () => {
  it('prints the counts and leaves the database in place', () => {
    const db = tempDbPath();
    const r = cli(['--db', db, '--now', '2026-12-01 10:00', 'demo', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ database: db, size: 'small', seed: 1 });
    expect(fs.existsSync(db)).toBe(true);
    expect(cli(['--db', db, 'customer', 'list', '--json']).code).toBe(0);
  });
});
