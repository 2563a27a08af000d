import { Option, type Command } from 'commander';
import { note, out, type GlobalOptions } from '../kit.js';
import { positiveInt } from '../options.js';

/** `pitstop demo [--size small|large] [--seed N] [--replace]`: a database full of realistic data. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('fill an empty database with realistic demo data (deterministic: same seed and --now, same rows)')
    .addOption(new Option('--size <size>', 'small (a shop, 2 years) or large (a shop group, 10 years, 1 000 000 orders)').choices(['small', 'large']).default('small'))
    .option('--seed <n>', 'random seed', positiveInt(2_147_483_647), 1)
    .option('--replace', 'delete the database file first and start over (only a demo database or one without customers)')
    .option('--json', 'print JSON')
    .action(async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as GlobalOptions & { size: 'small' | 'large'; seed: number; replace?: boolean };
      const { openContext, resolveDbPath, discardNewDatabase } = await import('../../app/context.js');
      const { runDemo, removeDatabaseFiles, checkReplaceable } = await import('../../app/demo.js');
      const file = resolveDbPath(opts.db, process.env);
      if (opts.replace) {
        await checkReplaceable(file);
        removeDatabaseFiles(file);
      }
      const ctx = await openContext({ db: opts.db, now: opts.now, actor: opts.actor, create: true, mkdirs: false, note: (t) => note(`pitstop: ${t}`) });
      let done = false;
      try {
        const tty = !!process.stderr.isTTY;
        const started = Date.now();
        const progress = tty ? (m: string) => process.stderr.write(`\r\x1b[Kdemo: ${m}`) : undefined;
        const result = await runDemo(ctx, { size: opts.size, seed: opts.seed, progress });
        if (tty) process.stderr.write('\r\x1b[K');
        const seconds = (Date.now() - started) / 1000;
        // built: from here on the file stays, whatever is printed
        done = true;
        if (opts.json) {
          out(JSON.stringify({ database: result.file, size: result.size, seed: result.seed, seconds, counts: result.counts }, null, 2) + '\n');
          return;
        }
        const { table } = await import('../format.js');
        const rows = Object.entries(result.counts);
        out(`demo database (${result.size}, seed ${result.seed}): ${result.file}\n`);
        out(table(rows, [{ header: 'table', value: (r) => r[0] }, { header: 'rows', value: (r) => r[1], right: true }]));
        out(`built in ${seconds.toFixed(1)} s\n`);
        if (!opts.db && !process.env.PITSTOP_DB) note('this is your default database; use --db FILE to keep demo data apart');
      } finally {
        await ctx.db.close().catch(() => {});
        if (!done && ctx.created) discardNewDatabase(ctx.created);
      }
    });
}
