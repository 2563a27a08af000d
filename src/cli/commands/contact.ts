/** `pitstop contact record` (SPEC §13): the outcome of a call made from a list. */
import type { Command } from 'commander';
import { out, withCtx } from '../kit.js';

export function registerContact(program: Command): void {
  const contact = program.command('contact').description('calls made from the lists: record their outcome');
  contact
    .command('record')
    .description('record the outcome of a call from a list; later lists it again at the agreed time, booked/declined/refused start its cooldown, wrong_number flags the phone')
    .option('--list <list>', 'appointment-reminders, maintenance-due, lapsed-customers, declined-work, arrears or credits')
    .option('--ref <ref>', 'what the list row names: booking id (appointment-reminders), plate (maintenance-due, declined-work), phone (lapsed-customers), order number or booking id (arrears, credits)')
    .option('--result <result>', 'reached, booked, declined, no_answer, later, wrong_number or refused')
    .option('--later-at <time>', 'with --result later: when to call again, "YYYY-MM-DD HH:mm"')
    .option('--note <text>', 'note')
    .option('--agent <name>', 'who called')
    .option('--at <time>', 'when the call was made, "YYYY-MM-DD HH:mm" (default now)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Callbacks keep their own form: pitstop callback record RO --result ….
Exit status: 0 recorded; 2 a bad --list, --result, --ref or time, or later without --later-at;
3 no such booking, vehicle, customer or order.`,
    )
    .action(
      withCtx<[]>(async (ctx, opts) => {
        const { recordContact } = await import('../../app/contacts.js');
        const r = await recordContact(ctx, {
          list: opts.list as string | undefined, ref: opts.ref as string | undefined, result: opts.result as string | undefined,
          laterAt: opts.laterAt as string | undefined, note: opts.note as string | undefined, agent: opts.agent as string | undefined, at: opts.at as string | undefined,
        });
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        const { formatLocal } = await import('../../domain/time.js');
        out(`${r.list} ${r.ref}: ${r.result} recorded at ${formatLocal(r.at, ctx.tz)}${r.later_at ? `; on the list again ${formatLocal(r.later_at, ctx.tz)}` : ''}${r.phone_flagged ? '; the phone is marked wrong (off the calling lists until it is changed)' : ''}\n`);
      }),
    );
}
