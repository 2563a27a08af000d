/**
 * What `group push` reads from the store's SQLite and writes to the group's PostgreSQL (SPEC §15, §16).
 *
 * SQLite side: group_changes (migration 8), the change log every write path appends to through
 * triggers, and the pushed tables, read a bounded batch at a time. Each row leaves SQLite as one line
 * of PostgreSQL's COPY text format, built by SQLite itself: one text column per row crosses into
 * JavaScript far faster than forty.
 *
 * PostgreSQL side: a batch goes through COPY into a temporary table, then `INSERT … ON CONFLICT (store,
 * id) DO UPDATE` into the group's table (PostgreSQL refuses COPY into a table with row-level security),
 * and the store's watermark (pitstop.push_state) moves in the same transaction, so the group never
 * holds half a batch and a killed push resumes where it stopped.
 */
import { Writable, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../sqlite.js';
import type { PgClient } from './pg.js';
import { GROUP_TABLES, type GroupTable } from './tables.js';

// ---------------------------------------------------------------- the store's SQLite

/** The COPY text of a value: `\N` for null; backslash, tab, line feed and carriage return escaped. */
const copyText = (column: string) =>
  `coalesce(replace(replace(replace(replace(CAST(${column} AS TEXT), '\\', '\\\\'), char(9), '\\t'), char(10), '\\n'), char(13), '\\r'), '\\N')`;

/** SQLite's expression of a table's COPY line. */
const lineOf = (t: GroupTable) => t.columns.map(([c]) => copyText(`"${c}"`)).join(` || char(9) || `);

export interface LinePage {
  ids: number[];
  lines: string[];
}

/** Up to `limit` rows of `t` with id above `afterId`, in id order, as COPY lines. */
export async function rowsAfter(db: Db, t: GroupTable, afterId: number, limit: number): Promise<LinePage> {
  const rows = await db.all<{ id: number; l: string }>(`SELECT id, ${lineOf(t)} AS l FROM "${t.name}" WHERE id > ? ORDER BY id LIMIT ?`, [afterId, limit]);
  return { ids: rows.map((r) => r.id), lines: rows.map((r) => r.l) };
}

/** The rows of `t` with these ids that still exist, as COPY lines. */
export async function rowsByIds(db: Db, t: GroupTable, ids: readonly number[]): Promise<LinePage> {
  const rows = await db.all<{ id: number; l: string }>(`SELECT id, ${lineOf(t)} AS l FROM "${t.name}" WHERE id IN (SELECT value FROM json_each(?))`, [JSON.stringify(ids)]);
  return { ids: rows.map((r) => r.id), lines: rows.map((r) => r.l) };
}

/** The last change number handed out (0 when none): a full push covers every change up to it. */
export async function lastChange(db: Db): Promise<number> {
  const row = await db.get<{ seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'group_changes'`);
  return row?.seq ?? 0;
}

/** Up to `limit` changes after `seq`, in order. */
export function changesAfter(db: Db, seq: number, limit: number): Promise<Array<{ seq: number; tbl: string; row_id: number }>> {
  return db.all('SELECT seq, tbl, row_id FROM group_changes WHERE seq > ? ORDER BY seq LIMIT ?', [seq, limit]);
}

/** Forget the changes the group holds (up to and including `seq`). */
export async function pruneChanges(db: Db, seq: number): Promise<void> {
  await db.run('DELETE FROM group_changes WHERE seq <= ?', [seq]);
}

// ---------------------------------------------------------------- the group's PostgreSQL

const q = (name: string) => `"${name}"`;
const loadTable = (t: GroupTable) => `pitstop_load_${t.name}`;

/**
 * The table's temporary load table, dropped at commit: made inside each batch's transaction, so it
 * belongs to the store's role and leaves nothing behind in a session that outlives the push.
 */
async function createLoadTable(client: PgClient, t: GroupTable): Promise<void> {
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${loadTable(t)} (${t.columns.map(([c, type]) => `${q(c)} ${type}`).join(', ')}) ON COMMIT DROP`);
}

/** COPY lines into the table's load table. */
async function copyLines(client: PgClient, t: GroupTable, lines: readonly string[]): Promise<void> {
  const { from } = (await import('pg-copy-streams')).default;
  const stream = client.query(from(`COPY ${loadTable(t)} (${t.columns.map(([c]) => q(c)).join(', ')}) FROM STDIN`)) as Writable;
  const chunks = function* () {
    // about a megabyte a write
    for (let i = 0; i < lines.length; i += 2000) yield lines.slice(i, i + 2000).join('\n') + '\n';
  };
  await pipeline(Readable.from(chunks()), stream);
}

/**
 * Without COPY (PGlite's socket server, used by the tests where no server runs, cannot take COPY FROM
 * STDIN): the same lines, parsed back into the load table by PostgreSQL in one INSERT.
 */
async function insertLines(client: PgClient, t: GroupTable, lines: readonly string[]): Promise<void> {
  const unescape = (i: number) =>
    `CASE WHEN f[${i}] = '\\N' THEN NULL ELSE replace(replace(replace(replace(replace(f[${i}], '\\\\', chr(1)), '\\t', chr(9)), '\\n', chr(10)), '\\r', chr(13)), chr(1), '\\') END`;
  const cols = t.columns.map(([c, type], i) => `(${unescape(i + 1)})::${type}`).join(', ');
  await client.query(
    `INSERT INTO ${loadTable(t)} SELECT ${cols} FROM (SELECT string_to_array(l, chr(9)) AS f FROM unnest($1::text[]) AS l) x`,
    [lines],
  );
}

/** Upsert the loaded rows into the group's table as store `code`. */
async function upsert(client: PgClient, t: GroupTable, code: string): Promise<number> {
  const cols = t.columns.map(([c]) => q(c));
  const set = cols.filter((c) => c !== '"id"').map((c) => `${c} = EXCLUDED.${c}`).join(', ');
  const r = await client.query(
    `INSERT INTO pitstop.${q(t.name)} (store, ${cols.join(', ')}) SELECT $1, ${cols.join(', ')} FROM ${loadTable(t)}
     ON CONFLICT (store, id) DO UPDATE SET ${set}`,
    [code],
  );
  return r.rowCount ?? 0;
}

/** Load a page of lines and upsert them (inside the caller's transaction). */
export async function pushLines(client: PgClient, t: GroupTable, code: string, lines: readonly string[], useCopy: boolean): Promise<number> {
  if (!lines.length) return 0;
  await createLoadTable(client, t);
  await (useCopy ? copyLines(client, t, lines) : insertLines(client, t, lines));
  const n = await upsert(client, t, code);
  await client.query(`TRUNCATE ${loadTable(t)}`);
  return n;
}

/** Record that these rows of `t` are gone from the store (deleted or merged away). */
async function recordTombstones(client: PgClient, t: GroupTable, code: string, ids: readonly number[]): Promise<void> {
  await client.query(
    `INSERT INTO pitstop.tombstones (store, tbl, id) SELECT $1, $2, unnest($3::bigint[])
     ON CONFLICT (store, tbl, id) DO UPDATE SET deleted_at = now()`,
    [code, t.name, ids],
  );
}

/** Remove rows the store deleted (or merged away) and record their tombstones. */
export async function pushDeletions(client: PgClient, t: GroupTable, code: string, ids: readonly number[]): Promise<number> {
  if (!ids.length) return 0;
  await client.query(`DELETE FROM pitstop.${q(t.name)} WHERE store = $1 AND id = ANY($2::bigint[])`, [code, ids]);
  await recordTombstones(client, t, code, ids);
  return ids.length;
}

/**
 * In a whole push over a group that may hold rows the store no longer has: remove the store's rows of
 * `t` with id in (after, upTo] (upTo null: to the end) that this page of the store does not have, and
 * record their tombstones. A hash anti-join against the page's ids.
 */
export async function sweepRange(client: PgClient, t: GroupTable, code: string, after: number, upTo: number | null, ids: readonly number[]): Promise<number> {
  const r = await client.query<{ id: string }>(
    `DELETE FROM pitstop.${q(t.name)} g WHERE g.store = $1 AND g.id > $2 ${upTo === null ? '' : 'AND g.id <= $4'}
        AND NOT EXISTS (SELECT 1 FROM unnest($3::bigint[]) AS k(id) WHERE k.id = g.id)
     RETURNING g.id`,
    upTo === null ? [code, after, ids] : [code, after, ids, upTo],
  );
  const gone = r.rows.map((x) => Number(x.id));
  if (gone.length) await recordTombstones(client, t, code, gone);
  return gone.length;
}

export interface PushState {
  phase: 'full' | 'changes';
  full_from: number;
  full_table: string | null;
  full_last_id: number;
  /** a whole push over rows the group may hold and the store no longer has (a rewound log): remove them */
  full_sweep: boolean;
  seq: number;
}

/** The store's watermark, or null before its first push. */
export async function readState(client: PgClient, code: string): Promise<PushState | null> {
  const r = await client.query<Record<string, string>>('SELECT phase, full_from, full_table, full_last_id, full_sweep, seq FROM pitstop.push_state WHERE store = $1', [code]);
  const row = r.rows[0];
  if (!row) return null;
  return {
    phase: row.phase as PushState['phase'], full_from: Number(row.full_from), full_table: row.full_table ?? null,
    full_last_id: Number(row.full_last_id), full_sweep: Boolean(row.full_sweep), seq: Number(row.seq),
  };
}

/** Move the watermark (inside the batch's transaction). */
export async function writeState(client: PgClient, code: string, s: PushState, rows: number, by: string, timezone: string): Promise<void> {
  await client.query(
    `INSERT INTO pitstop.push_state AS p (store, phase, full_from, full_table, full_last_id, seq, rows_pushed, pushed_at, pushed_by, timezone, full_sweep)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10)
     ON CONFLICT (store) DO UPDATE SET phase = EXCLUDED.phase, full_from = EXCLUDED.full_from, full_table = EXCLUDED.full_table,
       full_last_id = EXCLUDED.full_last_id, full_sweep = EXCLUDED.full_sweep, seq = EXCLUDED.seq, rows_pushed = p.rows_pushed + EXCLUDED.rows_pushed,
       pushed_at = now(), pushed_by = EXCLUDED.pushed_by, timezone = EXCLUDED.timezone`,
    [code, s.phase, s.full_from, s.full_table, s.full_last_id, s.seq, rows, by, timezone, s.full_sweep],
  );
}
