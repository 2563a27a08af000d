/**
 * Checking a `jobs.<job>.schedule` (SPEC §6, §16): node-cron's own parser must accept it (it is what
 * fires `pitstop cron`), it has the five fields our fire-time computation reads
 * (src/domain/jobs/cron.ts, which test/integration/cron-node-cron.test.ts holds to node-cron's
 * matcher), and it fires at least once in the next five years. Anything else is exit 2 naming the key.
 */
import cron from 'node-cron';
import { nextFire, parseCron } from '../domain/jobs/cron.js';
import { invalid } from '../errors.js';

const FIVE_YEARS_MS = 5 * 366 * 86_400_000;

/** The expression, checked; `now` and `tz` for the five-year test. */
export function checkSchedule(key: string, expr: string, now: Date, tz: string): string {
  const text = expr.trim().split(/\s+/).join(' ');
  const fail = (why: string) => invalid(key, expr, `expected a 5-field cron expression like "0 17 * * *" (${why})`);
  const checked = cron.validateDetailed(text);
  if (!checked.valid) throw fail(checked.errors.map((e) => e.message).join('; ') || 'not accepted by the scheduler');
  let spec;
  try {
    spec = parseCron(text);
  } catch (err) {
    throw fail((err as Error).message);
  }
  const next = nextFire(spec, now, tz);
  if (!next || next.getTime() - now.getTime() > FIVE_YEARS_MS) throw fail('it never fires in the next five years');
  return text;
}
