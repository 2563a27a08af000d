/**
 * `pitstop group …` (SPEC §15, §16): a dealer group's PostgreSQL. init, store add/list and report
 * open no store database (their URL is --pg or PITSTOP_GROUP_PG); push opens the store's and sends it.
 */
import type { Command } from 'commander';
import { collect, note, out, withCtx, type GlobalOptions } from '../kit.js';
import { invalid } from '../../errors.js';
import { count } from '../../domain/words.js';

/** A command action that opens no store database: the merged options and the positional arguments. */
function withoutDb<P extends unknown[]>(fn: (opts: GlobalOptions, ...args: P) => Promise<void>) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    await fn(cmd.optsWithGlobals() as GlobalOptions, ...(args.slice(0, -2) as P));
  };
}

const PG_HELP = 'the group\'s PostgreSQL, postgres://user:password@host:port/database (default: $PITSTOP_GROUP_PG)';

export function registerGroup(program: Command): void {
  const group = program.command('group').description('a dealer group: stores push to one PostgreSQL, head office reports across stores');

  group
    .command('init')
    .description('create or upgrade the group schema and roles in PostgreSQL (idempotent; run as the database\'s owner)')
    .option('--pg <url>', PG_HELP)
    .action(
      withoutDb(async (opts) => {
        const { initGroup, groupUrl } = await import('../../app/group.js');
        const { maskUrl } = await import('../../domain/group.js');
        const url = groupUrl(opts.pg as string | undefined, process.env);
        const r = await initGroup(url);
        out(r.from === r.to ? `group schema ${r.to} is up to date in ${r.where}\n` : `group schema ${r.to} ready in ${r.where} (was ${r.from || 'none'})\n`);
        if (r.headOfficePassword) {
          out(`head office role: ${r.roles.headOffice}  password: ${r.headOfficePassword}\n`);
          out('  (shown once: it reads every store and writes none; keep it for group report)\n');
        } else {
          out(`head office role: ${r.roles.headOffice} (exists; password unchanged)\n`);
        }
        out(`stores role: ${r.roles.stores} (every store's role is a member)\n`);
        note(`pitstop: next, register each store: pitstop group store add CODE --name NAME --pg ${maskUrl(url)}`);
      }),
    );

  const store = group.command('store').description('the stores of the group');
  store
    .command('add')
    .description('register a store; prints its PostgreSQL role and password (shown once)')
    .argument('<code>', 'the store\'s code, e.g. SH01 (1 to 20 letters, digits, _ or -)')
    .option('--name <name>', 'the store\'s name')
    .option('--pg <url>', PG_HELP)
    .option('--json', 'print JSON')
    .action(
      withoutDb<[string]>(async (opts, code) => {
        const { addGroupStore, groupUrl } = await import('../../app/group.js');
        const r = await addGroupStore(groupUrl(opts.pg as string | undefined, process.env), code, opts.name as string | undefined);
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        out(`store ${r.code} (${r.name}) added\nrole: ${r.role}\npassword: ${r.password}\n`);
        out(`at the store: pitstop config set group.store ${r.code} && pitstop config set group.pg '${r.url}'\n`);
      }),
    );
  store
    .command('list')
    .description('the stores, with their last push')
    .option('--pg <url>', PG_HELP)
    .option('--json', 'print JSON')
    .action(
      withoutDb(async (opts) => {
        const { listGroupStores, groupUrl } = await import('../../app/group.js');
        const rows = await listGroupStores(groupUrl(opts.pg as string | undefined, process.env));
        if (opts.json) return out(JSON.stringify(rows, null, 2) + '\n');
        const { table } = await import('../format.js');
        out(table(rows, [
          { header: 'code', value: (r) => r.code },
          { header: 'name', value: (r) => r.name },
          { header: 'role', value: (r) => r.role },
          { header: 'last push (UTC)', value: (r) => (r.pushed_at ? r.pushed_at.slice(0, 16) : 'never') },
          { header: 'rows pushed', value: (r) => r.rows_pushed ?? '0', right: true },
        ]));
      }),
    );

  group
    .command('push')
    .description('send what this store changed since its last push (incremental, resumable, safe to repeat)')
    .option('--pg <url>', `${PG_HELP}; else the setting group.pg`)
    .action(
      withCtx(async (ctx, opts) => {
        const { pushGroup, groupUrl } = await import('../../app/group.js');
        const url = groupUrl(opts.pg as string | undefined, process.env, ctx.settings.get('group.pg'));
        const started = Date.now();
        const batch = Number(process.env.PITSTOP_GROUP_BATCH) || undefined;
        const progress = process.stderr.isTTY ? (t: string) => process.stderr.write(`\r${t}`) : undefined;
        const r = await pushGroup(ctx, { url, batch, progress });
        if (progress) process.stderr.write('\n');
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        out(`pushed store ${r.store} to ${r.where}: ${count(r.rows, 'row')}${r.deleted ? `, ${r.deleted} deleted` : ''}${r.first ? ' (first push: every table)' : ''} in ${seconds} s\n`);
      }),
    );

  group
    .command('report')
    .description('revenue, callbacks or arrears across the stores: each store\'s own job figures, and the group\'s')
    .argument('<report>', 'revenue, callbacks or arrears')
    .option('--week <week>', 'ISO week YYYY-Www (revenue)')
    .option('--month <month>', 'month YYYY-MM (revenue, callbacks; default: last month)')
    .option('--date <day>', 'the day YYYY-MM-DD (arrears; default: today)')
    .option('--store <code>', 'only this store (repeatable)', collect)
    .option('--format <format>', 'table (default), csv or xlsx (needs --out)')
    .option('--out <file>', 'write the CSV or workbook to this file (0600, replaced whole)')
    .option('--json', 'print JSON rows (money in integer cents)')
    .option('--csv', 'print CSV (= --format csv)')
    .option('--pg <url>', PG_HELP)
    .action(
      withoutDb<[string]>(async (opts, kind) => {
        if (kind !== 'revenue' && kind !== 'callbacks' && kind !== 'arrears') throw invalid('report', kind, 'expected revenue, callbacks or arrears');
        // the same --format/--json/--out rules as pitstop report
        const format = (await import('./report.js')).formatOf(opts);
        const { groupUrl } = await import('../../app/group.js');
        const url = groupUrl(opts.pg as string | undefined, process.env);
        const { resolveNow } = await import('../../app/clock.js');
        const now = resolveNow(opts.now as string | undefined, process.env.PITSTOP_NOW, 'Asia/Shanghai');
        const { groupReport } = await import('../../app/group-reports.js');
        const report = await groupReport(kind, {
          url, now, week: opts.week as string | undefined, month: opts.month as string | undefined, date: opts.date as string | undefined,
          stores: opts.store as string[] | undefined,
        });
        const { printGroupReport } = await import('./group-report-output.js');
        await printGroupReport(report, format, opts.out as string | undefined);
      }),
    );
}
