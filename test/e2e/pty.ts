/**
 * Type into the built binary through a pseudo-terminal (test/e2e/bookings-pty-driver.py): each step
 * waits for a text on the screen, then sends keys. Used by the booking and callback prompt tests.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BIN, ROOT } from '../helpers.js';

const DRIVER = path.join(ROOT, 'test', 'e2e', 'bookings-pty-driver.py');
export const DOWN = '\x1b[B';
export const ENTER = '\r';

export interface Typed {
  code: number;
  stdout: string;
  terminal: string;
  failed_step: number | null;
}

export function typeInto(db: string, now: string, args: string[], steps: Array<[string, string]>): Typed {
  const spec = {
    argv: [process.execPath, BIN, ...args],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm', TZ: 'America/New_York', PITSTOP_DB: db, PITSTOP_NOW: now, PITSTOP_USER: 'desk' },
    steps,
    timeout: 40,
  };
  const r = spawnSync('python3', [DRIVER], { input: JSON.stringify(spec), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Typed;
}
