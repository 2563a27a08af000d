/**
 * What every use-case receives: the database, the moment the command runs (injected: `--now`,
 * PITSTOP_NOW), the settings and who is acting. Nothing below this reads the clock or the environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../db/sqlite.js';
import { migrate } from '../db/migrations.js';
import { checkOwnership, claimDatabase, type Ownership } from '../db/ownership.js';
import { conflict, Exit, PitstopError } from '../errors.js';
import { loadSettings } from '../db/settings.js';
import { Settings } from '../domain/settings.js';
import type { OffsetFn } from '../domain/zone.js';
import { formatLocal } from '../domain/time.js';
import { resolveNow, zoneOf } from './clock.js';

export interface Ctx {
  db: Db;
  /** The command's "now": every default date and every recorded instant comes from it. */
  now: Date;
  settings: Settings;
  actor: string;
  /** The shop's IANA zone (shop.timezone). */
  tz: string;
  /** Its UTC offsets (minutes east of UTC at an instant), loaded by the app layer from the zone files. */
  zone: OffsetFn;
  /** Folder of the database file: the default home of exports. */
  dataDir: string;
  /** Where `now` came from when it was given (`--now` or PITSTOP_NOW), so a message can name it. */
  nowFrom?: { name: '--now' | 'PITSTOP_NOW'; text: string };
  /** Set when this command made the database file (removed again if the command fails). */
  created?: NewDatabase | null;
}

/**
 * The flag and value an event's time came from, for a message: `--at` when given, else `--now` /
 * PITSTOP_NOW when the clock was set, else the clock itself.
 */
export function eventSource(ctx: Ctx, at: string | undefined): { field: string; value: string } {
  if (at !== undefined && at !== '') return { field: '--at', value: at };
  if (ctx.nowFrom) return { field: ctx.nowFrom.name, value: ctx.nowFrom.text };
  return { field: 'time (now)', value: formatLocal(ctx.now, ctx.tz) };
}

/** What a command made to hold a new database, so that a failure can take it back. */
export interface NewDatabase {
  file: string;
  /** the file did not exist (else it existed with 0 bytes) */
  createdFile: boolean;
  /** the topmost folder this command created, or null */
  createdFolder: string | null;
}

export interface ContextOptions {
  db?: string;
  now?: string;
  actor?: string;
  env?: NodeJS.ProcessEnv;
  /** The real clock, read once by the CLI entry. */
  clock?: () => Date;
  /**
   * May this command create the database when the file is missing or empty (SPEC §9: commands that
   * record what the user entered, init, demo, restore)? Default true for library callers and tests;
   * the CLI says per command.
   */
  create?: boolean;
  /** Create any missing folder of the path (only `pitstop init`; default: only the default data folder). */
  mkdirs?: boolean;
  /** Where to say that a folder was created (stderr in the CLI). */
  note?: (text: string) => void;
}

/** `--db`, else $PITSTOP_DB, else $XDG_DATA_HOME/pitstop/pitstop.db, else ~/.local/share/pitstop/pitstop.db. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return path.resolve(flag);
  if (env.PITSTOP_DB) return path.resolve(env.PITSTOP_DB);
  const dataHome = env.XDG_DATA_HOME || path.join(env.HOME || os.homedir(), '.local', 'share');
  return path.join(dataHome, 'pitstop', 'pitstop.db');
}

export function resolveActor(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.PITSTOP_USER) return env.PITSTOP_USER;
  try {
    return os.userInfo().username;
  } catch {
    return env.USER || 'unknown';
  }
}

/** Is the path the default one (neither --db nor PITSTOP_DB)? Only its folder is made unasked. */
export function isDefaultDbPath(flag: string | undefined, env: NodeJS.ProcessEnv): boolean {
  return !flag && !env.PITSTOP_DB;
}

function howToCreate(file: string, isDefault: boolean): string {
  return isDefault ? 'pitstop init' : `pitstop --db ${JSON.stringify(file)} init`;
}

/** A file of 0 bytes counts as missing (§16). */
function hasDatabaseFile(file: string): { exists: boolean; empty: boolean } {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new PitstopError(Exit.usage, `the database path ${file} is a folder; give a file name with --db / PITSTOP_DB`);
    return { exists: true, empty: st.size === 0 };
  } catch (err) {
    if (err instanceof PitstopError) throw err;
    return { exists: false, empty: false };
  }
}

export function noDatabase(file: string, isDefault: boolean, why = 'no database file'): PitstopError {
  return new PitstopError(
    Exit.notFound,
    `no pitstop database at ${file} (${why}); check --db / PITSTOP_DB, or create one with: ${howToCreate(file, isDefault)}`,
  );
}

/**
 * Make room for a new database at `file` when it is missing or empty, as far as this command may
 * (SPEC §9): returns what was made, or null when a database file is already there.
 */
export function prepareDatabaseFile(
  file: string,
  options: { create: boolean; mkdirs: boolean; isDefault: boolean; note?: (text: string) => void },
): NewDatabase | null {
  const state = hasDatabaseFile(file);
  if (state.exists && !state.empty) return null;
  if (!options.create) throw noDatabase(file, options.isDefault, state.exists ? 'the file is empty' : 'no database file');
  const dir = path.dirname(file);
  let createdFolder: string | null = null;
  if (!fs.existsSync(dir)) {
    if (!options.mkdirs && !options.isDefault) {
      throw new PitstopError(
        Exit.notFound,
        `folder ${dir} does not exist (database ${file}); check --db / PITSTOP_DB, or create both with: ${howToCreate(file, false)}`,
      );
    }
    let top = dir;
    while (!fs.existsSync(path.dirname(top)) && path.dirname(top) !== top) top = path.dirname(top);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    createdFolder = top;
    options.note?.(`created the folder ${dir}`);
  }
  if (!state.exists) {
    // owner-only from the first byte
    fs.closeSync(fs.openSync(file, 'a', 0o600));
  }
  return { file, createdFile: !state.exists, createdFolder };
}

/** Take back a database this command made: nothing is left behind by a failed creating command. */
export function discardNewDatabase(made: NewDatabase): void {
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(made.file + suffix, { force: true });
  if (made.createdFile) fs.rmSync(made.file, { force: true });
  else fs.truncateSync(made.file, 0);
  if (!made.createdFolder) return;
  // only folders this command made, and only while empty
  for (let dir = path.dirname(made.file); ; dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === made.createdFolder) return;
  }
}

/** Open the database at `file` and bring it up to date; a missing one only when `create` allows. */
async function openDatabase(file: string, options: { create: boolean; mkdirs: boolean; isDefault: boolean; note?: (text: string) => void }): Promise<{ db: Db; made: NewDatabase | null }> {
  const made = prepareDatabaseFile(file, options);
  let db: Db | null = null;
  try {
    let own: Ownership = { fresh: true, applicationId: 0 };
    db = await Db.open(file, {
      check: async (d) => {
        own = await checkOwnership(d);
        if (own.fresh && !made && !options.create) throw noDatabase(file, options.isDefault, 'the file holds no pitstop data');
      },
    });
    await migrate(db);
    await claimDatabase(db, own.applicationId);
    return { db, made };
  } catch (err) {
    await db?.close().catch(() => {});
    if (made) discardNewDatabase(made);
    throw err;
  }
}

/**
 * Open a database that must already be there (backup, doctor), as it is: no migration. Missing or
 * empty is exit 3, another application's file exit 2.
 */
export async function openExistingDatabase(file: string, options: { readonly?: boolean; busyTimeoutMs?: number } = {}): Promise<Db> {
  const state = hasDatabaseFile(file);
  if (!state.exists || state.empty) throw noDatabase(file, false, state.exists ? 'the file is empty' : 'no database file');
  return Db.open(file, {
    ...options,
    check: async (d) => {
      if ((await checkOwnership(d)).fresh) throw noDatabase(file, false, 'the file holds no pitstop data');
    },
  });
}

/** Open (creating and migrating) the database and build the context of one command. */
export async function openContext(options: ContextOptions = {}): Promise<Ctx> {
  const env = options.env ?? process.env;
  const file = resolveDbPath(options.db, env);
  const isDefault = isDefaultDbPath(options.db, env);
  const { db, made } = await openDatabase(file, {
    create: options.create ?? true,
    mkdirs: options.mkdirs ?? options.create === undefined,
    isDefault,
    note: options.note,
  });
  try {
    const settings = await loadSettings(db);
    const tz = settings.timezone;
    const now = resolveNow(options.now, env.PITSTOP_NOW, tz, options.clock);
    const nowText = options.now ?? env.PITSTOP_NOW;
    const nowFrom = nowText ? { name: options.now ? ('--now' as const) : ('PITSTOP_NOW' as const), text: nowText } : undefined;
    return { db, now, settings, tz, zone: zoneOf(tz), actor: resolveActor(options.actor, env), dataDir: path.dirname(file), created: made, ...(nowFrom ? { nowFrom } : {}) };
  } catch (err) {
    await db.close().catch(() => {});
    if (made) discardNewDatabase(made);
    throw err;
  }
}

/**
 * `pitstop init`: create a new database (and any missing folder) and return its path. A database
 * already there is exit 4; a foreign file exit 2.
 */
export async function initDatabase(options: ContextOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const file = resolveDbPath(options.db, env);
  const state = hasDatabaseFile(file);
  if (state.exists && !state.empty) {
    // a SQLite file with nothing in it yet is made pitstop's below; a foreign one is exit 2
    let fresh = false;
    const db = await Db.open(file, { readonly: true, check: async (d) => void (fresh = (await checkOwnership(d)).fresh) });
    await db.close().catch(() => {});
    if (!fresh) throw conflict(`a pitstop database already exists at ${file}; nothing was changed`);
  }
  const ctx = await openContext({ ...options, create: true, mkdirs: true });
  try {
    const { audit } = await import('./audit.js');
    await ctx.db.transaction(() => audit(ctx, 'init', 'database', null, { file }));
  } catch (err) {
    await ctx.db.close().catch(() => {});
    if (ctx.created) discardNewDatabase(ctx.created);
    throw err;
  }
  await ctx.db.close();
  return file;
}

/** Re-read settings after a change inside the same command. */
export async function refreshSettings(ctx: Ctx): Promise<void> {
  ctx.settings = await loadSettings(ctx.db);
  ctx.tz = ctx.settings.timezone;
  ctx.zone = zoneOf(ctx.tz);
}
