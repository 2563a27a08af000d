/**
 * `order inspect RO` at a terminal with nothing given asks the template item by item (SPEC §12): the
 * built binary in a pseudo-terminal (python3's pty module, test/e2e/orders-pty-drive.py), answered
 * like an advisor walking round the car: a measure, a pass/fail with a note, a value out of range that
 * is asked again, Enter to skip; and Ctrl-D half-way records nothing.
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, cliFor, tempDbPath } from '../helpers.js';

const DRIVER = path.join(ROOT, 'test', 'e2e', 'orders-pty-drive.py');
const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

function atTerminal(db: string, args: string[], steps: Array<[string, string]>) {
  const r = spawnSync('python3', [DRIVER, JSON.stringify([process.execPath, BIN, ...args]), JSON.stringify(steps)], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'America/New_York', PITSTOP_USER: 'desk', PITSTOP_DB: db, PITSTOP_NOW: '2026-11-23 10:00', TERM: 'xterm' },
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { code: number; error: string | null; transcript: string };
}

const plain = (t: string) => t.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
const asked = (item: string) => `· ${item} (`;

describe.skipIf(!hasPython)('order inspect at a terminal', () => {
  let db: string;
  let run: ReturnType<typeof cliFor>;
  let items: string[];

  beforeEach(() => {
    db = tempDbPath();
    run = cliFor(db, '2026-11-23 10:00');
    expect(run(['customer', 'add', '--name', '张三', '--phone', '13800000001', '-q']).code).toBe(0);
    expect(run(['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '50000', '-q']).code).toBe(0);
    expect(run(['order', 'open', '--plate', '京A12345', '--mileage', '50100', '-q', '--no-input']).stdout.trim()).toBe('RO-20261123-0001');
    items = (JSON.parse(run(['inspection', 'template', 'show', '常规检查', '--json']).stdout).items as Array<{ item: string }>).map((i) => i.item);
    expect(items.slice(0, 3)).toEqual(['前制动片', '后制动片', '前制动盘']);
  });

  it('asks every item, re-asks a value out of range, skips on Enter, and records the colours', () => {
    const steps: Array<[string, string]> = [
      [asked('前制动片'), '2.5\r'],
      [asked('后制动片'), '99\r'],
      ['后制动片 "99": a value from 0 to 20 mm', '\u007f\u007f3.6\r'],
      [asked('前制动盘'), 'fail:有划痕\r'],
      ...items.slice(3).map((item): [string, string] => [asked(item), '\r']),
    ];
    const r = atTerminal(db, ['order', 'inspect', 'RO-20261123-0001'], steps);
    expect(r.error, plain(r.transcript)).toBeNull();
    expect(r.code, plain(r.transcript)).toBe(0);
    const t = plain(r.transcript);
    expect(t).toContain(`inspection 常规检查: ${items.length} items; Enter skips an item`);
    expect(t).toContain('RO-20261123-0001: inspected with 常规检查, 3 reading(s)');

    const shown = JSON.parse(run(['order', 'show', 'RO-20261123-0001', '--json']).stdout);
    const readings = shown.inspection as Array<{ item: string; colour: string; value: number | null; passed: boolean | null; note: string | null }>;
    expect(readings.map((x) => [x.item, x.colour])).toEqual([
      ['前制动片', 'red'],
      ['后制动片', 'yellow'],
      ['前制动盘', 'red'],
    ]);
    expect(readings.find((x) => x.item === '后制动片')!.value).toBe(3.6);
    expect(readings.find((x) => x.item === '前制动盘')).toMatchObject({ passed: false, note: '有划痕' });
  });

  it('Ctrl-D half-way records nothing and exits 130', () => {
    const r = atTerminal(db, ['order', 'inspect', 'RO-20261123-0001'], [
      [asked('前制动片'), '2.5\r'],
      [asked('后制动片'), '3.6\r'],
      [asked('前制动盘'), '\u0004'],
    ]);
    expect(r.error, plain(r.transcript)).toBeNull();
    expect(r.code).toBe(130);
    expect(plain(r.transcript)).toContain('pitstop: cancelled, nothing written');
    const shown = JSON.parse(run(['order', 'show', 'RO-20261123-0001', '--json']).stdout);
    expect(JSON.stringify(shown)).not.toContain('前制动片');
  });
});
