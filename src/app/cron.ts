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
import { checkSchedule } from './schedules.js';
import { formatLocal, isTimeZone, localDay, type Day } from '../domain/time.js';
import { PitstopError, Exit, conflict, invalid } from '../errors.js';
import fs from 'node:fs';
import { describeHolder, lockFile, takeLock } from '../fsx/locks.js';
import { zoneOf } from './clock.js';
import { count } from '../domain/words.js';

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
  /** How often to check that the database file is still the one opened (ms, default 2000). */
  watchMs?: number;
  /** Only these jobs (default all). */
  jobs?: readonly JobName[];
  /** Whether to send the outbox every minute (default: when running every job). */
  outbox?: boolean;
  /** Whether to push to the group every group.push_minutes (default: when running every job). */
  group?: boolean;
  /** The environment (PITSTOP_GROUP_PG); default process.env. */
  env?: NodeJS.ProcessEnv;
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
    return { job, expr: checkSchedule(key, ctx.settings.get(key), ctx.now, ctx.tz) };
  });
}

import { runLine } from './jobs.js';
export { runLine };

export function nearestMinute(t: Date): Date {
  return new Date(Math.round(t.getTime() / 60_000) * 60_000);
}

/** Run the scheduler until `signal` aborts. */
export async function runCron(base: Ctx, opts: CronOptions): Promise<void> {
  if (!isTimeZone(base.tz)) throw invalid('shop.timezone', base.tz, 'expected an IANA time zone like Asia/Shanghai');
  const schedules = schedulesOf(base, opts.jobs ?? JOB_NAMES);
  const note = opts.note ?? (() => {});
  // One scheduler per database (SPEC §9): a lock beside the file that a killed process cannot keep.
  const dbFile = base.db.file;
  const onDisk = dbFile === ':memory:' ? null : fs.statSync(dbFile);
  const lock = onDisk ? takeLock(lockFile(dbFile, 'cron'), { since: opts.clock() }) : null;
  if (lock && !lock.ok) throw conflict(`pitstop cron is already running on ${dbFile} (${describeHolder(lock.holder)}); one scheduler per database`);
  const releaseLock = lock?.ok ? lock.release : () => {};
  // A fatal error (the database file gone or replaced, the database unusable) stops the scheduler
  // promptly: no new run starts, the one in progress finishes, and runCron throws.
  const halt = new AbortController();
  let fatal: unknown = null;
  const stopWith = (err: unknown) => {
    if (!fatal) fatal = err;
    halt.abort();
  };
  const signal = AbortSignal.any([opts.signal, halt.signal]);
  /** Is the file at the database's path still the one this scheduler opened (same device and inode)? */
  const checkFile = () => {
    if (!onDisk) return;
    let now: fs.Stats | null = null;
    try {
      now = fs.statSync(dbFile);
    } catch {
      now = null;
    }
    if (!now) throw new PitstopError(Exit.storage, `storage unavailable: the database file ${dbFile} was deleted while pitstop cron was running; stopping (nothing more is recorded in the deleted file)`);
    if (now.ino !== onDisk.ino || now.dev !== onDisk.dev) {
      throw new PitstopError(Exit.storage, `storage unavailable: the database file ${dbFile} was replaced by another file while pitstop cron was running; stopping — start pitstop cron again to use the new file`);
    }
  };

  let chain: Promise<void> = Promise.resolve();
  const waiting = new Set<JobName | 'outbox' | 'group push'>();

  /** Queue work for a job unless that job already has work waiting to start. */
  const enqueue = (job: JobName | 'outbox' | 'group push', work: () => Promise<void>, why: string) => {
    if (signal.aborted) return;
    if (waiting.has(job)) {
      note(`${formatLocal(opts.clock(), tz)} ${job} ${why} skipped: a run of it is already waiting`);
      return;
    }
    waiting.add(job);
    chain = chain.then(async () => {
      waiting.delete(job);
      if (signal.aborted) return;
      await work().catch((err) => {
        note(`${formatLocal(opts.clock(), tz)} ${job}: ${(err as Error)?.message ?? err}`);
        stopWith(err);
      });
    });
  };

  /**
   * `fired`: node-cron calls a few milliseconds before the minute it fires for (seen: 23:59:59.99x
   * for a 00:00 schedule), which would make a midnight run report the day before; a fire means the
   * nearest whole minute.
   */
  /** The zone runs use: shop.timezone as it was at start, rebuilt when a run finds it changed. */
  let tz = base.tz;
  let zone = base.zone ?? zoneOf(tz);
  let tasks: StoppableTask[] = [];
  let schedule: NonNullable<CronOptions['schedule']> | null = null;
  const scheduleAll = () => {
    tasks = schedules.map(({ job, expr }) =>
      schedule!(expr, () => enqueue(job, () => runOne(job, undefined, true), 'scheduled run'), { timezone: tz, name: `pitstop-${job}` }),
    );
    // SPEC §13: the outbox goes out every minute while a sender is configured
    if (opts.outbox ?? !opts.jobs) tasks.push(schedule!('* * * * *', () => enqueue('outbox', sendDue, 'send'), { timezone: tz, name: 'pitstop-outbox' }));
    // SPEC §15: a store in a group pushes every group.push_minutes (checked each minute)
    if (opts.group ?? !opts.jobs) tasks.push(schedule!('* * * * *', () => enqueue('group push', pushDue, 'push'), { timezone: tz, name: 'pitstop-group-push' }));
  };

  /** When the last group push was tried (ms of the scheduler's clock); a push is due group.push_minutes after it. */
  let lastPush = -Infinity;
  /** One `group push` when one is due and the store is in a group: a failure is logged and tried again next time. */
  const pushDue = async () => {
    checkFile();
    const settings = await loadSettings(base.db);
    const url = (opts.env ?? process.env).PITSTOP_GROUP_PG || settings.get('group.pg');
    if (!settings.get('group.store') || !url) return;
    const now = opts.clock();
    if (now.getTime() - lastPush < settings.int('group.push_minutes') * 60_000 - 30_000) return;
    lastPush = now.getTime();
    try {
      const { pushGroup } = await import('./group.js');
      const r = await pushGroup({ ...base, now, settings, tz, zone }, { url });
      opts.log(`${formatLocal(opts.clock(), tz)} group push: ${count(r.rows, 'row')}${r.deleted ? `, ${r.deleted} deleted` : ''} to ${r.where}`);
    } catch (err) {
      note(`${formatLocal(opts.clock(), tz)} group push: ${(err as Error)?.message ?? err}`);
    }
  };

  /** One `outbox send`: a failure is logged and retried next minute, never the end of the scheduler. */
  const sendDue = async () => {
    checkFile();
    const settings = await loadSettings(base.db);
    const { hasSender, sendOutbox } = await import('./outbox.js');
    if (!hasSender(settings)) return;
    const now = opts.clock();
    try {
      const r = await sendOutbox({ ...base, now, settings, tz, zone }, { limit: settings.int('outbox.rate'), clock: opts.clock });
      if (r.sent || r.retried || r.failed || r.cancelled || r.held) {
        opts.log(`${formatLocal(opts.clock(), tz)} outbox: ${r.sent} sent, ${r.retried} to retry, ${r.failed} failed, ${r.cancelled} cancelled, ${r.held} held`);
      }
    } catch (err) {
      note(`${formatLocal(opts.clock(), tz)} outbox: ${(err as Error)?.message ?? err}`);
    }
  };
  const stopAll = async () => {
    for (const task of tasks) {
      await task.stop();
      await task.destroy();
    }
    tasks = [];
  };

  const runOne = async (job: JobName, day?: Day, fired = false) => {
    checkFile();
    const now = fired ? nearestMinute(opts.clock()) : opts.clock();
    const settings = await loadSettings(base.db);
    if (settings.timezone !== tz && isTimeZone(settings.timezone)) {
      // one zone at a time: the runs from here on, and the timers, follow the new setting
      note(`${formatLocal(now, tz)} shop.timezone changed from ${tz} to ${settings.timezone}: schedules now run in ${settings.timezone}`);
      tz = settings.timezone;
      zone = zoneOf(tz);
      if (schedule && !signal.aborted) {
        await stopAll();
        scheduleAll();
      }
    }
    const ctx: Ctx = { ...base, now, settings, tz, zone };
    const result = await tryRunJob(ctx, job, { date: day ?? localDay(now, tz), out: opts.out, clock: opts.clock });
    opts.log(runLine(tz, opts.clock(), result));
  };

  try {
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

    schedule = opts.schedule ?? (await nodeCronScheduler());
    scheduleAll();
    // between runs too: a deleted or replaced database stops the scheduler within seconds
    const watch = setInterval(() => {
      try {
        checkFile();
      } catch (err) {
        stopWith(err);
      }
    }, opts.watchMs ?? 2000);
    watch.unref();
    signal.addEventListener('abort', () => clearInterval(watch), { once: true });
    note(`${formatLocal(startedAt, base.tz)} cron started: ${count(schedules.length, 'job')} in ${base.tz}`);

    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } catch (err) {
    stopWith(err);
  } finally {
    halt.abort();
    await stopAll().catch(() => {});
    await chain;
    releaseLock();
  }
  if (fatal) {
    note(`${formatLocal(opts.clock(), tz)} cron stopped: ${(fatal as Error)?.message ?? fatal}`);
    throw fatal;
  }
  note(`${formatLocal(opts.clock(), tz)} cron stopped`);
}
