/**
 * `pitstop report revenue|callbacks`: the figures of the revenue and callback-stats jobs (the same row
 * generators, src/app/reports.ts) on the terminal, as a table with bar charts, or as JSON / CSV.
 */
import type { Command } from 'commander';
import { note, out, withCtx, type GlobalOptions } from '../kit.js';
import { bar, json, table } from '../format.js';
import { invalid, usage } from '../../errors.js';
import { count } from '../../domain/words.js';

type Format = 'table' | 'json' | 'csv' | 'xlsx';

/** --format table|csv|xlsx, with --csv and --json as the older spellings; an xlsx needs --out. */
export function formatOf(opts: GlobalOptions): Format {
  const given = [opts.json && 'json', opts.csv && 'csv', opts.format !== undefined && 'format'].filter(Boolean);
  if (given.length > 1) throw usage(`give one of --format, --json, --csv, not ${given.map((g) => `--${g}`).join(' and ')}`);
  let format: Format = opts.json ? 'json' : opts.csv ? 'csv' : 'table';
  if (opts.format !== undefined) {
    const f = String(opts.format).trim().toLowerCase();
    if (f !== 'table' && f !== 'csv' && f !== 'xlsx') throw invalid('--format', opts.format, 'expected table, csv or xlsx');
    format = f;
  }
  if (format === 'xlsx' && !opts.out) throw usage('--format xlsx writes a workbook file: give --out FILE');
  if (opts.out && format !== 'csv' && format !== 'xlsx') throw usage('--out applies to --format csv or xlsx');
  return format;
}

/** The report as a file (--out: CSV or a workbook with a data bar per breakdown), or CSV on stdout. */
async function writeReport(
  ctx: import('../../app/context.js').Ctx,
  opts: GlobalOptions,
  format: 'csv' | 'xlsx',
  job: import('../../../jobs/types.js').JobDefinition,
  rows: ReadonlyArray<import('../../../jobs/types.js').Row>,
  bars: ReadonlyArray<{ column: string; first: number; last: number }>,
): Promise<void> {
  if (!opts.out) return out(await csvText(ctx, job, rows));
  const path = await import('node:path');
  const fs = await import('node:fs');
  const file = path.resolve(String(opts.out));
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) throw invalid('--out', opts.out, `folder ${dir} does not exist`);
  (await import('../../fsx/atomic.js')).assertReplaceable(file, '--out', String(opts.out));
  const { writeListFile } = await import('../../app/list-files.js');
  const n = await writeListFile(ctx, format, file, job.columns, (async function* () { yield [...rows]; })(), { name: job.name, bars });
  note(`wrote ${count(n, 'row')} to ${file}`);
}

/** Each run of rows with the same `field` value (among `values`) as a data bar over `column`. */
function barsOf(rows: ReadonlyArray<Record<string, unknown>>, field: string, values: readonly string[], column: string) {
  return values.flatMap((v) => {
    const at = rows.flatMap((r, i) => (r[field] === v ? [i] : []));
    return at.length ? [{ column, first: at[0]!, last: at[at.length - 1]! }] : [];
  });
}

const BAR_WIDTH = 24;

export function registerReport(program: Command): void {
  const report = program.command('report').description('revenue and follow-up figures on the terminal (the weekly/monthly jobs\' numbers)');

  report
    .command('revenue')
    .description('revenue and arrears of an ISO week or a month, by category, model and advisor (default: last month)')
    .option('--week <week>', 'ISO week YYYY-Www, e.g. 2026-W44')
    .option('--month <month>', 'month YYYY-MM, e.g. 2026-10')
    .option('--json', 'print JSON rows (money in integer cents, fields ending _cents)')
    .option('--csv', 'print the CSV the revenue job writes (= --format csv)')
    .option('--format <format>', 'table (default), csv or xlsx (a workbook with a data bar of each breakdown; needs --out)')
    .option('--out <file>', 'write the CSV or workbook to this file (0600, replaced whole)')
    .action(
      withCtx(async (ctx, opts) => {
        const format = formatOf(opts);
        const { parsePeriod, reportPeriod, revenueReport, revenueJson } = await import('../../app/reports.js');
        const { localDay } = await import('../../domain/time.js');
        const period = parsePeriod(opts.week as string | undefined, opts.month as string | undefined) ?? reportPeriod('monthly', localDay(ctx.now, ctx.tz));
        const rows = await revenueReport(ctx, period);
        if (format === 'json') return out(json(revenueJson(rows)));
        const weekly = /W/.test(period.key);
        const job = (await import(weekly ? '../../../jobs/revenue-weekly.js' : '../../../jobs/revenue-monthly.js')).default;
        if (format === 'csv' || format === 'xlsx') return writeReport(ctx, opts, format, job, rows, barsOf(rows, 'dimension', ['category', 'model', 'advisor'], 'total'));
        const { formatYuan } = await import('../../domain/money.js');
        const total = rows[0]!;
        out(`revenue ${period.key} (${period.first} … ${period.last}), orders delivered in the period\n`);
        out(`${count(total.orders, 'order')}, ${count(total.vehicles, 'vehicle')} · total ${formatYuan(total.total)} · paid ${formatYuan(total.paid)} · outstanding ${formatYuan(total.outstanding)} · average ${formatYuan(total.avg_order)}\n`);
        for (const dimension of ['category', 'model', 'advisor'] as const) {
          const part = rows.filter((r) => r.dimension === dimension);
          if (!part.length) continue;
          const max = Math.max(...part.map((r) => r.total));
          out(`\nby ${dimension}\n`);
          out(table(part, [
            { header: dimension, value: (r) => r.key },
            { header: 'orders', value: (r) => r.orders, right: true },
            { header: 'vehicles', value: (r) => r.vehicles, right: true },
            { header: 'labor', value: (r) => formatYuan(r.labor), right: true },
            { header: 'parts', value: (r) => formatYuan(r.parts), right: true },
            { header: 'other', value: (r) => formatYuan(r.other), right: true },
            { header: 'discount', value: (r) => formatYuan(r.discount), right: true },
            { header: 'total', value: (r) => formatYuan(r.total), right: true },
            { header: 'paid', value: (r) => formatYuan(r.paid), right: true },
            { header: 'outstanding', value: (r) => formatYuan(r.outstanding), right: true },
            { header: 'average', value: (r) => formatYuan(r.avg_order), right: true },
            { header: 'total (bar)', value: (r) => bar(r.total, max, BAR_WIDTH) },
          ]));
        }
      }),
    );

  report
    .command('callbacks')
    .description('follow-up quality of a month: coverage, average scores, satisfaction, top reasons (default: last month)')
    .option('--month <month>', 'month YYYY-MM, e.g. 2026-10')
    .option('--json', 'print JSON rows (metric, key, value)')
    .option('--csv', 'print the CSV the callback-stats job writes (= --format csv)')
    .option('--format <format>', 'table (default), csv or xlsx (a workbook with data bars; needs --out)')
    .option('--out <file>', 'write the CSV or workbook to this file (0600, replaced whole)')
    .action(
      withCtx(async (ctx, opts) => {
        const format = formatOf(opts);
        const { parsePeriod, reportPeriod, callbackStatsReport } = await import('../../app/reports.js');
        const { formatStatValue } = await import('../../domain/callbackStats.js');
        const { localDay } = await import('../../domain/time.js');
        const period = parsePeriod(undefined, opts.month as string | undefined) ?? reportPeriod('monthly', localDay(ctx.now, ctx.tz));
        const stats = await callbackStatsReport(ctx, period);
        if (format === 'json') return out(json(stats.map((r) => ({ metric: r.metric, key: r.key, value: r.value }))));
        const rows = stats.map((r) => ({ metric: r.metric, key: r.key, value: formatStatValue(r) }));
        if (format === 'csv' || format === 'xlsx') {
          const job = (await import('../../../jobs/callback-stats.js')).default;
          return writeReport(ctx, opts, format, job, rows, barsOf(rows, 'metric', ['avg_score', 'top_reason', 'top_suggestion'], 'value'));
        }
        const one = (metric: string) => rows.find((r) => r.metric === metric)?.value || '–';
        out(`callback follow-up ${period.key} (${period.first} … ${period.last}), orders delivered in the month\n`);
        out(`${one('delivered_orders')} delivered · ${one('reached')} reached · coverage ${one('coverage_pct')}% (customers reached after delivery; the follow-up target is at least 50%) · satisfied ${one('satisfied_pct')}%\n`);
        const QUESTIONS: Record<string, string> = {
          q1: 'explanation before work', q2: 'speed of reception', q3: 'work done right', q4: 'explanation of work and bill', q5: 'speed of delivery',
        };
        const scores = stats.filter((r) => r.metric === 'avg_score');
        out('\naverage scores (1–5, reached callbacks)\n');
        out(table(scores, [
          { header: 'question', value: (r) => `${r.key} ${QUESTIONS[r.key] ?? ''}` },
          { header: 'score', value: (r) => formatStatValue(r), right: true },
          { header: '', value: (r) => bar(r.value ?? 0, 5, BAR_WIDTH) },
        ]));
        for (const [metric, title] of [['top_reason', 'top reasons'], ['top_suggestion', 'top suggestions']] as const) {
          const part = stats.filter((r) => r.metric === metric);
          out(`\n${title}${part.length ? '' : ': none'}\n`);
          if (!part.length) continue;
          const max = Math.max(...part.map((r) => r.value ?? 0));
          out(table(part, [
            { header: metric === 'top_reason' ? 'reason' : 'suggestion', value: (r) => r.key },
            { header: 'count', value: (r) => r.value, right: true },
            { header: '', value: (r) => bar(r.value ?? 0, max, BAR_WIDTH) },
          ]));
        }
        // the calling lists' month (SPEC §13): rows listed, called, reached, booked within 14 days of the call
        const lists = [...new Set(stats.filter((r) => r.metric === 'list_rows').map((r) => r.key))];
        out(`\ncalling lists${lists.length ? '' : ': none listed or called'}\n`);
        if (lists.length) {
          const v = (metric: string, list: string) => stats.find((r) => r.metric === metric && r.key === list)?.value ?? 0;
          out(table(lists, [
            { header: 'list', value: (l) => l },
            { header: 'listed', value: (l) => v('list_rows', l), right: true },
            { header: 'called', value: (l) => v('list_contacted', l), right: true },
            { header: 'reached', value: (l) => v('list_reached', l), right: true },
            { header: 'booked ≤14 d', value: (l) => v('list_booked_14d', l), right: true },
            { header: 'of called', value: (l) => (v('list_contacted', l) ? `${((100 * v('list_booked_14d', l)) / v('list_contacted', l)).toFixed(1)}%` : ''), right: true },
          ]));
        }
      }),
    );
}

/** The job's CSV (header + rows) for stdout, with the csv.bom / csv.headers settings the job file uses. */
async function csvText(
  ctx: import('../../app/context.js').Ctx,
  job: import('../../../jobs/types.js').JobDefinition,
  rows: ReadonlyArray<import('../../../jobs/types.js').Row>,
): Promise<string> {
  const { headerRecord, rowWriter } = await import('../../csv.js');
  const { csvOptions } = await import('../../app/jobs.js');
  const options = csvOptions(ctx);
  const record = rowWriter(job.columns, ctx.tz);
  return (options.bom ? '\uFEFF' : '') + headerRecord(job.columns, options) + rows.map(record).join('');
}
