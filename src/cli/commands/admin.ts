/**
 * `pitstop backup FILE`, `restore FILE`, `doctor`, `audit`: keeping the database safe and accountable.
 * backup/restore/doctor work on the database file itself (they do not create or migrate it first);
 * `audit` is an ordinary read command.
 */
import type { Command } from 'commander';
import { out, withCtx, type GlobalOptions } from '../kit.js';
import { positiveInt } from '../options.js';
import { count } from '../../domain/words.js';

async function dbPathOf(opts: GlobalOptions): Promise<string> {
  const { resolveDbPath } = await import('../../app/context.js');
  return resolveDbPath(opts.db, process.env);
}

function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

const cut = (text: string, max = 100) => (text.length > max ? text.slice(0, max - 1) + '…' : text);
const mb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export function registerAdmin(program: Command): void {
  program
    .command('init')
    .description('create a new, empty database (and any missing folder) and print its path')
    .addHelpText(
      'after',
      `
The database is --db, else $PITSTOP_DB, else $XDG_DATA_HOME/pitstop/pitstop.db. Only init (and the
commands that record something: config set, … add, order open, import, demo, restore) create one;
every other command on a missing file is exit 3, so a mistyped path never makes empty lists.
Exit status: 0 created; 2 the file belongs to another application; 4 a database is already there.`,
    )
    .action(async (_o: unknown, cmd: Command) => {
      const opts = globals(cmd);
      const { initDatabase } = await import('../../app/context.js');
      const file = await initDatabase({ db: opts.db, now: opts.now, actor: opts.actor, note: (t) => process.stderr.write(`pitstop: ${t}\n`) });
      out(`${file}\n`);
    });

  program
    .command('backup')
    .description('copy the database to FILE while others keep working (SQLite online backup; the file is owner-only)')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Inspection photos (<data dir>/attachments/) are copied into the folder FILE.attachments/ beside
the backup; a nightly run copies only photos that folder does not hold yet. restore brings them back.
Exit status: 0 done; 4 FILE exists (use --force); 5 the disk is full or FILE's folder is not writable.
A nightly copy from crontab, one per weekday:
  30 2 * * * pitstop backup --force /var/backups/pitstop/pitstop-$(date +\\%a).db`,
    )
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = globals(cmd);
      const { backupDatabase } = await import('../../app/admin.js');
      const r = await backupDatabase(await dbPathOf(opts), file, { force: !!opts.force });
      if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
      const c = r.counts;
      const a = r.attachments;
      if (a.missing.length) {
        process.stderr.write(`pitstop: ${count(a.missing.length, 'photo')} the database refers to ${a.missing.length === 1 ? 'is' : 'are'} missing or damaged in the data folder's attachments and ${a.missing.length === 1 ? 'is' : 'are'} not in the backup: ${a.missing.slice(0, 5).join(', ')}${a.missing.length > 5 ? ', …' : ''}\n`);
      }
      const photos = a.folder ? `; ${count(a.copied + a.present, 'photo')} in ${a.folder}, ${a.copied} new` : '';
      out(`backed up ${r.database} to ${r.file} (${mb(r.bytes)}; ${count(c.customers ?? 0, 'customer')}, ${count(c.vehicles ?? 0, 'vehicle')}, ${count(c.orders ?? 0, 'order')}${photos})\n`);
    });

  program
    .command('restore')
    .description('replace the database with a backup FILE (checked first; a database with data needs --force)')
    .argument('<file>', 'a file made by pitstop backup')
    .option('--force', 'replace a database that holds data (or cannot be read)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Exit status: 0 restored; 2 FILE is not a pitstop database; 4 the database holds data (use --force);
5 FILE comes from a newer pitstop, or the database is in use (stop pitstop cron and the desks first).`,
    )
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const opts = globals(cmd);
      const { restoreDatabase } = await import('../../app/admin.js');
      const { resolveActor, isDefaultDbPath } = await import('../../app/context.js');
      const r = await restoreDatabase(await dbPathOf(opts), file, {
        mayCreateFolder: isDefaultDbPath(opts.db, process.env),
        note: (t) => process.stderr.write(`pitstop: ${t}\n`),
        force: !!opts.force,
        actor: resolveActor(opts.actor, process.env),
        now: opts.now ?? process.env.PITSTOP_NOW,
      });
      if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
      const c = r.counts;
      out(
        `restored ${r.database} from ${r.from} (${count(c.customers ?? 0, 'customer')}, ${count(c.vehicles ?? 0, 'vehicle')}, ${count(c.orders ?? 0, 'order')}` +
          `${r.migrated_from !== null ? `; migrated from schema version ${r.migrated_from}` : ''}` +
          `${r.attachments.folder ? `; ${count(r.attachments.copied, 'photo')} restored from ${r.attachments.folder}` : ''})\n`,
      );
    });

  program
    .command('doctor')
    .description('check the database: integrity, foreign keys, schema, orphan rows, settings, odometer, order totals (exit 4 when a problem is found)')
    .option('--quick', 'a faster file check (quick_check: skips comparing indexes with their tables)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExit status: 0 every check passed; 4 a problem was found (listed); 5 the database cannot be read.')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = globals(cmd);
      const { doctor } = await import('../../app/admin.js');
      const { PitstopError, Exit } = await import('../../errors.js');
      const report = await doctor(await dbPathOf(opts), { now: opts.now ?? process.env.PITSTOP_NOW, quick: !!opts.quick });
      if (opts.json) out(JSON.stringify(report, null, 2) + '\n');
      else {
        const width = Math.max(...report.checks.map((c) => c.name.length));
        out(`database ${report.database} (schema version ${report.schema_version})\n`);
        for (const c of report.checks) {
          out(`${c.ok ? 'ok     ' : 'PROBLEM'}  ${c.name.padEnd(width)}  ${c.summary === 'ok' ? '' : c.summary}\n`.replace(/\s+\n$/, '\n'));
          for (const d of c.details) out(`         ${' '.repeat(width)}  - ${d}\n`);
        }
      }
      if (!report.ok) {
        const problems = report.checks.filter((c) => !c.ok).map((c) => c.name);
        throw new PitstopError(Exit.conflict, `doctor found problems: ${problems.join(', ')}`);
      }
    });

  program
    .command('audit')
    .description('who changed what, newest first')
    .option('--entity <entity>', 'only this kind of record: customer, vehicle, order, booking, setting, database…')
    .option('--id <id>', 'only this record (its id, or the key of a setting)')
    .option('--since <time>', 'only changes from this shop-local day or time on: "YYYY-MM-DD[ HH:mm]"')
    .option('--limit <n>', 'at most this many', positiveInt(1_000_000), 100)
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { listAuditEntries } = await import('../../app/admin.js');
        const { json, table } = await import('../format.js');
        const rows = await listAuditEntries(ctx, {
          entity: opts.entity as string | undefined,
          id: opts.id as string | undefined,
          since: opts.since as string | undefined,
          limit: opts.limit as number,
        });
        if (opts.json) return out(json(rows));
        out(table(rows, [
          { header: 'id', value: (r) => r.id, right: true },
          { header: 'at', value: (r) => r.at_local },
          { header: 'actor', value: (r) => r.actor },
          { header: 'action', value: (r) => r.action },
          { header: 'entity', value: (r) => r.entity },
          { header: 'entity id', value: (r) => r.entity_id },
          { header: 'details', value: (r) => cut(r.details === null ? '' : typeof r.details === 'string' ? r.details : JSON.stringify(r.details)) },
        ]));
      }),
    );
}
