/** `pitstop outbox list|send|retry|cancel` (SPEC §13): the messages the lists queue, and sending them. */
import type { Command } from 'commander';
import { out, withCtx } from '../kit.js';
import { positiveInt } from '../options.js';

export function registerOutbox(program: Command): void {
  const outbox = program.command('outbox').description('messages queued from the lists (jobs.<job>.send on), and sending them through the shop\'s gateway');
  outbox
    .command('list')
    .description('the messages, newest first')
    .option('--status <status>', 'queued, held, sending, sent, failed or cancelled')
    .option('--limit <n>', 'at most N', positiveInt())
    .option('--json', 'print JSON')
    .action(
      withCtx<[]>(async (ctx, opts) => {
        const { outboxList } = await import('../../app/outbox.js');
        const rows = await outboxList(ctx, { status: opts.status as string | undefined, limit: opts.limit as number | undefined });
        if (opts.json) return out(JSON.stringify(rows, null, 2) + '\n');
        const { table } = await import('../format.js');
        const { formatLocal } = await import('../../domain/time.js');
        out(table(rows, [
          { header: 'id', value: (m) => m.id, right: true },
          { header: 'status', value: (m) => m.status },
          { header: 'list', value: (m) => m.job },
          { header: 'to', value: (m) => m.to_phone },
          { header: 'tries', value: (m) => m.attempts, right: true },
          { header: 'next / sent', value: (m) => formatLocal(m.sent_at ?? m.next_at, ctx.tz) },
          { header: 'note', value: (m) => m.reason ?? m.last_error ?? '' },
          { header: 'text', value: (m) => (m.text.length > 40 ? `${m.text.slice(0, 39)}…` : m.text) },
        ]));
      }),
    );
  outbox
    .command('send')
    .description('send the due messages through outbox.webhook or outbox.command (quiet hours, rate limit and retries apply)')
    .option('--limit <n>', 'at most N messages this run', positiveInt())
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExit status: 0 done (failures are retried later and listed by outbox list --status failed); 2 no sender configured.')
    .action(
      withCtx<[]>(async (ctx, opts) => {
        const { sendOutbox } = await import('../../app/outbox.js');
        const r = await sendOutbox(ctx, { limit: opts.limit as number | undefined });
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        const stop = r.stopped === 'quiet' ? '; quiet hours (outbox.quiet): the rest wait for their end' : r.stopped === 'rate' ? '; rate limit (outbox.rate) reached: the rest go next minute' : '';
        out(`outbox: ${r.sent} sent, ${r.retried} to retry, ${r.failed} failed, ${r.cancelled} cancelled, ${r.held} held${stop}\n`);
      }),
    );
  for (const [name, what] of [['retry', 'send a failed or cancelled message again'], ['cancel', 'do not send a message']] as const) {
    outbox
      .command(name)
      .description(what)
      .argument('<id>')
      .option('--json', 'print JSON')
      .action(
        withCtx<[string]>(async (ctx, opts, id) => {
          const { outboxRetry, outboxCancel } = await import('../../app/outbox.js');
          const m = await (name === 'retry' ? outboxRetry : outboxCancel)(ctx, id);
          if (opts.json) return out(JSON.stringify(m, null, 2) + '\n');
          out(`message ${m.id}: ${m.status}\n`);
        }),
      );
  }
}
