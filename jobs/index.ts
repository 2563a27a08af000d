/**
 * The job registry: every job of SPEC §6 by name, loaded lazily (`import('./<name>.js')`, the module's
 * default export) so running one job never loads the others.
 */
import { JOB_NAMES, type JobName } from '../src/domain/settings.js';
import type { Cadence } from '../src/domain/jobs/periods.js';
import type { JobDefinition } from './types.js';

export { JOB_NAMES, type JobName };

/** How often each job reports (the run key is D, the ISO week before D's, or the month before D's). */
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
};

/** What `jobs run all` runs, in this order. */
export const DAILY_JOBS: readonly JobName[] = [
  'appointment-reminders',
  'preparation',
  'callbacks',
  'maintenance-due',
  'lapsed-customers',
  'arrears',
  'no-shows',
];

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
