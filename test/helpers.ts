/** Shared test tools: a fresh database file per test, a context at a fixed moment, the built CLI. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { openContext, type Ctx } from '../src/app/context.js';

export function tempDir(prefix = 'pitstop-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tempDbPath(): string {
  return path.join(tempDir(), 'pitstop.db');
}

/** A context on a new temporary database at shop-local `now` ("YYYY-MM-DD HH:mm"). */
export async function testCtx(now = '2026-11-23 10:00', dbPath = tempDbPath()): Promise<Ctx> {
  return openContext({ db: dbPath, now, actor: 'test', env: {} });
}

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
export const BIN = path.join(ROOT, 'bin', 'pitstop.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built binary with its own database, a fixed clock and a time zone unlike the shop's. */
export function cli(args: string[], env: Record<string, string | undefined> = {}, options: SpawnSyncOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'America/New_York', PITSTOP_USER: 'tester', ...env },
    timeout: 60_000,
    ...options,
  });
  return { code: r.status ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A CLI bound to one database and clock. */
export function cliFor(dbPath: string, now = '2026-11-23 10:00') {
  return (args: string[], env: Record<string, string | undefined> = {}, options: SpawnSyncOptions = {}) =>
    cli(args, { PITSTOP_DB: dbPath, PITSTOP_NOW: now, ...env }, options);
}
