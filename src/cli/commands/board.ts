/** `pitstop board [--date D]`: the work in progress on one screen (SPEC §10). */
import type { Command } from 'commander';
import { out, withCtx } from '../kit.js';

export function registerBoard(program: Command): void {
  program
    .command('board')
    .description('the work in progress: open orders, stage, technician, promised time, time left or overdue; orders to check')
    .option('--date <date>', 'measure at that day\'s closing time instead of now (YYYY-MM-DD)')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { showBoard } = await import('../../app/board.js');
        const { formatMinutes } = await import('../../domain/board.js');
        const { formatLocal } = await import('../../domain/time.js');
        const { table, json } = await import('../format.js');
        const b = await showBoard(ctx, opts.date as string | undefined);
        if (opts.json) return out(json(b));
        const when = (t: string | null) => (t ? formatLocal(t, ctx.tz) : '');
        const parts = [`board at ${formatLocal(b.at, ctx.tz)}: ${b.orders.length} open order(s), ${b.orders.filter((o) => o.overdue).length} overdue, ${b.check.length} to check\n`];
        if (b.orders.length) {
          parts.push(table(b.orders, [
            { header: 'order', value: (o) => o.number },
            { header: 'plate', value: (o) => o.plate },
            { header: 'customer', value: (o) => o.customer_name },
            { header: 'stage', value: (o) => o.status + (o.qc_failures ? ` (rework ${o.qc_failures})` : '') },
            { header: 'technician', value: (o) => o.technician },
            { header: 'advisor', value: (o) => o.advisor },
            { header: 'promised', value: (o) => when(o.promised_at) },
            { header: 'left', value: (o) => (o.minutes_left === null ? '' : o.overdue ? `OVERDUE ${formatMinutes(-o.minutes_left)}` : formatMinutes(o.minutes_left)), right: true },
            { header: 'used', value: (o) => (o.used === null ? '' : Number.isFinite(o.used) ? `${Math.floor(o.used * 100)}%` : '∞'), right: true },
          ]));
        }
        if (b.check.length) {
          parts.push(`\npast 75% of the planned time, not yet ready — check with the technician:\n`);
          for (const o of b.check) parts.push(`  ${o.number}  ${o.plate}  ${o.status}  promised ${when(o.promised_at)}\n`);
        }
        out(parts.join(''));
      }),
    );
}
