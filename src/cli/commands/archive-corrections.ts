/**
 * Undo and merge in the archive (SPEC §10): `vehicle reactivate`, `staff reactivate`, `customer merge`,
 * `callback amend`. Added to the nouns the other modules registered, so it must come after them.
 */
import type { Command } from 'commander';
import { out, withCtx } from '../kit.js';

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const noun = (program: Command, name: string) => {
  const c = program.commands.find((x) => x.name() === name);
  if (!c) throw new Error(`command ${name} must be registered before the archive corrections`);
  return c;
};

export function registerArchiveCorrections(program: Command): void {
  noun(program, 'vehicle')
    .command('reactivate')
    .description('undo a deactivation: back on the lists')
    .argument('<plate>')
    .action(
      withCtx<[string]>(async (ctx, _opts, plate) => {
        const { reactivateVehicle } = await import('../../app/archive.js');
        const v = await reactivateVehicle(ctx, plate);
        out(`reactivated vehicle ${v.plate}\n`);
      }),
    );

  noun(program, 'staff')
    .command('reactivate')
    .description('undo a deactivation: assignable again')
    .argument('<name>')
    .action(
      withCtx<[string]>(async (ctx, _opts, name) => {
        const { reactivateStaff } = await import('../../app/archive.js');
        const s = await reactivateStaff(ctx, name);
        out(`reactivated staff ${s.name}\n`);
      }),
    );

  noun(program, 'customer')
    .command('merge')
    .description('merge a duplicate customer into another: vehicles, orders, bookings, complaints move; the old phone still finds the survivor')
    .argument('<customer>', 'the duplicate: id, phone, plate or exact name')
    .option('--into <customer>', 'the customer that stays')
    .option('--force', 'merge although the names differ')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, ref) => {
        const { mergeCustomers } = await import('../../app/archive.js');
        const r = await mergeCustomers(ctx, ref, { into: str(opts.into), force: !!opts.force });
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        const moved = Object.entries(r.moved).map(([t, n]) => `${n} ${t}`).join(', ');
        out(`merged customer ${r.merged.id} (${r.merged.name} ${r.merged.phone}) into ${r.survivor.id} (${r.survivor.name} ${r.survivor.phone}): moved ${moved}\n`);
      }),
    );

  noun(program, 'callback')
    .command('amend')
    .description('correct a callback recorded by mistake (only the flags given change)')
    .argument('<id>', 'the callback id')
    .option('--result <result>', 'reached, no_answer, later, refused or wrong_number')
    .option('--scores <scores>', 'the five scores, e.g. 5,5,4,5,5 ("" clears them)')
    .option('--reason <reason>', 'service_quality, repair_quality, delivery_time, price, parts_supply or other')
    .option('--comment <text>', 'what the customer said')
    .option('--suggestion <text>', 'the customer\'s suggestion')
    .option('--agent <name>', 'who called')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, id) => {
        const { amendCallback } = await import('../../app/archive.js');
        const r = await amendCallback(ctx, id, {
          result: str(opts.result), scores: str(opts.scores), reason: str(opts.reason), comment: str(opts.comment), suggestion: str(opts.suggestion), agent: str(opts.agent),
        });
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        const changed = Object.keys(r.after);
        out(`callback ${r.callback.id}: ${changed.length ? `changed ${changed.join(', ')}` : 'nothing changed'}\n`);
      }),
    );
}
