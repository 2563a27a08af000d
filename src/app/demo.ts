/**
 * `pitstop demo`: fill an empty database with a whole shop's history from the deterministic generator
 * (fixtures/generator.ts). Refuses a database that already has customers: demo data must never mix
 * with a real shop's records.
 */
import fs from 'node:fs';
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, Exit, type PitstopError } from '../errors.js';
import { checkOwnership } from '../db/ownership.js';
import { storeSetting } from '../db/settings.js';
import { Db } from '../db/sqlite.js';
import { refreshSettings } from './context.js';
import { dropIndexes, generate, GENERATOR_VERSION, restoreIndexes, type Counts, type DemoSize, type SizeSpec } from '../../fixtures/generator.js';
import { count } from '../domain/words.js';

export interface DemoOptions {
  size: DemoSize | SizeSpec;
  seed: number;
  /** Progress lines (the CLI passes one only when stderr is a terminal). */
  progress?: (message: string) => void;
}

export interface DemoResult {
  file: string;
  counts: Counts;
  seed: number;
  size: string;
}

/**
 * --replace deletes the file: allowed for a database `pitstop demo` made (audit_log says so) or one
 * without customers, never for a shop's real records (exit 4: delete such a file yourself).
 */
export async function checkReplaceable(file: string): Promise<void> {
  if (!fs.existsSync(file)) return;
  let db: Db;
  try {
    // a file of another application is never deleted (exit 2)
    db = await Db.open(file, { readonly: true, check: async (d) => void (await checkOwnership(d)) });
  } catch (err) {
    if ((err as PitstopError).exitCode === Exit.usage) throw err;
    return; // not a database we can read: nothing of value to protect here
  }
  try {
    const customers = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM customers').catch(() => undefined);
    if (!customers?.n) return;
    const demo = await db.get("SELECT 1 AS yes FROM audit_log WHERE action = 'demo' LIMIT 1").catch(() => undefined);
    if (!demo) {
      throw conflict(`--replace would delete ${file}, which holds ${count(customers.n, 'customer')} not made by pitstop demo; delete it yourself if you really mean to, or choose another file with --db`);
    }
  } finally {
    await db.close().catch(() => {});
  }
}

/** Delete a database file and its WAL/SHM companions (for --replace). */
export function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

export async function runDemo(ctx: Ctx, options: DemoOptions): Promise<DemoResult> {
  const existing = await ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM customers');
  if ((existing?.n ?? 0) > 0) {
    throw conflict(`database ${ctx.db.file} already has ${count(existing!.n, 'customer')}; demo data goes only into an empty database (use --replace to delete it and start over)`);
  }
  const staff = await ctx.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM staff');
  if ((staff?.n ?? 0) > 0) {
    throw conflict(`database ${ctx.db.file} already has ${staff!.n} staff; demo data goes only into an empty database (use --replace to delete it and start over)`);
  }
  const db = ctx.db;
  // A bulk build: indexes are built once at the end, foreign keys checked by construction.
  // No journal while building (a failed build is thrown away: --replace), so each page is written once.
  await db.exec('PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -32768; PRAGMA journal_mode = OFF');
  const indexes = await dropIndexes(db);
  let result;
  try {
    result = await generate(db, {
      size: options.size,
      seed: options.seed,
      now: ctx.now,
      tz: ctx.tz,
      lapsedMonths: ctx.settings.int('lapsed.months'),
      repeatDays: ctx.settings.int('repeat.days'),
      progress: options.progress,
    });
  } finally {
    options.progress?.('indexes');
    await restoreIndexes(db, indexes);
    await db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL');
  }
  const size = typeof options.size === 'string' ? options.size : 'custom';
  await db.transaction(async () => {
    for (const [key, value] of Object.entries(result.settings)) await storeSetting(db, key, value);
    await audit(ctx, 'demo', 'database', null, { size, seed: options.seed, generator: GENERATOR_VERSION, counts: result.counts });
  });
  await refreshSettings(ctx);
  // Fresh statistics so the planner picks the right indexes on a large data set.
  await db.exec('PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)');
  return { file: db.file, counts: result.counts, seed: options.seed, size };
}
