/** `pitstop demo` through the built binary: fills an empty database, refuses a full one, --replace. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFor, tempDir } from '../helpers.js';

describe('pitstop demo', () => {
  it('fills an empty database, prints counts and the file, refuses a second fill, and --replace starts over', () => {
    const dir = tempDir();
    const db = path.join(dir, 'demo', 'pitstop.db');
    const run = cliFor(db);
    fs.mkdirSync(path.dirname(db)); // demo makes the database, not a missing folder (SPEC §9)

    const first = run(['demo', '--size', 'small', '--seed', '3']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(db);
    expect(first.stdout).toMatch(/^customers\s+300$/m);
    expect(first.stdout).toMatch(/^vehicles\s+380$/m);
    expect(first.stdout).toMatch(/^orders\s+\d{4}$/m);
    expect(fs.existsSync(db)).toBe(true);

    const again = run(['demo']);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/already has 300 customers.*--replace/);
    expect(again.stdout).toBe('');

    // Something a person added is gone after --replace: the file is new.
    expect(run(['customer', 'add', '--name', '测试', '--phone', '13900000000', '-q']).code).toBe(0);
    const replaced = run(['demo', '--replace', '--seed', '3', '--json']);
    expect(replaced.code).toBe(0);
    const report = JSON.parse(replaced.stdout) as { database: string; counts: Record<string, number> };
    expect(report.database).toBe(db);
    expect(report.counts.customers).toBe(300);
    expect(run(['customer', 'show', '13900000000']).code).toBe(3);
  }, 120_000);

  it('--replace never deletes a database with real customers', () => {
    const db = path.join(tempDir(), 'shop.db');
    const run = cliFor(db);
    expect(run(['customer', 'add', '--name', '王芳', '--phone', '13800000001', '-q']).code).toBe(0);
    const r = run(['demo', '--replace']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('not made by pitstop demo');
    expect(run(['customer', 'show', '13800000001']).code).toBe(0);
  });

  it('refuses an unknown size with exit 2', () => {
    const run = cliFor(path.join(tempDir(), 'p.db'));
    const r = run(['demo', '--size', 'huge']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('huge');
  });
});
