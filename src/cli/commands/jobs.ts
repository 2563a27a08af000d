/** `pitstop jobs run|list|history` and `pitstop cron` (SPEC §6). Thin: the runner is src/app/jobs.ts. */
import type { Command } from 'commander';
import { note, out, withCtx } from '../kit.js';
import { json, table } from '../format.js';
import { positiveInt } from '../options.js';
import { count } from '../../domain/words.js';

/** The CLI's clock: starts at ctx.now (--now / PITSTOP_NOW or the real time) and runs with the real one (src/app/clock.ts). */
async function runningClock(start: Date): Promise<() => Date> {
  return (await import('../../app/clock.js')).runningClock(start);
}

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('batch jobs: the daily and periodic CSV lists');

  jobs
    .command('run')
    .description('run one job, every daily job with "all", or with "due" every job whose schedule has fired since its last success (for an hourly crontab line)')
    .argument('<job>', 'a job name (see `pitstop jobs list`), all or due')
    .option('--date <day>', 'run date D, YYYY-MM-DD (default today)')
    .option('--week <week>', 'revenue-weekly: the ISO week to report, YYYY-Www (default the week before D\'s)')
    .option('--month <month>', 'revenue-monthly, callback-stats: the month to report, YYYY-MM (default the month before D\'s)')
    .option('--out <dir>', 'folder for the CSV files (default setting jobs.out, else <data dir>/exports)')
    .option('--mask-phone', 'write phone numbers as 138****0001 (also those typed into complaints and notes) to <job>-<D>-masked.csv, for lists that leave the desk')
    .option('--format <format>', 'csv, xlsx (an Excel workbook) or both (default setting jobs.format, else csv)')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts, name: string) => {
        const { runAll, runDue, runLine, tryRunJob, parseJobName, failure } = await import('../../app/jobs.js');
        const { describeHolder } = await import('../../fsx/locks.js');
        const { parseFileFormat } = await import('../../domain/file-format.js');
        const format = opts.format === undefined ? undefined : parseFileFormat('--format', opts.format as string);
        // Ctrl-C / SIGTERM: the file being written is abandoned atomically and the run recorded as failed.
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const runOpts = {
          date: opts.date as string | undefined,
          week: opts.week as string | undefined,
          month: opts.month as string | undefined,
          out: opts.out as string | undefined,
          maskPhone: !!opts.maskPhone,
          format,
          clock: await runningClock(ctx.now),
          signal: controller.signal,
          onWait: (holder: import('../../fsx/locks.js').LockHolder) => note(`pitstop: this run is already being made by ${describeHolder(holder)}; waiting for it (at most 60 s)`),
        };
        let results;
        try {
          results =
            name === 'all' ? await runAll(ctx, runOpts) : name === 'due' ? await runDue(ctx, runOpts) : [await tryRunJob(ctx, parseJobName(name), runOpts)];
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
        // A log for cron and systemd (not at a terminal): each run, stamped with the shop-local time, on stderr.
        if (!process.stderr.isTTY) {
          const at = runOpts.clock();
          for (const r of results) note(runLine(ctx.tz, at, r) + (r.sharedWith ? ` (made by ${describeHolder(r.sharedWith)})` : ''));
        }
        if (opts.json) {
          out(json(results.map((r) => ({ job: r.job, run_key: r.runKey, run_date: r.day, status: r.status, rows: r.rows, file: r.file, ...(r.files.length > 1 ? { files: r.files } : {}), error: r.error }))));
        } else {
          // one line per file (two with --format both)
          for (const r of results) {
            if (r.status !== 'ok') continue;
            if (!r.files.length) out(`${r.job} ${r.runKey}: ${count(r.rows, 'row')}\n`);
            for (const f of r.files) out(`${r.job} ${r.runKey}: ${count(r.rows, 'row')} ${f}\n`);
          }
        }
        if (results.some((r) => r.status === 'failed')) throw failure(results);
      }),
    );

  jobs
    .command('list')
    .description('each job with its schedule, last run and next run')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { jobOverview } = await import('../../app/jobs-overview.js');
        const rows = await jobOverview(ctx);
        if (opts.json) return out(json(rows));
        out(table(rows, [
          { header: 'job', value: (r) => r.job },
          { header: 'schedule', value: (r) => r.schedule },
          { header: 'last run', value: (r) => r.last_run_at },
          { header: 'key', value: (r) => r.last_run_key },
          { header: 'status', value: (r) => r.last_status },
          { header: 'rows', value: (r) => r.last_rows, right: true },
          { header: 'next run', value: (r) => r.next_run_at },
        ]));
      }),
    );

  jobs
    .command('history')
    .description('recent runs, newest first')
    .argument('[job]', 'only this job')
    .option('--limit <n>', 'at most this many runs', positiveInt(100000), 20)
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts, name: string | undefined) => {
        const { jobHistory } = await import('../../app/jobs-overview.js');
        const rows = await jobHistory(ctx, name, opts.limit as number);
        if (opts.json) return out(json(rows));
        out(table(rows, [
          { header: 'id', value: (r) => r.id, right: true },
          { header: 'job', value: (r) => r.job },
          { header: 'key', value: (r) => r.run_key },
          { header: 'started', value: (r) => r.started },
          { header: 'finished', value: (r) => r.finished },
          { header: 'status', value: (r) => r.status },
          { header: 'rows', value: (r) => r.rows, right: true },
          { header: 'file / error', value: (r) => r.error ?? r.file },
        ]));
      }),
    );

  program
    .command('cron')
    .description('run the job scheduler in the foreground (shop time zone); catches up missed runs; stop with Ctrl-C or SIGTERM')
    .option('--out <dir>', 'folder for the CSV files (default setting jobs.out, else <data dir>/exports); the format is the setting jobs.format')
    .action(
      withCtx(async (ctx, opts) => {
        const { runCron } = await import('../../app/cron.js');
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await runCron(ctx, {
            clock: await runningClock(ctx.now),
            log: (line) => out(line + '\n'),
            note,
            signal: controller.signal,
            out: opts.out as string | undefined,
          });
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      }),
    );
}
