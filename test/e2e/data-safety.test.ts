/**
 * Issue 13 (data safety) items 9, 10, 12 and 5, and issue 12 item 7, through the built binary:
 * exit codes, messages that name the flag or line, nothing written on failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliFor, tempDir } from '../helpers.js';

function shop() {
  const dir = tempDir();
  const db = path.join(dir, 'pitstop.db');
  const run = cliFor(db, '2026-11-23 09:30');
  for (const args of [
    ['customer', 'add', '--name', '张三', '--phone', '13800138000', '-q'],
    ['vehicle', 'add', '--customer', '13800138000', '--plate', '京A12345', '--mileage', '40000', '-q'],
  ]) expect(run(args).code, args.join(' ')).toBe(0);
  return { dir, db, run };
}

describe('a clock before the order was opened (13.12)', () => {
  it('order pay / order deliver name --now or PITSTOP_NOW and the value, not "undefined"', () => {
    const { db, run } = shop();
    const open = run(['order', 'open', '--plate', '京A12345', '--mileage', '40100', '-q', '--no-input']);
    expect(open.code, open.stderr).toBe(0);
    const ro = open.stdout.trim();
    for (const args of [
      ['order', 'labor', ro, '保养', '--hours', '1'],
      ['order', 'approve', ro],
      ['order', 'start', ro],
      ['order', 'qc', ro, '--pass'],
    ]) expect(run(args).code, args.join(' ')).toBe(0);
    const early = cliFor(db, '2026-11-22 08:00');
    const pay = early(['order', 'pay', ro, '--amount', '10', '--method', 'cash']);
    expect(pay.code).toBe(2);
    expect(pay.stderr).toContain('PITSTOP_NOW "2026-11-22 08:00"');
    expect(pay.stderr).toContain('before the order was opened');
    expect(pay.stderr).not.toContain('undefined');
    const deliver = cli(['--db', db, '--now', '2026-11-22 08:00', 'order', 'deliver', ro]);
    expect(deliver.code).toBe(2);
    expect(deliver.stderr).toContain('--now "2026-11-22 08:00"');
    expect(deliver.stderr).not.toContain('undefined');
    const at = run(['order', 'pay', ro, '--amount', '10', '--method', 'cash', '--at', '2026-11-23 09:00']);
    expect(at.code).toBe(2);
    expect(at.stderr).toContain('--at "2026-11-23 09:00"');
  });
});

describe('customer list --search of huge length (13.10)', () => {
  it('is exit 2 naming the length limit, not an internal error', () => {
    const { run } = shop();
    const long = 'x'.repeat(50_001);
    const r = run(['customer', 'list', '--search', long]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--search');
    expect(r.stderr).toContain('at most 200 characters');
    expect(r.stderr.length).toBeLessThan(500);
    expect(run(['vehicle', 'list', '--search', long]).code).toBe(2);
    const ok = run(['customer', 'list', '--search', '张'.repeat(200)]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});
