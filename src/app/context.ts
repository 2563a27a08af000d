/**
 * What every use-case receives: the database, the moment the command runs (injected: `--now`,
 * PITSTOP_NOW), the settings and who is acting. Nothing below this reads the clock or the environment.
 */
import os from 'node:os';
import path from 'node:path';
import { Db } from '../db/sqlite.js';
import { migrate } from '../db/migrations.js';
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

export interface ContextOptions {
  db?: string;
  now?: string;
  actor?: string;
  env?: NodeJS.ProcessEnv;
  /** The real clock, read once by the CLI entry. */
  clock?: () => Date;
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

/** Open (creating and migrating) the database and build the context of one command. */
export async function openContext(options: ContextOptions = {}): Promise<Ctx> {
  const env = options.env ?? process.env;
  const file = resolveDbPath(options.db, env);
  const db = await Db.open(file, { create: true });
  try {
    await migrate(db);
    const settings = await loadSettings(db);
    const tz = settings.timezone;
    const now = resolveNow(options.now, env.PITSTOP_NOW, tz, options.clock);
    const nowText = options.now ?? env.PITSTOP_NOW;
    const nowFrom = nowText ? { name: options.now ? ('--now' as const) : ('PITSTOP_NOW' as const), text: nowText } : undefined;
    return { db, now, settings, tz, zone: zoneOf(tz), actor: resolveActor(options.actor, env), dataDir: path.dirname(file), ...(nowFrom ? { nowFrom } : {}) };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}

/** Re-read settings after a change inside the same command. */
export async function refreshSettings(ctx: Ctx): Promise<void> {
  ctx.settings = await loadSettings(ctx.db);
  ctx.tz = ctx.settings.timezone;
  ctx.zone = zoneOf(ctx.tz);
}
