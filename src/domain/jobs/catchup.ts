/**
 * What `pitstop cron` catches up on start (SPEC §6): the runs its schedule would have made in the last
 * `backDays` days that come after the job's last successful run. Pure: the ledger's answer and the
 * clock are arguments.
 */
import { localDay, type Day } from '../time.js';
import { firesBetween } from './cron.js';
import { runKeyOf, type Cadence } from './periods.js';

export interface CatchUpInput {
  cadence: Cadence;
  schedule: string;
  /** The greatest run key with status ok, or null when the job never succeeded. */
  lastOkKey: string | null;
  now: Date;
  tz: string;
  /** How far back to look (SPEC: at most 7 days). */
  backDays?: number;
}

export interface MissedRun {
  /** The run date D the scheduler would have used. */
  day: Day;
  key: string;
  fireAt: Date;
}

/**
 * Missed runs, oldest first, one per run key. Without any successful run there is nothing to resume
 * from: only the latest missed fire is made up, not a week of back-fill.
 */
export function missedRuns(input: CatchUpInput): MissedRun[] {
  const back = input.backDays ?? 7;
  const from = new Date(input.now.getTime() - back * 86_400_000);
  const seen = new Set<string>();
  const out: MissedRun[] = [];
  for (const fireAt of firesBetween(input.schedule, from, input.now, input.tz)) {
    const day = localDay(fireAt, input.tz);
    const key = runKeyOf(input.cadence, day);
    if (seen.has(key)) continue;
    seen.add(key);
    if (input.lastOkKey !== null && key <= input.lastOkKey) continue;
    out.push({ day, key, fireAt });
  }
  return input.lastOkKey === null ? out.slice(-1) : out;
}
