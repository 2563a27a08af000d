/**
 * A job run the way `pitstop cron` runs it: inside a process that is already up, with the database
 * open. A child process of bench/run.ts; prints the time of each run (ms) as JSON. The first run is a
 * warm-up and is left out.
 *   node dist/bench/warm.js --db FILE --now "YYYY-MM-DD HH:mm" --job JOB --date DAY --out DIR --runs N
 */
import { openContext } from '../src/app/context.js';
import { parseJobName, tryRunJob } from '../src/app/jobs.js';

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
}

const ctx = await openContext({ db: arg('db'), now: arg('now'), actor: 'bench', env: {} });
try {
  const job = parseJobName(arg('job'));
  const times: number[] = [];
  for (let i = 0; i <= Number(arg('runs')); i++) {
    const t0 = performance.now();
    const result = await tryRunJob(ctx, job, { date: arg('date'), out: arg('out') });
    const ms = performance.now() - t0;
    if (result.status !== 'ok') throw new Error(`${job}: ${result.error}`);
    if (i > 0) times.push(+ms.toFixed(2));
  }
  process.stdout.write(JSON.stringify({ ms: times }) + '\n');
} finally {
  await ctx.db.close();
}
