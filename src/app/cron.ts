/**
 * `pitstop cron` (SPEC §6): a foreground scheduler. One node-cron task per job on its
 * jobs.<job>.schedule in the shop's zone; on start, the runs missed since each job's last successful
 * one (at most 7 days back) are made up first. All runs go through one queue, so a job never runs
 * twice at once (and two jobs never share the database connection mid-run); a fire that finds the
 * same job already waiting is dropped. On abort (SIGINT/SIGTERM) scheduling stops, the run in
 * progress finishes (its file is renamed into place or, on failure, its temp file removed) and
 * nothing queued starts.
 */
import type { Ctx } from './context.js';
import { tryRunJob, type JobResult } from './jobs.js';
import { CADENCE, JOB_NAMES, type JobName } from '../../jobs/index.js';
import { lastOkKeys } from '../db/jobs.js';
import { loadSettings } from '../db/settings.js';
import { missedRuns } from '../domain/jobs/catchup.js';
import { parseCron } from '../domain/jobs/cron.js';
import { formatLocal, isTimeZone, localDay, type Day } from '../domain/time.js';
import { invalid } from '../errors.js';

export interface CronOptions {
  /** The scheduler's "now": the real clock, or one started at --now / PITSTOP_NOW. */
  clock: () => Date;
  /** One line per run (stdout). */
  log: (line: string) => void;
  /** Notes about the scheduler itself (stderr). */
  note?: (line: string) => void;
  /** Stops the scheduler. */
  signal: AbortSignal;
  out?: string;
  /** Catch-up horizon in days (SPEC: 7). */
  backDays?: number;
  /** Only these jobs (default all). */
  jobs?: readonly JobName[];
  /** Registers one timed task (default node-cron's schedule in the shop zone); tests fire by hand. */
  schedule?: (expr: string, fire: () => void, options: { timezone: string; name: string }) => StoppableTask;
}

export interface StoppableTask {
  stop(): void | Promise<void>;
  destroy(): void | Promise<void>;
}

async function nodeCronScheduler(): Promise<NonNullable<CronOptions['schedule']>> {
  const cron = await import('node-cron');
  return (expr, fire, options) => cron.schedule(expr, fire, { ...options, noOverlap: true });
}

export interface Schedule {
  job: JobName;
  expr: string;
}

/** Every job's schedule, checked (exit 2 naming the setting when one is not a valid expression). */
export function schedulesOf(ctx: Ctx, jobs: readonly JobName[] = JOB_NAMES): Schedule[] {
  return jobs.map((job) => {
    const key = `jobs.${job}.schedule`;
    const expr = ctx.settings.get(key);
    try {
      parseCron(expr);
    } catch (err) {
      throw invalid(key, expr, `expected a 5-field cron expression (${(err as Error).message})`);
    }
    return { job, expr };
  });
}

export function runLine(tz: string, at: Date, r: JobResult): string {
  const time = formatLocal(at, tz);
  if (r.status === 'failed') return `${time} ${r.job} ${r.runKey} failed ${r.error ?? ''}`.trimEnd();
  return `${time} ${r.job} ${r.runKey} ok ${r.rows} rows${r.files.length ? ` ${r.files.join(' ')}` : ''}`;
}

export function nearestMinute(t: Date): Date {
  return new Date(Math.round(t.getTime() / 60_000) * 60_000);
}

/** Run the scheduler until `signal` aborts. */
export async function runCron(base: Ctx, opts: CronOptions): Promise<void> {
  if (!isTimeZone(base.tz)) throw invalid('shop.timezone', base.tz, 'expected an IANA time zone like Asia/Shanghai');
  const schedules = schedulesOf(base, opts.jobs ?? JOB_NAMES);
  const note = opts.note ?? (() => {});
  const { signal } = opts;

  let chain: Promise<void> = Promise.resolve();
  const waiting = new Set<JobName>();

  /** Queue work for a job unless that job already has work waiting to start. */
  const enqueue = (job: JobName, work: () => Promise<void>, why: string) => {
    if (signal.aborted) return;
    if (waiting.has(job)) {
      note(`${formatLocal(opts.clock(), base.tz)} ${job} ${why} skipped: a run of it is already waiting`);
      return;
    }
    waiting.add(job);
    chain = chain.then(async () => {
      waiting.delete(job);
      if (signal.aborted) return;
      await work().catch((err) => note(`${job}: ${(err as Error)?.message ?? err}`));
    });
  };

  /**
   * `fired`: node-cron calls a few milliseconds before the minute it fires for (seen: 23:59:59.99x
   * for a 00:00 schedule), which would make a midnight run report the day before; a fire means the
   * nearest whole minute.
   */
  const runOne = async (job: JobName, day?: Day, fired = false) => {
    const now = fired ? nearestMinute(opts.clock()) : opts.clock();
    const settings = await loadSettings(base.db);
    const ctx: Ctx = { ...base, now, settings };
    const result = await tryRunJob(ctx, job, { date: day ?? localDay(now, base.tz), out: opts.out, clock: opts.clock });
    opts.log(runLine(base.tz, opts.clock(), result));
  };

  // Catch up first: what each job missed since its last successful run.
  const lastOk = await lastOkKeys(base.db);
  const startedAt = opts.clock();
  for (const { job, expr } of schedules) {
    if (job === 'no-shows') {
      enqueue(job, () => runOne(job), 'catch-up');
      continue;
    }
    const missed = missedRuns({ cadence: CADENCE[job], schedule: expr, lastOkKey: lastOk.get(job) ?? null, now: startedAt, tz: base.tz, backDays: opts.backDays });
    if (!missed.length) continue;
    enqueue(
      job,
      async () => {
        for (const m of missed) {
          if (signal.aborted) return;
          await runOne(job, m.day);
        }
      },
      'catch-up',
    );
  }

  const schedule = opts.schedule ?? (await nodeCronScheduler());
  const tasks = schedules.map(({ job, expr }) =>
    schedule(expr, () => enqueue(job, () => runOne(job, undefined, true), 'scheduled run'), { timezone: base.tz, name: `pitstop-${job}` }),
  );
  note(`${formatLocal(startedAt, base.tz)} cron started: ${schedules.length} jobs in ${base.tz}`);

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  for (const task of tasks) {
    await task.stop();
    await task.destroy();
  }
  await chain;
  note(`${formatLocal(opts.clock(), base.tz)} cron stopped`);
}
