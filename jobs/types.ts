/**
 * The contract of a batch job (SPEC §6), bound to the context a job runs in. A job module in jobs/
 * exports one JobDefinition: its columns and the wiring of its query (src/db/lists/…, src/db/reports.ts) to
 * its pure plan (src/domain/jobs/…); the runner (src/app/jobs.ts) owns the ledger, the CSV writer,
 * the atomic file and job_listings. The same definition serves `pitstop jobs run`, `pitstop cron`,
 * `npm start` and the tests. The shapes themselves live in src/domain/jobs/types.ts.
 */
import type { Db } from '../src/db/sqlite.js';
import type { Settings } from '../src/domain/settings.js';
import type { JobDefinition as Definition, JobRun as Run } from '../src/domain/jobs/types.js';

export type { Cadence, Column, ColumnType, Period, Row, Rows } from '../src/domain/jobs/types.js';

/** What a job sees: a structural slice of the app's context (src/app/context.ts `Ctx` satisfies it). */
export interface JobContext {
  db: Db;
  /** The run's "now", resolved once by the app layer from its clock. */
  now: Date;
  settings: Settings;
  /** The shop's IANA zone name. */
  tz: string;
  /** Who is acting (the audit log of jobs that change records). */
  actor: string;
}

export type JobRun = Run<JobContext>;
export type JobDefinition = Definition<JobContext>;
