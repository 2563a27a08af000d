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
import { finishRun, insertRun, replaceListings } from '../db/jobs.js';
import { defaultPeriod, monthPeriod, weekPeriod } from '../domain/jobs/periods.js';
import { dayStart, localDay, parseDay, toIso, type Day } from '../domain/time.js';
import { PitstopError, usage } from '../errors.js';
import { maskPhone } from '../domain/identity.js';
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
}

export interface RunPlan {
  job: JobName;
  day: Day;
  period: Period | null;
  runKey: string;
}

export function parseJobName(text: string): JobName {
  if (isJobName(text)) return text;
  throw usage(`invalid job ${JSON.stringify(text)}: expected one of ${JOB_NAMES.join(', ')} (or all)`);
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

export function fileNameOf(plan: RunPlan, kind: FileKind = 'csv'): string {
  return `${plan.job}-${plan.runKey}.${kind}`;
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
  const runId = await ctx.db.transaction((db) => insertRun(db, job, plan.runKey, toIso(ctx.now)));
  const finishedAt = () => toIso(opts.clock ? opts.clock() : ctx.now);
  let file: string | null = null;
  const files: string[] = [];
  try {
    const format = opts.format ?? parseFileFormat('setting jobs.format', ctx.settings.get('jobs.format') || 'csv');
    const def = definition ?? (await loadJob(job));
    const run: JobRun = { ctx, day: plan.day, period: plan.period };
    let rows: number;
    const subjects: number[] = [];
    if (def.execute) {
      rows = await def.execute(run);
    } else {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      rows = 0;
      // --format both: the job's query runs once per file (each file streams; the subjects are taken once)
      for (const kind of fileKinds(format)) {
        file = path.join(dir, fileNameOf(plan, kind));
        const onRow = def.subjectOf && !files.length ? (row: Row) => void subjects.push(def.subjectOf!(row)) : undefined;
        const source = opts.maskPhone ? masked(def.rows(run)) : def.rows(run);
        rows = await writeListFile(ctx, kind, file, def.columns, source, {
          name: job, created: dayStart(plan.day, ctx.tz), onRow, signal: opts.signal, sorting: def.orderKey && { key: def.orderKey },
        });
        files.push(file);
      }
      file = files[0]!;
    }
    await ctx.db.transaction(async (db) => {
      if (def.subjectOf) await replaceListings(db, job, plan.runKey, subjects);
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
  }
}

/** A job's rows in output order (what its file holds, as rows). */
export async function jobRows(def: JobDefinition, run: JobRun): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of def.rows(run)) for (const row of batchOf(batch)) rows.push(row);
  const key = def.orderKey;
  if (!key) return rows;
  return rows
    .map((row) => ({ row, key: key(row) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((k) => k.row);
}

/** The rows with every `phone` cell masked. */
async function* masked(rows: Rows): Rows {
  const mask = (row: Row) => (typeof row.phone === 'string' ? { ...row, phone: maskPhone(row.phone) } : row);
  for await (const batch of rows) yield batchOf(batch).map(mask);
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
