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

describe('a killed import (13.13)', () => {
  it('leaves nothing visible and nothing behind; the next import runs whole', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers.js');
    const dir = tempDir();
    const db = path.join(dir, 'pitstop.db');
    const run = cliFor(db);
    expect(run(['config', 'set', 'shop.name', '测试店']).code).toBe(0);
    const file = path.join(dir, 'big.csv');
    const lines = ['name,phone'];
    for (let i = 0; i < 120_000; i++) lines.push(`客户${i},139${String(i).padStart(8, '0')}`);
    fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
    const child = spawn(process.execPath, [BIN, 'import', 'customers', file], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00', PITSTOP_USER: 'tester' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Kill it while it reads the file (it holds the CSV open only while reading and staging).
    const reading = () => {
      try {
        return fs.readdirSync(`/proc/${child.pid}/fd`).some((fd) => {
          try {
            return fs.readlinkSync(`/proc/${child.pid}/fd/${fd}`) === file;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 3000 && !reading(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(reading()).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe(null);
    const after = run(['customer', 'list', '--json', '--limit', '5']);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([]);
    const audit = run(['audit', '--json']);
    expect(audit.stdout).not.toContain('"import"');
    // nothing but the database and the input in the folder
    expect(fs.readdirSync(dir).filter((f) => !/^pitstop\.db(-wal|-shm)?$/.test(f))).toEqual(['big.csv']);
    const again = run(['import', 'customers', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('imported 120000 customers');
  }, 120_000);
});

describe('the rejected file cannot be written (13.5)', () => {
  it('a folder in the way: exit 2 naming it, nothing imported', () => {
    const { dir, run } = shop();
    const file = path.join(dir, 'c.csv');
    fs.writeFileSync(file, 'name,phone\r\n李娜,13800000002\r\n王五,12345\r\n');
    fs.mkdirSync(path.join(dir, 'c.rejected.csv'));
    const r = run(['import', 'customers', file, '--skip-invalid']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('c.rejected.csv');
    expect(r.stdout).toBe('');
    expect(run(['customer', 'show', '13800000002']).code).toBe(3);
  });
});

describe('undecodable bytes in an import (13.9)', () => {
  it('exit 2 naming the line', () => {
    const { dir, run } = shop();
    const file = path.join(dir, 'c.csv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('name,phone\r\n'), Buffer.from([0xff, 0xfe, 0xfa, 0xfb]), Buffer.from(',13800000002\r\n')]));
    const r = run(['import', 'customers', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 2: bytes that are neither UTF-8 nor GBK/GB18030');
    expect(run(['customer', 'show', '13800000002']).code).toBe(3);
  });
});
