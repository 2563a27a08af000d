/** What `jobs list` and `jobs history` show: schedules, last and next runs, the ledger. */
import type { Ctx } from './context.js';
import { JOB_NAMES } from '../../jobs/index.js';
import { parseJobName } from './jobs.js';
import { lastRuns, runHistory } from '../db/jobs.js';
import { nextFire } from '../domain/jobs/cron.js';
import { formatLocal } from '../domain/time.js';

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
      last_status: run?.status ?? null,
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
    started: formatLocal(r.started_at, ctx.tz),
    finished: r.finished_at ? formatLocal(r.finished_at, ctx.tz) : null,
  }));
}
