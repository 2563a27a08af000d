/**
 * Build a benchmark data set at a fraction of the large size (the growth mode): a child process of
 * bench/run.ts, so its time and peak memory are measured alone.
 *   node dist/bench/build.js --db FILE --now "YYYY-MM-DD HH:mm" --seed N --scale 0.1
 */
import { openContext } from '../src/app/context.js';
import { removeDatabaseFiles, runDemo } from '../src/app/demo.js';
import { SIZES, scaledSize } from '../fixtures/generator.js';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
}

const file = arg('db');
const scale = Number(arg('scale', '1'));
removeDatabaseFiles(file);
const ctx = await openContext({ db: file, now: arg('now'), actor: 'bench', env: {} });
try {
  const result = await runDemo(ctx, { size: scaledSize(SIZES.large, scale), seed: Number(arg('seed', '1')) });
  process.stdout.write(JSON.stringify({ database: result.file, counts: result.counts }) + '\n');
} finally {
  await ctx.db.close();
}
