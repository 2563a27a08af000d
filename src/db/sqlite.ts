/**
 * The only module that touches node-sqlite3. A small promise wrapper with a transaction lock:
 * node-sqlite3 gives one connection no protection against two awaited transactions overlapping
 * (PITFALLS.md), so every transaction here queues behind the previous one and starts with
 * BEGIN IMMEDIATE, which waits on the busy timeout instead of failing mid-transaction.
 * Replacing node-sqlite3 (better-sqlite3, node:sqlite) should only change this file.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import type sqlite3Types from 'sqlite3';
import { Exit, PitstopError } from '../errors.js';

const require = createRequire(import.meta.url);

/** Which Db's transaction the current async call chain runs inside (for nesting). */
const activeTransaction = new AsyncLocalStorage<Db>();
let openTransactions = 0;

/**
 * Run `fn` as the body of a transaction of `db`. While an AsyncLocalStorage is enabled, Node 20 runs a
 * hook on every promise the process creates, which triples the cost of streaming a job's rows through
 * async generators (0.36 → 1.1 µs a row a stage). So it is disabled again whenever no transaction is
 * open; `run` re-enables it for the next one.
 */
async function inTransaction<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  openTransactions++;
  try {
    return await activeTransaction.run(db, fn);
  } finally {
    if (--openTransactions === 0) activeTransaction.disable();
  }
}

export type Param = string | number | null;
export type Params = Param[] | Record<string, Param>;

export interface RunResult {
  lastID: number;
  changes: number;
}

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file (mode 0600) and its folder when missing. */
  create?: boolean;
  busyTimeoutMs?: number;
  /**
   * Runs first, before anything can write to the file (the WAL switch writes its header): a check
   * that throws leaves the file as it was.
   */
  check?: (db: Db) => Promise<void>;
}

const STORAGE_CODES = new Set([
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY',
  'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_PERM', 'SQLITE_NOLFS', 'SQLITE_PROTOCOL', 'SQLITE_AUTH',
]);

/** Turn a driver error into a PitstopError when it is about storage, else leave it as it is. */
export function mapDriverError(err: unknown, file: string): unknown {
  const code = (err as { code?: string })?.code;
  if (!code || !STORAGE_CODES.has(code)) return err;
  const reason: Record<string, string> = {
    SQLITE_BUSY: 'the database is locked by another pitstop process (busy timeout passed); try again',
    SQLITE_LOCKED: 'the database is locked; try again',
    SQLITE_CANTOPEN: 'cannot open the database file',
    SQLITE_FULL: 'the disk is full; nothing was written',
    SQLITE_IOERR: 'a disk read or write failed; nothing was written',
    SQLITE_READONLY: 'the database is read-only; nothing was written',
    SQLITE_NOTADB: 'the file is not a pitstop (SQLite) database',
    SQLITE_CORRUPT: 'the database file is damaged; restore a backup (pitstop restore)',
    SQLITE_PERM: 'permission denied on the database file',
  };
  // A full disk often shows up as an I/O error (SQLite cannot grow the -shm or -wal file): say so.
  if (code !== 'SQLITE_FULL' && ['SQLITE_IOERR', 'SQLITE_CANTOPEN'].includes(code)) {
    const free = freeBytes(file);
    if (free !== null && free < LOW_SPACE_BYTES) {
      return new PitstopError(Exit.storage, `storage unavailable: the disk is full (${Math.floor(free / 1024)} KB free); free some space — nothing was written (${file})`);
    }
  }
  return new PitstopError(Exit.storage, `storage unavailable: ${reason[code] ?? code} (${file})`);
}

/** Below this much free space an I/O error is taken for a full disk. */
const LOW_SPACE_BYTES = 256 * 1024;

/** Free bytes on the file system holding `file`, or null when it cannot be told. */
export function freeBytes(file: string): number | null {
  if (!file || file === ':memory:') return null;
  try {
    const s = fs.statfsSync(path.dirname(path.resolve(file)));
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

// moved to src/fsx/atomic.ts (the one atomic-file module); kept here under its old name
export { mapFsError } from '../fsx/atomic.js';

export class Db {
  private lock: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly raw: sqlite3Types.Database,
    readonly file: string,
  ) {}

  static async open(file: string, options: OpenOptions = {}): Promise<Db> {
    const sqlite3 = require('sqlite3') as typeof sqlite3Types;
    const isMemory = file === ':memory:';
    if (!isMemory && options.create && !options.readonly && !fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
      // Create the file ourselves so it is owner-only from the first byte.
      fs.closeSync(fs.openSync(file, 'a', 0o600));
    }
    if (!isMemory && !fs.existsSync(file)) {
      throw new PitstopError(Exit.storage, `storage unavailable: database file not found (${file})`);
    }
    const mode = options.readonly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE;
    const raw = await new Promise<sqlite3Types.Database>((resolve, reject) => {
      const handle: sqlite3Types.Database = new sqlite3.Database(file, mode, (err) =>
        err ? reject(mapDriverError(err, file)) : resolve(handle),
      );
    });
    // Without a listener an error event crashes the process (PITFALLS.md).
    raw.on('error', () => {});
    raw.configure('busyTimeout', options.busyTimeoutMs ?? 10_000);
    const db = new Db(raw, file);
    try {
      await db.exec('PRAGMA foreign_keys = ON');
      if (options.check) await options.check(db);
      if (!options.readonly && !isMemory) {
        const mode = await db.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL');
        if (mode?.journal_mode !== 'wal') await db.exec('PRAGMA journal_mode = WAL');
        await db.exec('PRAGMA synchronous = NORMAL');
      }
    } catch (err) {
      await db.close().catch(() => {});
      throw err;
    }
    return db;
  }

  private wrap(err: unknown): unknown {
    return mapDriverError(err, this.file);
  }

  all<T = Record<string, unknown>>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) =>
      this.raw.all(sql, params, (err, rows) => (err ? reject(this.wrap(err)) : resolve(rows as T[]))),
    );
  }

  get<T = Record<string, unknown>>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) =>
      this.raw.get(sql, params, (err, row) => (err ? reject(this.wrap(err)) : resolve(row as T | undefined))),
    );
  }

  run(sql: string, params: Params = []): Promise<RunResult> {
    const wrap = (err: unknown) => this.wrap(err);
    return new Promise((resolve, reject) =>
      this.raw.run(sql, params, function (this: sqlite3Types.RunResult, err) {
        if (err) reject(wrap(err));
        else resolve({ lastID: this.lastID, changes: this.changes });
      }),
    );
  }

  /** Run a script of several statements (db.run runs only the first). */
  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.raw.exec(sql, (err) => (err ? reject(this.wrap(err)) : resolve())));
  }

  /** Stream rows to `onRow` in order (it may be async; the next row waits for it). Returns the count. */
  async each<T = Record<string, unknown>>(sql: string, params: Params, onRow: (row: T) => void | Promise<void>): Promise<number> {
    let count = 0;
    for await (const row of this.iterate<T>(sql, params)) {
      count++;
      await onRow(row);
    }
    return count;
  }

  /**
   * Iterate the rows of a query in order. node-sqlite3's `each` delivers rows in bulk from its worker
   * thread (stepping a statement with one `get` per row costs a thread-pool round trip each, ~40 µs a
   * row, 15× slower). It cannot pause, so the rows not yet consumed queue up here: use it for result
   * sets of bounded size (a job's list); walk whole tables with `scanTable`, which pages.
   */
  async *iterate<T = Record<string, unknown>>(sql: string, params: Params = []): AsyncGenerator<T> {
    for await (const page of this.pages<T>(sql, params)) yield* page;
  }

  /**
   * The rows of a query in order, as they arrive: each page is every row that came from SQLite's
   * thread since the last one (at least one row). A consumer that handles a page at a time saves a
   * pass through an async generator per row (~1–3 µs each in a process that has just started).
   */
  async *pages<T = Record<string, unknown>>(sql: string, params: Params = []): AsyncGenerator<T[]> {
    let queue: T[] = [];
    // node-sqlite3 reports the end of the rows (each's completion) and an error while stepping (through
    // the row callback, after the statement's work) as two separate events, in either order. Only when
    // both the rows are in and the statement is finalized is it known that no error is coming; ending
    // at the completion alone could pass off a failed query as a shorter list.
    let rowsIn = false;
    let finalized = false;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const signal = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const stmt = this.raw.prepare(sql, (err: Error | null) => {
      if (!err) return;
      // a statement that cannot be prepared runs nothing and calls nothing else
      failure ??= err;
      rowsIn = finalized = true;
      signal();
    });
    stmt.each(
      params,
      (err: Error | null, row: T) => {
        if (err) failure ??= err;
        else queue.push(row);
        signal();
      },
      () => {
        rowsIn = true;
        signal();
      },
    );
    stmt.finalize(() => {
      finalized = true;
      signal();
    });
    for (;;) {
      if (queue.length) {
        const page = queue;
        queue = []; // memory follows the consumer
        yield page;
        continue;
      }
      if (failure) throw this.wrap(failure);
      if (rowsIn && finalized) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  /**
   * Every row of a table in key order, a page at a time (keyset pagination on `key`, which must be
   * unique and non-null: the primary key). Memory stays flat for any table size. Call inside
   * `snapshot()` for a consistent view across pages.
   */
  async *scanTable<T = Record<string, unknown>>(table: string, columns: readonly string[], key: readonly string[], pageSize = 5000): AsyncGenerator<T> {
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const select = [...new Set([...columns, ...key])].map(quote).join(', ');
    const order = key.map(quote).join(', ');
    let after: Param[] | null = null;
    for (;;) {
      const where = after ? `WHERE (${order}) > (${key.map(() => '?').join(', ')})` : '';
      const rows: Record<string, Param>[] = await this.all(`SELECT ${select} FROM ${quote(table)} ${where} ORDER BY ${order} LIMIT ${pageSize}`, after ?? []);
      for (const row of rows) yield row as T;
      if (rows.length < pageSize) return;
      const last: Record<string, Param> = rows[rows.length - 1]!;
      after = key.map((k) => last[k] ?? null);
    }
  }

  /**
   * A read-only transaction: one consistent snapshot for several queries (WAL readers never block
   * writers). Queued with the write transactions of this handle.
   */
  snapshot<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (activeTransaction.getStore() === this) return fn(this);
    const next = this.lock.then(() =>
      inTransaction(this, async () => {
        await this.exec('BEGIN');
        try {
          return await fn(this);
        } finally {
          await this.exec('COMMIT').catch(() => this.exec('ROLLBACK').catch(() => {}));
        }
      }),
    );
    this.lock = next.catch(() => {});
    return next;
  }

  /**
   * One write transaction. Transactions on this handle run one after another (a promise-chain lock);
   * BEGIN IMMEDIATE takes the write lock up front so two processes never deadlock on an upgrade.
   * Anything thrown rolls the whole transaction back.
   */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    // A use-case called from inside another's transaction joins it; any other caller queues.
    if (activeTransaction.getStore() === this) return fn(this);
    const next = this.lock.then(() =>
      inTransaction(this, async () => {
        await this.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(this);
          await this.exec('COMMIT');
          return result;
        } catch (err) {
          await this.exec('ROLLBACK').catch(() => {});
          throw err;
        }
      }),
    );
    this.lock = next.catch(() => {});
    return next;
  }

  /**
   * Copy the live database to `dest` with SQLite's online backup API. All pages go in one step, under
   * one read transaction: a consistent snapshot while other processes write. A step that meets a lock
   * (SQLITE_BUSY/LOCKED, which node-sqlite3 leaves retryable) is tried again a few times.
   */
  backupTo(dest: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const raw = this.raw as unknown as { backup(file: string, cb: (err: Error | null) => void): BackupHandle };
      let tries = 0;
      // errors here are most often about the destination (disk full, folder not writable)
      const fail = (err: unknown) => backup.finish(() => reject(mapDriverError(err, dest)));
      const step = () =>
        backup.step(-1, (stepErr: Error | null) => {
          if (stepErr) {
            const code = (stepErr as { code?: string }).code;
            if ((code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') && ++tries < 50) {
              setTimeout(step, 100);
              return;
            }
            fail(stepErr);
            return;
          }
          if (!backup.completed) {
            step();
            return;
          }
          backup.finish((finishErr: Error | null) => (finishErr ? reject(this.wrap(finishErr)) : resolve()));
        });
      const backup = raw.backup(dest, (err: Error | null) => {
        if (err) return reject(mapDriverError(err, dest));
        step();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.raw.close((err) => (err ? reject(this.wrap(err)) : resolve())));
  }
}

/**
 * Insert many rows; call it inside a transaction. Each batch travels as one JSON text that SQLite
 * unpacks with `jsonb_each`, in array order (`ORDER BY key`, so ids follow the rows' order). The same
 * rows as positional parameters of multi-row INSERTs cost node-sqlite3 about 1 µs a value to bind:
 * 100 000 customers took ~1.1 s to insert that way and ~0.6 s as JSON (measured). `jsonb_each` needs
 * SQLite 3.45 (node-sqlite3 bundles 3.52); it made the 100 000-row import ~0.13 s faster than
 * `json_each`. Values keep their SQL types (text, integer, real, NULL); a number that is not finite
 * becomes NULL.
 */
export async function insertMany(db: Db, table: string, columns: readonly string[], rows: readonly Param[][], batch = 10_000): Promise<void> {
  const values = columns.map((_, i) => `value ->> ${i}`).join(', ');
  const sql = `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values} FROM jsonb_each(?) ORDER BY key`;
  for (let i = 0; i < rows.length; i += batch) await db.run(sql, [jsonParam(rows.slice(i, i + batch))]);
}

/**
 * `value` as one JSON text parameter. JSON.stringify writes a lone surrogate as an escape, which SQLite
 * would store as invalid UTF-8; a string bound as a parameter gets U+FFFD in its place, so this does too.
 */
export function jsonParam(value: unknown): string {
  const json = JSON.stringify(value);
  if (!/\\ud[89a-f]/.test(json)) return json; // JSON.stringify writes lower-case escapes
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/\p{Cs}/gu, '\uFFFD') : v));
}

interface BackupHandle {
  readonly completed: boolean;
  step(pages: number, cb: (err: Error | null) => void): void;
  finish(cb: (err: Error | null) => void): void;
}
