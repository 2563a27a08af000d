/**
 * The job runner (SPEC §6): resolves the run date or period and the file name, streams the job's rows
 * through the CSV writer into a temp file that is renamed into place, and records every run in the
 * ledger (job_runs) and, for jobs that name subjects, what it listed (job_listings). The same runner
 * serves `pitstop jobs run`, `pitstop cron`, `npm start` and the tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from './context.js';
import type { JobDefinition, JobRun, Period, Row, Rows } from '../../jobs/types.js';
import { CADENCE, DAILY_JOBS, JOB_NAMES, isJobName, loadJob, type JobName } from '../../jobs/index.js';
import { batchOf } from '../csv.js';
import { writeListFile } from './list-files.js';
import { fileKinds, parseFileFormat, type FileFormat, type FileKind } from '../domain/file-format.js';
import { finishRun, insertRun, markAbandoned, replaceListings, runById } from '../db/jobs.js';
import { describeHolder, lockFile, takeLock, type LockHolder } from '../fsx/locks.js';
import { defaultPeriod, monthPeriod, weekPeriod } from '../domain/jobs/periods.js';
import { dayStart, formatLocal, localDay, parseDay, toIso, type Day } from '../domain/time.js';
import { count } from '../domain/words.js';
import { PitstopError, conflict, invalid, usage } from '../errors.js';
import { isPhoneColumn, maskRow } from '../domain/privacy.js';
import { audit } from './audit.js';
import { latestContacts } from '../db/contacts.js';
import { lastContactCell } from '../domain/contacts.js';
import { mapFsError } from '../db/sqlite.js';

export interface RunOptions {
  /** Run date D, `YYYY-MM-DD` (default: today in the shop's zone). */
  date?: string;
  /** For revenue-weekly: the ISO week to report, `YYYY-Www`. */
  week?: string;
  /** For revenue-monthly / callback-stats: the month to report, `YYYY-MM`. */
  month?: string;
  /** Output folder (default: setting jobs.out, else <data dir>/exports). */
  out?: string;
  /** Reads "now" for finished_at (default: ctx.now). The CLI passes its clock so history shows durations. */
  clock?: () => Date;
  /** Abandon the file being written (temp removed, run recorded as failed) when this aborts. */
  signal?: AbortSignal;
  /** Write phone numbers as 138****0001, for lists that leave the desk. */
  maskPhone?: boolean;
  /**
   * How long to wait for a run of the same job and run key that another process (cron, a crontab line,
   * a desk) is making, before giving up with exit 4 (SPEC §16: 60 s).
   */
  waitMs?: number;
  /** Told when this run waits for another one. */
  onWait?: (holder: LockHolder) => void;
  /** csv, xlsx or both (default: the setting jobs.format). */
  format?: FileFormat;
}

export interface JobResult {
  job: JobName;
  runId: number;
  day: Day;
  runKey: string;
  status: 'ok' | 'failed';
  rows: number;
  /** null for jobs that write no file (no-shows) and for failed runs; the CSV with --format both */
  file: string | null;
  /** Every file written: two with --format both. */
  files: string[];
  error: string | null;
  /** What was thrown, for the exit code. */
  cause?: unknown;
  /** Set when another process was making this very run: its result is reported, nothing was run twice. */
  sharedWith?: LockHolder;
}

export interface RunPlan {
  job: JobName;
  day: Day;
  period: Period | null;
  runKey: string;
}

export function parseJobName(text: string): JobName {
  if (isJobName(text)) return text;
  throw usage(`invalid job ${JSON.stringify(text)}: expected one of ${JOB_NAMES.join(', ')} (or all, due)`);
}

/**
 * Where job files go: --out (relative to the working folder), else the jobs.out setting (relative to
 * the data folder, so a daemon started elsewhere writes to the same place), else <data dir>/exports.
 */
export function outputDir(ctx: Ctx, out?: string): string {
  if (out) return path.resolve(out);
  return path.resolve(ctx.dataDir, ctx.settings.get('jobs.out') || 'exports');
}

/** Run date and period of one run; refuses options that do not fit the job (exit 2). */
export function planRun(ctx: Ctx, job: JobName, opts: RunOptions): RunPlan {
  const day = opts.date !== undefined ? parseDay('--date', opts.date) : localDay(ctx.now, ctx.tz);
  const cadence = CADENCE[job];
  if (opts.week !== undefined && job !== 'revenue-weekly') throw usage(`--week applies to revenue-weekly only, not ${job}`);
  if (opts.month !== undefined && cadence !== 'monthly') throw usage(`--month applies to revenue-monthly and callback-stats only, not ${job}`);
  const period = opts.week !== undefined ? weekPeriod(opts.week) : opts.month !== undefined ? monthPeriod(opts.month) : defaultPeriod(cadence, day);
  return { job, day, period, runKey: period?.key ?? day };
}

/**
 * `<job>-<D>.csv` (or `.xlsx`); a masked list is `<job>-<D>-masked.csv`, so a masked and an unmasked
 * run never replace each other (§16).
 */
export function fileNameOf(plan: RunPlan, kind: FileKind = 'csv', masked = false): string {
  return `${plan.job}-${plan.runKey}${masked ? '-masked' : ''}.${kind}`;
}

function messageOf(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}

/**
 * Run one job and record it; never throws for a failure of the job itself (see `status`).
 * `definition` replaces the registry's module (tests).
 */
export async function tryRunJob(ctx: Ctx, job: JobName, opts: RunOptions = {}, definition?: JobDefinition): Promise<JobResult> {
  const plan = planRun(ctx, job, opts);
  const dir = outputDir(ctx, opts.out);
  assertOutFolder(opts.out, dir);
  const finishedAt = () => toIso(opts.clock ? opts.clock() : ctx.now);
  // One run per job and run key at a time, across processes (SPEC §9): the run key's lock beside the database.
  const guard = await runGuard(ctx, plan, opts);
  if ('result' in guard) return guard.result;
  let runId: number;
  try {
    runId = await ctx.db.transaction(async (db) => {
      // holding the lock, any run of this key still marked running was left by a killed process
      await markAbandoned(db, job, plan.runKey, finishedAt(), guard.stale ? `${describeHolder(guard.stale)} ended without finishing` : 'the process running it ended without finishing');
      return insertRun(db, job, plan.runKey, toIso(ctx.now));
    });
    guard.claim(runId);
  } catch (err) {
    guard.release();
    throw err;
  }
  let file: string | null = null;
  const files: string[] = [];
  try {
    const format = opts.format ?? parseFileFormat('setting jobs.format', ctx.settings.get('jobs.format') || 'csv');
    const def = definition ?? (await loadJob(job));
    const run: JobRun = { ctx, day: plan.day, period: plan.period };
    let rows: number;
    const subjects: number[] = [];
    // SPEC §13: a list with jobs.<job>.send = on also queues its rows' messages (never from a masked run)
    const { sendsMessages, queueListMessages } = await import('./outbox.js');
    const toQueue: Row[] | null = def.contact && !opts.maskPhone && sendsMessages(ctx.settings, job) ? [] : null;
    if (def.execute) {
      rows = await def.execute(run);
    } else {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      rows = 0;
      // --format both: the job's query runs once per file (each file streams; the subjects are taken once)
      for (const kind of fileKinds(format)) {
        file = path.join(dir, fileNameOf(plan, kind, !!opts.maskPhone));
        const onRow = def.subjectOf && !files.length ? (row: Row) => void subjects.push(def.subjectOf!(row)) : undefined;
        let rowsOf = await withContacts(ctx, def, run);
        if (toQueue && !files.length) rowsOf = tapRows(rowsOf, (row) => void toQueue.push(row));
        const source = opts.maskPhone ? masked(rowsOf) : rowsOf;
        rows = await writeListFile(ctx, kind, file, def.columns, source, {
          name: job, created: dayStart(plan.day, ctx.tz), onRow, signal: opts.signal, sorting: def.orderKey && { key: def.orderKey },
        });
        files.push(file);
      }
      file = files[0]!;
    }
    await ctx.db.transaction(async (db) => {
      if (def.subjectOf) await replaceListings(db, job, plan.runKey, subjects);
      if (toQueue?.length) await queueListMessages(db, ctx.settings, job, plan.runKey, toQueue, def.contact!.subjectOf, toIso(ctx.now));
      if (file && def.columns.some((c) => isPhoneColumn(c.key))) await audit(ctx, 'list', job, null, { rows, to: files.join(' '), masked: !!opts.maskPhone });
      await finishRun(db, runId, { status: 'ok', finishedAt: finishedAt(), rows, file, error: null });
    });
    return { job, runId, day: plan.day, runKey: plan.runKey, status: 'ok', rows, file, files, error: null };
  } catch (err) {
    err = mapFsError(err, file ?? undefined);
    const error = messageOf(err);
    await ctx.db
      .transaction((db) => finishRun(db, runId, { status: 'failed', finishedAt: finishedAt(), rows: null, file: null, error }))
      .catch(() => {});
    return { job, runId, day: plan.day, runKey: plan.runKey, status: 'failed', rows: 0, file: null, files: [], error, cause: err };
  } finally {
    guard.release();
  }
}

/** `--out` must name a folder: an existing file there is exit 2 naming `--out` (SPEC §9), before any run is recorded. */
function assertOutFolder(out: string | undefined, dir: string): void {
  if (out === undefined) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return; // created when the file is written
  }
  if (!st.isDirectory()) throw invalid('--out', out, 'is a file; --out names the folder the lists are written to');
}

type Guard =
  | { result: JobResult }
  | { claim: (runId: number) => void; release: () => void; stale: LockHolder | null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Take the lock of this job's run key, or wait for the process holding it (up to `waitMs`, 60 s) and
 * report the run it made. A database in memory (tests) has no lock folder: nothing to guard.
 */
async function runGuard(ctx: Ctx, plan: RunPlan, opts: RunOptions): Promise<Guard> {
  if (ctx.db.file === ':memory:') return { claim: () => {}, release: () => {}, stale: null };
  const file = lockFile(ctx.db.file, `run-${plan.job}-${plan.runKey}`);
  const waitMs = opts.waitMs ?? 60_000;
  const deadline = Date.now() + waitMs;
  let waitedFor: LockHolder | null = null;
  for (;;) {
    const taken = takeLock(file, { since: new Date() });
    if (taken.ok) {
      if (waitedFor?.runId !== undefined) {
        const other = await runById(ctx.db, waitedFor.runId);
        if (other && other.status === 'ok') {
          taken.release();
          const result: JobResult = { job: plan.job, runId: other.id, day: plan.day, runKey: plan.runKey, status: 'ok', rows: other.rows ?? 0, file: other.file, files: other.file ? [other.file] : [], error: null, sharedWith: waitedFor };
          return { result };
        }
      }
      return {
        stale: taken.stale,
        release: taken.release,
        claim: (runId) => rewriteLock(file, runId),
      };
    }
    if (!waitedFor) opts.onWait?.(taken.holder);
    if (taken.holder.runId !== undefined || !waitedFor) waitedFor = taken.holder;
    if (Date.now() >= deadline || opts.signal?.aborted) {
      const error = conflict(`${plan.job} ${plan.runKey} is already being run by ${describeHolder(taken.holder)}; waited ${Math.round(waitMs / 1000)} s for it — nothing was run`);
      return { result: { job: plan.job, runId: 0, day: plan.day, runKey: plan.runKey, status: 'failed', rows: 0, file: null, files: [], error: error.message, cause: error } };
    }
    await sleep(Math.min(250, Math.max(10, deadline - Date.now())));
  }
}

/** Record the run's id in the lock it holds (replaced atomically), so `jobs history` can tell it is alive. */
function rewriteLock(file: string, runId: number): void {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
    if (holder.pid !== process.pid) return;
    const temp = `${file}.${process.pid}.run.tmp`;
    fs.writeFileSync(temp, JSON.stringify({ ...holder, runId }), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    // the lock still stands without the id; history then shows the run as running while its process lives
  }
}

/** The rows as they pass, each also handed to `fn`. */
async function* tapRows(source: Rows, fn: (row: Row) => void): Rows {
  for await (const batch of source) {
    const rows = batchOf(batch);
    for (const row of rows) fn(row);
    yield rows;
  }
}

/**
 * A calling list's rows with their `last_contact` (SPEC §13, §16): the latest outcome recorded for the
 * row's subject on that list before day D began, so a re-run of D writes the same file.
 */
async function withContacts(ctx: Pick<Ctx, 'db' | 'tz'>, def: JobDefinition, run: JobRun): Promise<Rows> {
  const source = def.rows(run);
  if (!def.contact) return source;
  const { list, subjectOf } = def.contact;
  const latest = await latestContacts(ctx.db, list, toIso(dayStart(run.day, ctx.tz)));
  if (!latest.size) return source;
  return (async function* () {
    for await (const batch of source) {
      const rows = batchOf(batch);
      for (const row of rows) row.last_contact = lastContactCell(latest.get(subjectOf(row)), ctx.tz);
      yield rows;
    }
  })();
}

/** A job's rows in output order (what its file holds, as rows). */
export async function jobRows(def: JobDefinition, run: JobRun): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of await withContacts(run.ctx, def, run)) for (const row of batchOf(batch)) rows.push(row);
  const key = def.orderKey;
  if (!key) return rows;
  return rows
    .map((row) => ({ row, key: key(row) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((k) => k.row);
}

/** The rows with every phone cell masked, and phone numbers typed into their free text (privacy.ts). */
async function* masked(rows: Rows): Rows {
  for await (const batch of rows) yield batchOf(batch).map((row) => maskRow(row));
}

/** Run one job; a failure is recorded, then thrown (so the command exits non-zero). */
export async function runJob(ctx: Ctx, job: JobName, opts: RunOptions = {}): Promise<JobResult> {
  const result = await tryRunJob(ctx, job, opts);
  if (result.status === 'failed') throw failure([result]);
  return result;
}

/** Every daily job for D, one after another; a failing job does not stop the others. */
export async function runAll(ctx: Ctx, opts: RunOptions = {}): Promise<JobResult[]> {
  if (opts.week !== undefined || opts.month !== undefined) throw usage('--week and --month apply to one weekly or monthly job, not to all');
  planRun(ctx, 'arrears', opts); // validates --date before anything runs
  const results: JobResult[] = [];
  for (const job of DAILY_JOBS) {
    if (opts.signal?.aborted) break;
    results.push(await tryRunJob(ctx, job, opts));
  }
  return results;
}

/** The error a command throws when runs failed: the job's own exit code when it had one, else 1. */
export function failure(results: readonly JobResult[]): PitstopError {
  const failed = results.filter((r) => r.status === 'failed');
  const first = failed[0]?.cause;
  const code = first instanceof PitstopError ? first.exitCode : 1;
  const text = failed.map((r) => `${r.job} ${r.runKey}: ${r.error}`).join('; ');
  return new PitstopError(code, `job failed: ${text}`);
}

export function csvOptions(ctx: Ctx) {
  return {
    tz: ctx.tz,
    bom: ctx.settings.get('csv.bom') !== 'false',
    headers: ctx.settings.get('csv.headers') === 'labels' ? ('labels' as const) : ('keys' as const),
    locale: ctx.settings.locale,
  };
}

export type { JobDefinition };

/**
 * `jobs run due` (SPEC §9, §16): every job whose schedule has fired since its last successful run —
 * what one hourly crontab line or systemd timer needs. Like `pitstop cron`'s catch-up it looks at most
 * `backDays` (7) back; a daily list runs once, for its latest due day (yesterday's reminders are of no
 * use today); a weekly or monthly report runs for each period it missed; no-shows runs every time.
 * Jobs run in `jobs run all`'s order, then the periodic ones.
 */
export async function runDue(ctx: Ctx, opts: RunOptions & { backDays?: number } = {}): Promise<JobResult[]> {
  if (opts.date !== undefined || opts.week !== undefined || opts.month !== undefined) {
    throw usage('jobs run due works out each job\'s run dates from its schedule: --date, --week and --month do not apply');
  }
  const { checkSchedule } = await import('./schedules.js');
  const { missedRuns } = await import('../domain/jobs/catchup.js');
  const { lastOkKeys } = await import('../db/jobs.js');
  const lastOk = await lastOkKeys(ctx.db);
  const order = [...DAILY_JOBS, ...JOB_NAMES.filter((j) => !DAILY_JOBS.includes(j))];
  const results: JobResult[] = [];
  for (const job of order) {
    if (opts.signal?.aborted) break;
    const key = `jobs.${job}.schedule`;
    const schedule = checkSchedule(key, ctx.settings.get(key), ctx.now, ctx.tz);
    if (job === 'no-shows') {
      results.push(await tryRunJob(ctx, job, opts));
      continue;
    }
    const cadence = CADENCE[job];
    const missed = missedRuns({ cadence, schedule, lastOkKey: lastOk.get(job) ?? null, now: ctx.now, tz: ctx.tz, backDays: opts.backDays });
    const runs = cadence === 'daily' ? missed.slice(-1) : missed;
    for (const m of runs) {
      if (opts.signal?.aborted) break;
      results.push(await tryRunJob(ctx, job, { ...opts, date: m.day }));
    }
  }
  return results;
}

/** One log line of a run: shop-local time, job, run key, outcome (cron's output; `jobs run`'s stderr log). */
export function runLine(tz: string, at: Date, r: JobResult): string {
  const time = formatLocal(at, tz);
  if (r.status === 'failed') return `${time} ${r.job} ${r.runKey} failed ${r.error ?? ''}`.trimEnd();
  return `${time} ${r.job} ${r.runKey} ok ${count(r.rows, 'row')}${r.files.length ? ` ${r.files.join(' ')}` : ''}`;
}
