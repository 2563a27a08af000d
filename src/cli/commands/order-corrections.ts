/** `order line edit|remove`, `order edit`, `order reopen`, `order refund` (SPEC §10): corrections at the desk. */
import type { Command } from 'commander';
import { out, withCtx } from '../kit.js';
import { formatYuan } from '../../domain/money.js';

const money = (c: number | null | undefined) => (c === null || c === undefined ? '' : formatYuan(c));
const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

export function registerOrderCorrections(order: Command): void {
  const line = order.command('line').description('correct a line of an order before delivery');
  line
    .command('edit')
    .description('change a line; an approved line becomes proposed again (the customer approves the new amount)')
    .argument('<order>')
    .argument('<line>', 'the line number (order show prints them)')
    .option('--qty <q>', 'part quantity')
    .option('--hours <h>', 'labour hours')
    .option('--price <yuan>', 'part unit price or fee')
    .option('--rate <yuan>', 'labour rate per hour')
    .option('--description <text>', 'what is done or supplied')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string, string]>(async (ctx, opts, number, n) => {
        const { editOrderLine } = await import('../../app/corrections.js');
        const r = await editOrderLine(ctx, number, n, {
          qty: str(opts.qty), hours: str(opts.hours), price: str(opts.price), rate: str(opts.rate), description: str(opts.description), at: str(opts.at),
        });
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        out(`${r.order.number}: line ${r.line.line_no} ${money(r.before.amount_cents)} → ${money(r.line.amount_cents)}${r.reproposed ? '; proposed again: the customer must approve it' : ''}; total ${money(r.order.total_cents)}; balance ${money(r.order.total_cents - r.order.paid_cents)}\n`);
      }),
    );
  line
    .command('remove')
    .description('take a line off the order (kept, shown as removed, out of every total)')
    .argument('<order>')
    .argument('<line>', 'the line number')
    .option('--reason <text>', 'why')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .action(
      withCtx<[string, string]>(async (ctx, opts, number, n) => {
        const { removeOrderLine } = await import('../../app/corrections.js');
        const r = await removeOrderLine(ctx, number, n, { reason: str(opts.reason), at: str(opts.at) });
        out(`${r.order.number}: line ${r.line} removed; total ${money(r.order.total_cents)}; balance ${money(r.order.total_cents - r.order.paid_cents)}\n`);
      }),
    );

  order
    .command('edit')
    .description('correct the order\'s header (category and advisor only before delivery)')
    .argument('<order>')
    .option('--promised <time>', 'promised delivery "YYYY-MM-DD HH:mm" ("" clears it)')
    .option('--advisor <name>', 'the service advisor')
    .option('--complaint <text>', 'what the customer reports')
    .option('--category <category>', 'maintenance, repair, accident, warranty, inspection or other')
    .option('--key-tag <tag>', 'the key tag number')
    .option('--call-window <window>', 'when the customer may be called, "HH:mm-HH:mm" ("" clears it)')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { editOrder } = await import('../../app/corrections.js');
        const r = await editOrder(ctx, number, {
          promised: str(opts.promised), advisor: str(opts.advisor), complaint: str(opts.complaint), category: str(opts.category),
          keyTag: str(opts.keyTag), callWindow: str(opts.callWindow), at: str(opts.at),
        });
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        const changed = Object.keys(r.after);
        out(`${r.order.number}: ${changed.length ? `changed ${changed.join(', ')}` : 'nothing changed'}\n`);
      }),
    );

  order
    .command('reopen')
    .description('take a delivered order back to work (comeback or billing mistake): payments kept, counts as rework, QC again')
    .argument('<order>')
    .option('--reason <text>', 'why')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { reopenOrder } = await import('../../app/corrections.js');
        const o = await reopenOrder(ctx, number, { reason: str(opts.reason), at: str(opts.at) });
        out(`${o.number}: reopened, in_progress (rework ${o.qc_failures}); it needs a QC pass before delivery\n`);
      }),
    );

  order
    .command('refund')
    .description('give money back (a negative payment): only what was overpaid, unless --goodwill --by MANAGER')
    .argument('<order>')
    .option('--amount <yuan>', 'amount to give back')
    .option('--method <method>', 'cash, card, wechat, alipay, transfer or warranty')
    .option('--reason <text>', 'why')
    .option('--goodwill', 'a goodwill refund: records a manager\'s discount of the same amount first')
    .option('--by <name>', 'the manager (with --goodwill)')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { refundOrder } = await import('../../app/corrections.js');
        const o = await refundOrder(ctx, number, {
          amount: str(opts.amount), method: str(opts.method), reason: str(opts.reason), goodwill: !!opts.goodwill, by: str(opts.by), at: str(opts.at),
        });
        if (opts.json) return out(JSON.stringify(o, null, 2) + '\n');
        out(`${o.number}: refunded; total ${money(o.total_cents)}, paid ${money(o.paid_cents)}, balance ${money(o.total_cents - o.paid_cents)}\n`);
      }),
    );
}
