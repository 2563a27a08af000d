/**
 * Keeping the database safe: `backup` (SQLite's online backup API into a temporary file, renamed into
 * place), `restore` (validate a copy beside the database, then rename it over), `doctor` (read-only
 * checks of the file and of the rules the application keeps), and the audit-log listing.
 *
 * Exit codes (SPEC §2): a FILE that is not a pitstop database → 2; a FILE from a newer pitstop → 5
 * (like opening one); replacing a database that holds data without --force → 4; an existing backup
 * FILE without --force → 4; doctor: 0 all checks pass, 4 a problem found, 5 the database cannot be read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openExistingDatabase, type Ctx } from './context.js';
import { resolveNow as resolveNowIn, systemClock } from './clock.js';
import { APPLICATION_ID, checkOwnership, claimDatabase } from '../db/ownership.js';
import { Db, mapFsError } from '../db/sqlite.js';
import { assertReplaceable, commitTemp, createTemp, deadTemps, fsyncDir, removeStaleTemps } from '../fsx/atomic.js';
import { backupAttachmentsDir, copyPhotos, missingPhotos, photoNames } from '../fsx/attachments.js';
import { attachmentHashes } from '../db/inspection.js';
import crypto from 'node:crypto';
import { migrate, SCHEMA_VERSION, userVersion } from '../db/migrations.js';
import {
  backwardReadings, foreignKeyCheck, hasData, integrityCheck, lastMaintenanceMismatches, orphanRows, REQUIRED_TABLES, storedSettings,
  tableCounts, tableNames, totalsMismatches, type BackwardReading, type LastMaintenanceMismatch, type TotalsMismatch,
} from '../db/admin.js';
import { listAudit, writeAudit, type AuditRow } from '../db/audit.js';
import { checkSetting, SETTINGS } from '../domain/settings.js';
import { formatLocal, isTimeZone, parseLocalDateTime, parseLocalDayOrTime, toIso } from '../domain/time.js';
import { cleanText } from '../domain/identity.js';
import { conflict, Exit, invalid, PitstopError, show, storage, usage } from '../errors.js';
import { count } from '../domain/words.js';

const SUMMARY_TABLES = ['customers', 'vehicles', 'bookings', 'orders', 'order_lines', 'payments', 'audit_log'] as const;
const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** Make a file's contents and its folder entry durable. */
function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function removeQuietly(...files: string[]): void {
  for (const f of files) {
    try {
      fs.rmSync(f, { force: true });
    } catch {
      /* nothing to clean */
    }
  }
}

/** The side files SQLite may keep next to a database. */
function sideFiles(file: string): string[] {
  return [`${file}-wal`, `${file}-shm`, `${file}-journal`];
}

function samePath(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

// ───────────────────────────── backup ─────────────────────────────

export interface BackupResult {
  database: string;
  file: string;
  bytes: number;
  schema_version: number;
  counts: Record<string, number>;
  attachments: BackupPhotos;
}

/** What happened to the photos (SPEC §16): they are copied into `FILE.attachments/`. */
export interface BackupPhotos {
  /** the folder beside the backup file, or null when the database has no photos */
  folder: string | null;
  /** photos the backup database refers to */
  referenced: number;
  copied: number;
  present: number;
  /** referenced but not in the data folder's attachments (or damaged there): not in the backup */
  missing: string[];
}

/**
 * Copy the database at `dbFile` to `dest` with SQLite's online backup API: one consistent snapshot
 * even while other processes write. Written to a temporary name beside `dest` (mode 0600), checked,
 * then renamed into place: `dest` is never half-written.
 */
export async function backupDatabase(dbFile: string, destText: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  if (!destText || !String(destText).trim()) throw usage('missing backup FILE');
  const dest = path.resolve(destText);
  if (samePath(dest, dbFile)) throw invalid('backup file', destText, 'is the database itself; choose another file');
  const dir = path.dirname(dest);
  if (!fs.existsSync(dir)) throw invalid('backup file', destText, `folder ${dir} does not exist`);
  // only a regular file may be replaced (never a device, FIFO or folder), and only with --force
  assertReplaceable(dest, 'backup file', destText, '--force');
  if (fs.existsSync(dest) && !options.force) throw conflict(`${dest} already exists; use --force to overwrite it`);
  const db = await openExistingDatabase(dbFile);
  let tmp: string | null = null;
  try {
    // a random name created exclusively, never through a link planted at a predictable name; what
    // killed backups left in this folder goes first
    removeStaleTemps(dest);
    const created = await createTemp(dest);
    tmp = created.temp;
    await created.handle.close();
    await db.backupTo(tmp);
  } catch (err) {
    if (tmp) removeQuietly(tmp, ...sideFiles(tmp));
    throw mapFsError(err, tmp ?? dest);
  } finally {
    await db.close().catch(() => {});
  }
  try {
    // Check the copy opens, and count what it holds.
    const copy = await Db.open(tmp);
    let version: number;
    let counts: Record<string, number>;
    let photos: string[];
    try {
      version = await userVersion(copy);
      counts = await tableCounts(copy, SUMMARY_TABLES);
      photos = (await tableNames(copy)).includes('attachments') ? (await attachmentHashes(copy)).map((r) => r.sha256) : [];
      // A self-contained file: no WAL next to it once renamed.
      await copy.exec('PRAGMA journal_mode = DELETE');
    } finally {
      await copy.close().catch(() => {});
    }
    removeQuietly(...sideFiles(tmp));
    await commitTemp(tmp, dest);
    const attachments = backupPhotos(path.join(path.dirname(dbFile), 'attachments'), dest, photos);
    return { database: dbFile, file: dest, bytes: fs.statSync(dest).size, schema_version: version, counts, attachments };
  } catch (err) {
    removeQuietly(tmp, ...sideFiles(tmp));
    throw mapFsError(err, dest);
  }
}

/**
 * The photos the backup refers to, copied beside it (only those the folder does not hold yet). Photos
 * stored after the snapshot are copied too: harmless, the next restore simply has them.
 */
function backupPhotos(source: string, dest: string, referenced: string[]): BackupPhotos {
  const folder = backupAttachmentsDir(dest);
  if (!referenced.length && !photoNames(source).length) return { folder: null, referenced: 0, copied: 0, present: 0, missing: [] };
  try {
    const r = copyPhotos(source, folder);
    const missing = missingPhotos(folder, referenced);
    return { folder, referenced: referenced.length, copied: r.copied, present: r.present, missing };
  } catch (err) {
    throw mapFsError(err, folder);
  }
}

// ───────────────────────────── restore ─────────────────────────────

export interface RestoreResult {
  database: string;
  from: string;
  schema_version: number;
  migrated_from: number | null;
  replaced: boolean;
  counts: Record<string, number>;
  attachments: RestorePhotos;
}

/** The photos brought back from `FILE.attachments/` into the data folder's attachments. */
export interface RestorePhotos {
  /** the backup's photo folder, or null when it has none */
  folder: string | null;
  referenced: number;
  copied: number;
  present: number;
  /** in the backup's folder but not matching their name: not restored */
  damaged: string[];
  /** referenced by the restored database and not in the data folder afterwards */
  missing: string[];
}

function notPitstop(fileText: string, why: string): PitstopError {
  return new PitstopError(Exit.usage, `${show(fileText)} is not a pitstop database: ${why}; nothing was changed`);
}

/** Is the current database worth protecting? Returns what it holds, or 'unreadable'. */
async function currentState(dbFile: string): Promise<{ unreadable: true } | { unreadable: false; data: boolean; counts: Record<string, number> }> {
  let db: Db;
  try {
    // another application's file is never replaced (exit 2), not even with --force
    db = await Db.open(dbFile, { busyTimeoutMs: 3000, check: async (d) => void (await checkOwnership(d)) });
  } catch (err) {
    const code = (err as PitstopError).exitCode;
    if (code === Exit.storage) {
      // a database nobody can read: only --force replaces it
      return { unreadable: true };
    }
    throw err;
  }
  try {
    return { unreadable: false, data: await hasData(db), counts: await tableCounts(db, SUMMARY_TABLES) };
  } catch {
    return { unreadable: true };
  } finally {
    await db.close().catch(() => {});
  }
}

/**
 * Leave the current database without a WAL so nothing of it can be replayed onto the restored file:
 * leaving WAL mode needs every other connection closed, so this also tells us nobody is using it.
 */
async function quiesce(dbFile: string): Promise<void> {
  const db = await Db.open(dbFile, { busyTimeoutMs: 3000 });
  try {
    await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const row = await db.get<{ journal_mode: string }>('PRAGMA journal_mode = DELETE');
    if (row?.journal_mode !== 'delete') throw new Error('busy');
  } catch (err) {
    const code = (err as PitstopError).exitCode;
    if (code !== undefined && code !== Exit.storage) throw err;
    throw storage(
      `storage unavailable: the database ${dbFile} is in use by another pitstop process (cron, another desk); stop them and run restore again — nothing was changed`,
    );
  } finally {
    await db.close().catch(() => {});
  }
}

/**
 * Replace the database at `dbFile` with the backup `srcText`. The backup is copied beside the database
 * and checked there (a SQLite file, pitstop's tables, a schema version this pitstop understands,
 * integrity), migrated when older, and only then renamed over the database. A database holding data
 * is replaced only with `force`. The restore is recorded in the restored database's audit log.
 */
export async function restoreDatabase(
  dbFile: string,
  srcText: string,
  options: { force?: boolean; actor: string; now?: string; clock?: () => Date; mayCreateFolder?: boolean; note?: (text: string) => void },
): Promise<RestoreResult> {
  if (!srcText || !String(srcText).trim()) throw usage('missing backup FILE to restore');
  const src = path.resolve(srcText);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(src);
  } catch {
    throw invalid('backup file', srcText, 'no such file');
  }
  if (!stat.isFile()) throw notPitstop(srcText, 'not a regular file');
  if (samePath(src, dbFile)) throw invalid('backup file', srcText, 'is the database itself');
  // The SQLite header, before anything else touches the file.
  const head = Buffer.alloc(16);
  const fd = fs.openSync(src, 'r');
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (stat.size < 100 || head.toString('latin1') !== SQLITE_MAGIC) throw notPitstop(srcText, 'not an SQLite database file');

  const dir = path.dirname(dbFile);
  if (!fs.existsSync(dir)) {
    // only the default data folder is made unasked; any other is `pitstop init`'s to make (SPEC §9)
    if (!options.mayCreateFolder) {
      throw new PitstopError(Exit.notFound, `folder ${dir} does not exist (database ${dbFile}); check --db / PITSTOP_DB, or create it with: pitstop --db ${JSON.stringify(dbFile)} init`);
    }
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw mapFsError(err, dir);
    }
    options.note?.(`created the folder ${dir}`);
  }
  const existing = fs.existsSync(dbFile) && fs.statSync(dbFile).size > 0;
  if (existing) {
    const state = await currentState(dbFile);
    if (state.unreadable && !options.force) {
      throw conflict(`the current database ${dbFile} cannot be read; use --force to replace it with ${src}`);
    }
    if (!state.unreadable && state.data && !options.force) {
      const c = state.counts;
      throw conflict(
        `the database ${dbFile} holds data (${count(c.customers ?? 0, 'customer')}, ${count(c.orders ?? 0, 'order')}); ` +
          `use --force to replace it (make a copy first: pitstop backup FILE)`,
      );
    }
  }

  // what killed restores and backups left here goes first; then a fresh, unpredictable name
  removeStaleTemps(dbFile);
  let attachments!: RestorePhotos;
  const tmp = `${dbFile}.restore-${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  let result: Omit<RestoreResult, 'replaced' | 'attachments'>;
  let photos: string[] = [];
  try {
    try {
      // COPYFILE_EXCL: never through a file or link already at the name
      fs.copyFileSync(src, tmp, fs.constants.COPYFILE_EXCL);
      // A copy of a live database may have committed pages still in its WAL: bring them along.
      if (fs.existsSync(`${src}-wal`)) fs.copyFileSync(`${src}-wal`, `${tmp}-wal`, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(tmp, 0o600);
    } catch (err) {
      throw mapFsError(err, tmp);
    }
    let copy: Db;
    try {
      copy = await Db.open(tmp);
    } catch (err) {
      throw notPitstop(srcText, 'SQLite cannot open it');
    }
    try {
      let version: number;
      let tables: string[];
      let applicationId: number;
      try {
        version = await userVersion(copy);
        tables = await tableNames(copy);
        applicationId = (await copy.get<{ application_id: number }>('PRAGMA application_id'))?.application_id ?? 0;
      } catch (err) {
        throw notPitstop(srcText, (err as Error).message.replace(/^storage unavailable: /, '').replace(/ \(.*\)$/, ''));
      }
      if (applicationId !== 0 && applicationId !== APPLICATION_ID) throw notPitstop(srcText, `its application_id is another application's (${applicationId})`);
      if (version > SCHEMA_VERSION) {
        throw storage(
          `${src} has schema version ${version}, newer than this pitstop understands (${SCHEMA_VERSION}); upgrade pitstop — nothing was changed`,
        );
      }
      const missingTables = REQUIRED_TABLES.filter((t) => !tables.includes(t));
      if (version === 0 && tables.length === 0) throw notPitstop(srcText, 'an empty SQLite database');
      if (missingTables.length) throw notPitstop(srcText, `tables missing: ${missingTables.join(', ')}`);
      const integrity = await integrityCheck(copy, 5);
      if (integrity.length !== 1 || integrity[0] !== 'ok') {
        throw storage(`${src} is damaged (integrity check: ${integrity[0]}); choose another backup — nothing was changed`);
      }
      if (version < SCHEMA_VERSION) await migrate(copy);
      await claimDatabase(copy, applicationId);
      const now = await resolveNow(copy, options.now, options.clock);
      await writeAudit(copy, {
        at: toIso(now),
        actor: options.actor,
        action: 'restore',
        entity: 'database',
        entityId: null,
        details: { from: src, schema_version: version },
      });
      const counts = await tableCounts(copy, SUMMARY_TABLES);
      photos = (await attachmentHashes(copy)).map((r) => r.sha256);
      // Fold any WAL into the file: the renamed file must stand alone.
      await copy.exec('PRAGMA journal_mode = DELETE');
      result = { database: dbFile, from: src, schema_version: SCHEMA_VERSION, migrated_from: version < SCHEMA_VERSION ? version : null, counts };
    } finally {
      await copy.close().catch(() => {});
    }
    removeQuietly(...sideFiles(tmp));
    fsyncFile(tmp);
    // The photos first: extra photos in the folder are harmless (content-named), a database whose
    // photos are not there yet is not.
    attachments = restorePhotos(src, path.join(dir, 'attachments'), photos);

    if (existing) {
      const state = await currentState(dbFile);
      if (!state.unreadable) await quiesce(dbFile);
      // A readable database was left without WAL by quiesce; an unreadable one (with --force) may
      // have stale side files that must not be replayed onto the restored file.
      removeQuietly(...sideFiles(dbFile));
    }
    try {
      fs.renameSync(tmp, dbFile);
    } catch (err) {
      throw mapFsError(err, dbFile);
    }
    fsyncDir(dir);
  } catch (err) {
    removeQuietly(tmp, ...sideFiles(tmp));
    throw err;
  }
  for (const name of attachments.damaged) options.note?.(`photo ${name} in ${attachments.folder} is damaged (its content does not match its name); it was not restored`);
  if (attachments.missing.length) {
    options.note?.(
      `${count(attachments.missing.length, 'photo')} the restored database refers to ${attachments.missing.length === 1 ? 'is' : 'are'} not in ${path.join(dir, 'attachments')}` +
        (attachments.folder ? '' : ` (the backup has no ${path.basename(backupAttachmentsDir(src))} folder beside it)`) +
        `: ${attachments.missing.slice(0, 5).join(', ')}${attachments.missing.length > 5 ? ', …' : ''}`,
    );
  }
  return { ...result, replaced: existing, attachments };
}

function restorePhotos(src: string, target: string, referenced: string[]): RestorePhotos {
  const from = backupAttachmentsDir(src);
  const folder = fs.existsSync(from) ? from : null;
  try {
    const r = folder ? copyPhotos(folder, target) : { copied: 0, present: 0, damaged: [] as string[] };
    return { folder, referenced: referenced.length, copied: r.copied, present: r.present, damaged: r.damaged, missing: missingPhotos(target, referenced) };
  } catch (err) {
    throw mapFsError(err, target);
  }
}

/** `--now` / PITSTOP_NOW read in the shop zone stored in `db`, else the clock. */
async function resolveNow(db: Db, nowText: string | undefined, clock: () => Date = systemClock): Promise<Date> {
  if (!nowText) return clock();
  let tz = SETTINGS.get('shop.timezone')!.default;
  try {
    const row = await db.get<{ value: string }>(`SELECT value FROM settings WHERE key = 'shop.timezone'`);
    if (row && isTimeZone(row.value)) tz = row.value;
  } catch {
    /* no settings table: the default zone */
  }
  return resolveNowIn(nowText, undefined, tz, clock);
}

// ───────────────────────────── doctor ─────────────────────────────

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** one line: "ok" or what is wrong */
  summary: string;
  /** the first problems, one a line */
  details: string[];
}

export interface DoctorReport {
  database: string;
  schema_version: number;
  ok: boolean;
  checks: DoctorCheck[];
}

/** The shop's UTC offset in minutes at `now` (for turning stored instants into shop-local days in SQL). */
function utcOffsetMinutes(now: Date, tz: string): number {
  const local = formatLocal(now, tz); // YYYY-MM-DD HH:mm
  const asUtc = Date.parse(local.replace(' ', 'T') + ':00Z');
  const truncated = Math.floor(now.getTime() / 60_000) * 60_000;
  return Math.round((asUtc - truncated) / 60_000);
}

function check(name: string, problems: string[], summary: string, limit = 20): DoctorCheck {
  return { name, ok: problems.length === 0, summary: problems.length ? summary : 'ok', details: problems.slice(0, limit) };
}

const money = (cents: number) => (cents / 100).toFixed(2);

/**
 * Check the database without changing it: file integrity, foreign keys, schema version, orphan rows,
 * stored settings that fail validation, odometer readings that go backwards, order totals that
 * drifted from their lines and payments. A database that cannot be read throws exit 5.
 */
export async function doctor(dbFile: string, options: { now?: string; clock?: () => Date; quick?: boolean } = {}): Promise<DoctorReport> {
  const db = await openExistingDatabase(dbFile, { readonly: true });
  const checks: DoctorCheck[] = [];
  try {
    let version: number;
    let tables: string[];
    try {
      version = await userVersion(db);
      tables = await tableNames(db);
    } catch (err) {
      if (err instanceof PitstopError) throw err;
      throw storage(`storage unavailable: cannot read the database ${dbFile}: ${(err as Error).message}`);
    }
    if (version > SCHEMA_VERSION) {
      throw storage(
        `database ${dbFile} has schema version ${version}, newer than this pitstop understands (${SCHEMA_VERSION}); upgrade pitstop`,
      );
    }

    const integrity = await integrityCheck(db, 20, !!options.quick);
    const integrityOk = integrity.length === 1 && integrity[0] === 'ok';
    checks.push(check('integrity', integrityOk ? [] : integrity, `the file is damaged (${integrity.length}${integrity.length >= 20 ? '+' : ''} problems); restore a backup`));

    const missingTables = REQUIRED_TABLES.filter((t) => !tables.includes(t));
    const versionProblems: string[] = [];
    if (version < SCHEMA_VERSION) versionProblems.push(`schema version ${version}, this pitstop is at ${SCHEMA_VERSION}: any other pitstop command migrates it`);
    if (missingTables.length) versionProblems.push(`tables missing: ${missingTables.join(', ')}`);
    checks.push({ ...check('schema', versionProblems, `schema version ${version}: ${versionProblems.join('; ')}`), summary: versionProblems.length ? `schema version ${version}: ${versionProblems.join('; ')}` : `version ${version}` });
    if (missingTables.length) {
      return { database: dbFile, schema_version: version, ok: false, checks };
    }

    /** Run one check; on a damaged file a check may fail outright: report that instead of giving up. */
    const guarded = async (name: string, fn: () => Promise<DoctorCheck>) => {
      try {
        checks.push(await fn());
      } catch (err) {
        if (!(err instanceof PitstopError) || err.exitCode !== Exit.storage) throw err;
        checks.push({ name, ok: false, summary: `could not run: ${err.message.replace(/^storage unavailable: /, '')}`, details: [] });
      }
    };

    await guarded('foreign keys', async () => {
      const fk = await foreignKeyCheck(db, 1000);
      return check('foreign keys', fk.map((p) => `${p.table} row ${p.rowid ?? '?'} points at a missing ${p.parent} row`), fk.length >= 1000 ? `${fk.length}+ rows point at missing rows` : `${count(fk.length, 'row points', 'rows point')} at missing rows`);
    });

    await guarded('orphan rows', async () => {
      const orphans = await orphanRows(db);
      return check('orphan rows', orphans.map((o) => `${o.count} ${o.label} (ids ${o.ids.join(', ')}${o.count > o.ids.length ? ', …' : ''})`), `${orphans.reduce((n, o) => n + o.count, 0)} orphan rows`);
    });

    let tz = SETTINGS.get('shop.timezone')!.default;
    await guarded('settings', async () => {
      const settings = await storedSettings(db);
      const stored = new Map(settings.map((s) => [s.key, s.value]));
      const bad: string[] = [];
      for (const s of settings) {
        if (!SETTINGS.has(s.key)) {
          bad.push(`${s.key}: unknown setting (value ${show(s.value)})`);
          continue;
        }
        try {
          checkSetting(s.key, s.value, stored);
        } catch (err) {
          bad.push(`${s.key} = ${show(s.value)}: ${(err as Error).message.replace(/^invalid \S+ ".*?": /, '')}`);
        }
      }
      const tzStored = stored.get('shop.timezone');
      if (tzStored && isTimeZone(tzStored)) tz = tzStored;
      return check('settings', bad, `${bad.length} stored settings are invalid; fix them with pitstop config set`);
    });

    await guarded('odometer', async () => {
      const now = await resolveNow(db, options.now, options.clock);
      const backwards = await backwardReadings(db, utcOffsetMinutes(now, tz), 20);
      const result = check('odometer', backwards.rows.map(describeBackward), `${backwards.count} odometer readings go backwards`);
      if (result.ok && backwards.forced) result.summary = `${backwards.forced} lower readings accepted with --force (audited): not a problem`;
      return result;
    });

    await guarded('order totals', async () => {
      const totals = await totalsMismatches(db, 20);
      return check('order totals', totals.rows.map(describeTotals), totals.count === 1 ? `1 order's total differs from its lines and payments` : `${totals.count} orders' totals differ from their lines and payments`);
    });

    await guarded('last maintenance', async () => {
      const stale = await lastMaintenanceMismatches(db, 20);
      const describe = (r: LastMaintenanceMismatch) =>
        `vehicle ${r.plate}: last maintenance stored ${r.stored.at ?? 'none'} ${r.stored.km ?? ''}, orders say ${r.expected.at ?? 'none'} ${r.expected.km ?? ''}`.replace(/ +/g, ' ');
      return check('last maintenance', stale.rows.map(describe), stale.count === 1 ? `1 vehicle's last maintenance differs from its orders` : `${stale.count} vehicles' last maintenance differs from their orders`);
    });

    await guarded('schedules', async () => {
      // what pitstop cron and jobs run due would refuse: node-cron's parser, and a fire in five years
      const { checkSchedule } = await import('./schedules.js');
      const now = await resolveNow(db, options.now, options.clock);
      const stored = new Map((await storedSettings(db)).map((r) => [r.key, r.value]));
      const bad: string[] = [];
      for (const [key, value] of stored) {
        if (!/^jobs\.[^.]+\.schedule$/.test(key)) continue;
        try {
          checkSchedule(key, value, now, tz);
        } catch (err) {
          bad.push(`${key} = ${show(value)}: ${(err as Error).message.replace(/^invalid \S+ ".*?": /, '')}`);
        }
      }
      return check('schedules', bad, `${count(bad.length, 'stored schedule')} cannot run; fix with pitstop config set`);
    });

    await guarded('job runs', async () => {
      // runs still marked running whose process is gone: a killed run (the next run of its key closes it)
      const { liveHolder } = await import('../fsx/locks.js');
      const { runningRuns } = await import('../db/jobs.js');
      const running = await runningRuns(db);
      const stale = running.filter((r) => {
        const holder = liveHolder(dbFile, `run-${r.job}-${r.run_key}`);
        return !holder || (holder.runId !== undefined && holder.runId !== r.id);
      });
      return check('job runs', stale.map((r) => `run ${r.id}: ${r.job} ${r.run_key}, started ${formatLocal(r.started_at, tz)}, abandoned by a process that is gone`), `${count(stale.length, 'run')} abandoned by a killed process; the next run of the same job and date closes it`);
    });

    await guarded('leftovers', async () => {
      // temp files of killed writes (backups, restores, lists, locks) in the database's folders
      const stored = new Map((await storedSettings(db)).map((r) => [r.key, r.value]));
      const dataDir = path.dirname(path.resolve(dbFile));
      const dirs = new Set([dataDir, path.resolve(dataDir, stored.get('jobs.out') || 'exports'), `${path.resolve(dbFile)}.locks`]);
      const found = [...dirs].flatMap((d) => deadTemps(d));
      let bytes = 0;
      for (const f of found) bytes += fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0;
      return check('leftovers', found, `${count(found.length, 'temp file')} (${(bytes / 1048576).toFixed(1)} MB) left by killed processes; the next backup, restore or job run in that folder removes them`);
    });

    return { database: dbFile, schema_version: version, ok: checks.every((c) => c.ok), checks };
  } finally {
    await db.close().catch(() => {});
  }
}

function describeBackward(r: BackwardReading): string {
  const source = r.source === 'added' ? 'when added' : r.source === 'last_service' ? 'last service' : r.source;
  return `${r.plate} (vehicle ${r.vehicle_id}): ${r.km} km on ${r.day} (${source}) is below ${r.previous_km} km read earlier`;
}

function describeTotals(r: TotalsMismatch): string {
  const diffs = (Object.keys(r.stored) as Array<keyof TotalsMismatch['stored']>)
    .filter((k) => r.stored[k] !== r.expected[k])
    .map((k) => `${k.replace(/_cents$/, '')} ${money(r.stored[k])} (lines say ${money(r.expected[k])})`);
  return `order ${r.number} (id ${r.id}): ${diffs.join(', ')}`;
}

// ───────────────────────────── audit ─────────────────────────────

export interface AuditFilter {
  entity?: string;
  id?: string;
  /** "YYYY-MM-DD" or "YYYY-MM-DD HH:mm", shop-local */
  since?: string;
  limit?: number;
}

export interface AuditEntryView {
  id: number;
  at: string;
  /** shop-local "YYYY-MM-DD HH:mm" */
  at_local: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details: Record<string, unknown> | string | null;
}

/** Who changed what, newest first. */
export async function listAuditEntries(ctx: Ctx, filter: AuditFilter): Promise<AuditEntryView[]> {
  const entity = filter.entity !== undefined ? cleanText('entity', filter.entity, 50) ?? undefined : undefined;
  if (entity !== undefined && !/^[a-z_][a-z0-9_.-]*$/i.test(entity)) {
    throw invalid('entity', filter.entity, 'expected a name like customer, vehicle, order, booking, setting');
  }
  const id = filter.id !== undefined ? cleanText('id', filter.id, 100) ?? undefined : undefined;
  const since = filter.since !== undefined ? toIso(parseLocalDayOrTime('since', filter.since, ctx.tz)) : undefined;
  const limit = filter.limit ?? 100;
  const rows: AuditRow[] = await listAudit(ctx.db, { entity: entity?.toLowerCase(), entityId: id, since, limit });
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    at_local: formatLocal(r.at, ctx.tz),
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entity_id: r.entity_id,
    details: parseDetails(r.details),
  }));
}

function parseDetails(text: string | null): Record<string, unknown> | string | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text;
  }
}
