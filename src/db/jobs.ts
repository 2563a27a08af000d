/** The batch-job ledger: job_runs (one row per run) and job_listings (who a list named, per run key). */
import type { Db } from './sqlite.js';

export interface DbJobRun {
  id: number;
  job: string;
  run_key: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'ok' | 'failed';
  rows: number | null;
  file: string | null;
  error: string | null;
}

export async function insertRun(db: Db, job: string, runKey: string, startedAt: string): Promise<number> {
  const r = await db.run(`INSERT INTO job_runs (job, run_key, started_at, status) VALUES (?, ?, ?, 'running')`, [job, runKey, startedAt]);
  return r.lastID;
}

export async function finishRun(
  db: Db,
  id: number,
  result: { status: 'ok' | 'failed'; finishedAt: string; rows: number | null; file: string | null; error: string | null },
): Promise<void> {
  await db.run('UPDATE job_runs SET status = ?, finished_at = ?, rows = ?, file = ?, error = ? WHERE id = ?', [
    result.status,
    result.finishedAt,
    result.rows,
    result.file,
    result.error,
    id,
  ]);
}

/**
 * Replace what run `runKey` of `job` listed (a replay of a past day overwrites, never adds). Call inside
 * a transaction. A replay usually lists the same subjects again, so only the difference is written
 * (a maintenance-due run names ~20 000 vehicles on the large data set: deleting and inserting them all
 * again took ~30 ms).
 */
export async function replaceListings(db: Db, job: string, runKey: string, subjectIds: Iterable<number>): Promise<void> {
  const ids = JSON.stringify([...new Set(subjectIds)]);
  await db.run('DELETE FROM job_listings WHERE job = ? AND run_key = ? AND subject_id NOT IN (SELECT value FROM json_each(?))', [job, runKey, ids]);
  await db.run('INSERT OR IGNORE INTO job_listings (job, run_key, subject_id) SELECT ?, ?, value FROM json_each(?)', [job, runKey, ids]);
}

/**
 * Subjects `job` listed under run keys from `fromKey` to `toKey` inclusive (run keys of daily jobs are
 * days, so this is "listed on any run date in [from, to]"). For cooldowns (maintenance-due, §6.3).
 */
export async function listedBetween(db: Db, job: string, fromKey: string, toKey: string): Promise<Set<number>> {
  const rows = await db.all<{ subject_id: number }>(
    'SELECT DISTINCT subject_id FROM job_listings WHERE job = ? AND run_key BETWEEN ? AND ?',
    [job, fromKey, toKey],
  );
  return new Set(rows.map((r) => r.subject_id));
}

/** Was `subjectId` listed by `job` under a run key in [fromKey, toKey]? (one index probe) */
export async function wasListed(db: Db, job: string, subjectId: number, fromKey: string, toKey: string): Promise<boolean> {
  const row = await db.get(
    'SELECT 1 AS x FROM job_listings WHERE job = ? AND subject_id = ? AND run_key BETWEEN ? AND ? LIMIT 1',
    [job, subjectId, fromKey, toKey],
  );
  return row !== undefined;
}

/** The greatest run key each job finished successfully. */
export async function lastOkKeys(db: Db): Promise<Map<string, string>> {
  const rows = await db.all<{ job: string; run_key: string }>(
    `SELECT job, MAX(run_key) AS run_key FROM job_runs WHERE status = 'ok' GROUP BY job`,
  );
  return new Map(rows.map((r) => [r.job, r.run_key]));
}

/** The latest run (by start) of each job. */
export async function lastRuns(db: Db): Promise<Map<string, DbJobRun>> {
  const rows = await db.all<DbJobRun>(
    `SELECT r.* FROM job_runs r
      WHERE r.id = (SELECT r2.id FROM job_runs r2 WHERE r2.job = r.job ORDER BY r2.started_at DESC, r2.id DESC LIMIT 1)`,
  );
  return new Map(rows.map((r) => [r.job, r]));
}

export function runHistory(db: Db, job: string | null, limit: number): Promise<DbJobRun[]> {
  return job
    ? db.all<DbJobRun>('SELECT * FROM job_runs WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?', [job, limit])
    : db.all<DbJobRun>('SELECT * FROM job_runs ORDER BY started_at DESC, id DESC LIMIT ?', [limit]);
}

/** One run by id. */
export function runById(db: Db, id: number): Promise<DbJobRun | undefined> {
  return db.get<DbJobRun>('SELECT * FROM job_runs WHERE id = ?', [id]);
}

/**
 * Runs of `job` for `runKey` still marked running when no process runs them any more (the caller holds
 * that run key's lock): a killed process left them. They become failed, saying so; call inside a transaction.
 */
export async function markAbandoned(db: Db, job: string, runKey: string, finishedAt: string, why: string): Promise<number> {
  const r = await db.run(`UPDATE job_runs SET status = 'failed', finished_at = ?, error = ? WHERE job = ? AND run_key = ? AND status = 'running'`, [
    finishedAt,
    `abandoned: ${why}`,
    job,
    runKey,
  ]);
  return r.changes;
}

/** Runs still marked running, oldest first (doctor tells the live ones from those a killed process left). */
export function runningRuns(db: Db): Promise<Array<Pick<DbJobRun, 'id' | 'job' | 'run_key' | 'started_at'>>> {
  return db.all(`SELECT id, job, run_key, started_at FROM job_runs WHERE status = 'running' ORDER BY id`);
}
