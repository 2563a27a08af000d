import type { Command } from 'commander';
import { out, printCreated, withCtx } from '../kit.js';
import { json, table } from '../format.js';

export function registerStaff(program: Command): void {
  const staff = program.command('staff').description('advisors, technicians, inspectors, callback agents, managers');

  staff
    .command('add')
    .description('add a staff member')
    .requiredOption('--name <name>', 'unique name, used as --advisor NAME etc.')
    .requiredOption('--role <roles>', 'one or more of advisor,technician,inspector,agent,manager (comma-separated)')
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the name')
    .action(
      withCtx(async (ctx, opts) => {
        const { addStaff } = await import('../../app/staff.js');
        const s = await addStaff(ctx, { name: opts.name as string, role: opts.role as string });
        printCreated(opts, s.name, s, `added staff ${s.id} ${s.name} (${s.role})`);
      }),
    );

  staff
    .command('list')
    .description('active staff (with --all, also deactivated)')
    .option('--all', 'include deactivated staff')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { staffList } = await import('../../app/staff.js');
        const rows = await staffList(ctx, !!opts.all);
        if (opts.json) return out(json(rows));
        out(table(rows, [
          { header: 'id', value: (r) => r.id, right: true },
          { header: 'name', value: (r) => r.name },
          { header: 'roles', value: (r) => r.role },
          { header: 'active', value: (r) => (r.active ? 'yes' : 'no') },
        ]));
      }),
    );

  staff
    .command('deactivate')
    .description('a staff member who left: kept in history, no longer assignable')
    .argument('<name>')
    .action(
      withCtx<[string]>(async (ctx, _opts, name) => {
        const { deactivateStaff } = await import('../../app/staff.js');
        const s = await deactivateStaff(ctx, name);
        out(`deactivated staff ${s.name}\n`);
      }),
    );
}
