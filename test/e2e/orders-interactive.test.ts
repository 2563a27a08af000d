/**
 * `order open` at a terminal: the built binary in a pseudo-terminal (python3's pty module drives it,
 * test/e2e/orders-pty-drive.py), answering the prompts like a person at the desk.
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, cliFor, tempDbPath } from '../helpers.js';

const DRIVER = path.join(ROOT, 'test', 'e2e', 'orders-pty-drive.py');
const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

function atTerminal(db: string, args: string[], steps: Array<[string, string]>): { code: number; error: string | null; transcript: string } {
  const r = spawnSync('python3', [DRIVER, JSON.stringify([process.execPath, BIN, ...args]), JSON.stringify(steps)], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'America/New_York', PITSTOP_USER: 'desk', PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00', TERM: 'xterm' },
    timeout: 90_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { code: number; error: string | null; transcript: string };
}

/** The transcript without colours and cursor moves. */
const plain = (t: string) => t.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe.skipIf(!hasPython)('order open at a terminal', () => {
  const db = tempDbPath();
  const run = cliFor(db, '2026-11-23 10:00');

  beforeAll(() => {
    expect(cliFor(db, '2026-06-01 10:00')(['customer', 'add', '--name', '张三', '--phone', '13800138000']).code).toBe(0);
    expect(cliFor(db, '2026-06-01 10:00')(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '40000']).code).toBe(0);
  });

  it('asks for the plate, mileage and complaint of a known car', () => {
    const r = atTerminal(db, ['order', 'open'], [['Plate', '京A12345\r'], ['Mileage', '45000\r'], ['Complaint', '异响\r']]);
    expect(r.error, r.transcript).toBeNull();
    expect(r.code, r.transcript).toBe(0);
    expect(plain(r.transcript)).toContain('opened RO-20261123-0001 for 京A12345 at 45000 km');
    const o = JSON.parse(run(['order', 'show', 'RO-20261123-0001', '--json']).stdout);
    expect(o.order).toMatchObject({ mileage_in: 45000, complaint: '异响', plate: '京A12345' });
  });

  it('offers to register an unknown car and its owner, all in one go', () => {
    const r = atTerminal(db, ['order', 'open', '--category', 'maintenance'], [
      ['Plate', '粤B88888\r'],
      ['Register the customer and vehicle now?', 'y\r'],
      ['Owner phone', '13900139000\r'],
      ['Owner name', '王五\r'],
      ['Kind', '\r'],
      ['Mileage', '12000\r'],
      ['Complaint', '\r'],
      ['Make', '比亚迪\r'],
      ['Model', '\r'],
    ]);
    expect(r.error, r.transcript).toBeNull();
    expect(r.code, r.transcript).toBe(0);
    expect(plain(r.transcript)).toContain('opened RO-20261123-0002 for 粤B88888 at 12000 km');
    const v = JSON.parse(run(['vehicle', 'show', '粤B88888', '--json']).stdout);
    expect(v.vehicle).toMatchObject({ plate: '粤B88888', make: '比亚迪' });
    expect(v.owner).toMatchObject({ name: '王五', phone: '13900139000' });
  });

  it('Ctrl-C at a prompt exits 130 and writes nothing', () => {
    const before = run(['order', 'list', '--json']).stdout;
    const r = atTerminal(db, ['order', 'open'], [['Plate', '沪C12345\r'], ['Register the customer and vehicle now?', 'y\r'], ['Owner phone', '\u0003']]);
    expect(r.code, r.transcript).toBe(130);
    expect(plain(r.transcript)).toContain('cancelled, nothing written');
    expect(run(['order', 'list', '--json']).stdout).toBe(before);
    expect(run(['vehicle', 'show', '沪C12345']).code).toBe(3);
  });

  it('without a terminal, or with --no-input, a missing value is exit 2 naming the flag', () => {
    const r = run(['order', 'open', '--plate', '京A12345']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'pitstop: missing required --mileage\n' });
    const t = atTerminal(db, ['order', 'open', '--no-input', '--mileage', '100'], []);
    expect(t.code, t.transcript).toBe(2);
    expect(plain(t.transcript)).toContain('pitstop: missing required --plate (or --booking)');
  });
});
