/**
 * The job registry: every job of SPEC §6 by name, loaded lazily (`import('./<name>.js')`, the module's
 * default export) so running one job never loads the others.
 */
import { JOB_NAMES, type JobName } from '../src/domain/settings.js';
import type { Cadence } from '../src/domain/jobs/types.js';
import type { JobDefinition } from './types.js';

export { JOB_NAMES, type JobName };

/**
 * How often each job reports (the run key is D, the ISO week before D's, or the month before D's): the
 * one place a job's cadence is declared, so the runner can plan a run before it loads the job's module.
 */
export const CADENCE: Readonly<Record<JobName, Cadence>> = {
  'appointment-reminders': 'daily',
  preparation: 'daily',
  arrears: 'daily',
  callbacks: 'daily',
  'maintenance-due': 'daily',
  'lapsed-customers': 'daily',
  'no-shows': 'daily',
  'revenue-weekly': 'weekly',
  'revenue-monthly': 'monthly',
  'callback-stats': 'monthly',
  credits: 'daily',
  overdue: 'daily',
  'declined-work': 'daily',
};

/** What `jobs run all` runs, in this order (every daily job: checked below). */
export const DAILY_JOBS: readonly JobName[] = [
  'appointment-reminders',
  'preparation',
  'callbacks',
  'maintenance-due',
  'lapsed-customers',
  'arrears',
  'credits',
  'overdue',
  'declined-work',
  'no-shows',
];
if (DAILY_JOBS.length !== JOB_NAMES.filter((j) => CADENCE[j] === 'daily').length || DAILY_JOBS.some((j) => CADENCE[j] !== 'daily')) {
  throw new Error('jobs/index.ts: DAILY_JOBS must list every daily job once');
}

export function isJobName(text: string): text is JobName {
  return (JOB_NAMES as readonly string[]).includes(text);
}

export async function loadJob(name: JobName): Promise<JobDefinition> {
  if (!isJobName(name)) throw new Error(`unknown job ${name}`);
  const mod = (await import(/* @vite-ignore */ `./${name}.js`)) as { default: JobDefinition };
  if (!mod.default || mod.default.name !== name) throw new Error(`jobs/${name} does not export its JobDefinition as default`);
  return mod.default;
}

export default { names: JOB_NAMES, cadence: CADENCE, daily: DAILY_JOBS, load: loadJob };
