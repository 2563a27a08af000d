/** `booking refund`, `booking forfeit` (SPEC §10): what happens to a deposit the order did not take. */
import type { Command } from 'commander';
import { out, withCtx } from '../kit.js';
import { formatYuan } from '../../domain/money.js';

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

export function registerBookingDeposits(booking: Command): void {
  booking
    .command('refund')
    .description('give (part of) a booking\'s deposit back (at most what is left of it)')
    .argument('<id>')
    .option('--amount <yuan>', 'amount')
    .option('--method <method>', 'cash, card, wechat, alipay, transfer or warranty')
    .option('--reason <text>', 'why')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, id) => {
        const { refundDeposit } = await import('../../app/deposits.js');
        const r = await refundDeposit(ctx, id, { amount: str(opts.amount), method: str(opts.method), reason: str(opts.reason), at: str(opts.at) });
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        out(`booking ${r.booking.id}: refunded ${formatYuan(r.refunded_cents)} of the deposit; ${formatYuan(r.left_cents)} left\n`);
      }),
    );
  booking
    .command('forfeit')
    .description('keep a no-show\'s deposit for special-order parts as shop income (a manager decides)')
    .argument('<id>')
    .option('--by <name>', 'the manager')
    .option('--reason <text>', 'why')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, id) => {
        const { forfeitDeposit } = await import('../../app/deposits.js');
        const r = await forfeitDeposit(ctx, id, { by: str(opts.by), reason: str(opts.reason), at: str(opts.at) });
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        out(`booking ${r.booking.id}: deposit ${formatYuan(r.forfeited_cents)} forfeited (shop income)\n`);
      }),
    );
}
