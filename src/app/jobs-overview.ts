/** What `jobs list` and `jobs history` show: schedules, last and next runs, the ledger. */
import type { Ctx } from './context.js';
import { JOB_NAMES } from '../../jobs/index.js';
import { parseJobName } from './jobs.js';
import { lastRuns, runHistory } from '../db/jobs.js';
import { nextFire } from '../domain/jobs/cron.js';
import { formatLocal } from '../domain/time.js';
import { liveHolder } from '../fsx/locks.js';
import type { DbJobRun } from '../db/jobs.js';

/**
 * A run's status as a person should read it: a run still marked `running` whose process is gone (no
 * live lock names it) is `abandoned`, as is one a later run found so and closed (SPEC §9).
 */
export function shownStatus(ctx: Ctx, run: Pick<DbJobRun, 'id' | 'job' | 'run_key' | 'status' | 'error'>): string {
  if (run.status === 'failed' && run.error?.startsWith('abandoned:')) return 'abandoned';
  if (run.status !== 'running' || ctx.db.file === ':memory:') return run.status;
  const holder = liveHolder(ctx.db.file, `run-${run.job}-${run.run_key}`);
  return holder && (holder.runId === undefined || holder.runId === run.id) ? 'running' : 'abandoned';
}

export interface JobOverview {
  job: string;
  schedule: string;
  last_run_at: string | null;
  last_run_key: string | null;
  last_status: string | null;
  last_rows: number | null;
  /** shop-local, the next time `pitstop cron` fires it after now */
  next_run_at: string | null;
}

export async function jobOverview(ctx: Ctx): Promise<JobOverview[]> {
  const last = await lastRuns(ctx.db);
  return JOB_NAMES.map((job) => {
    const schedule = ctx.settings.get(`jobs.${job}.schedule`);
    const run = last.get(job);
    let next: Date | null = null;
    try {
      next = nextFire(schedule, ctx.now, ctx.tz);
    } catch {
      next = null;
    }
    return {
      job,
      schedule,
      last_run_at: run ? formatLocal(run.started_at, ctx.tz) : null,
      last_run_key: run?.run_key ?? null,
      last_status: run ? shownStatus(ctx, run) : null,
      last_rows: run?.rows ?? null,
      next_run_at: next ? formatLocal(next, ctx.tz) : null,
    };
  });
}

export async function jobHistory(ctx: Ctx, job: string | undefined, limit: number) {
  const name = job === undefined ? null : parseJobName(job);
  const rows = await runHistory(ctx.db, name, limit);
  return rows.map((r) => ({
    ...r,
    status: shownStatus(ctx, r),
    started: formatLocal(r.started_at, ctx.tz),
    finished: r.finished_at ? formatLocal(r.finished_at, ctx.tz) : null,
  }));
}
