import type { Command } from 'commander';
import { canPrompt, note, out, printCreated, withCtx, type GlobalOptions, json as jsonOut } from '../kit.js';
import type { Ctx } from '../../app/context.js';
import type { CallbackInput, RecordedCallback } from '../../app/followup.js';
import type { ComplaintRow } from '../../db/followup.js';

function callbackInputOf(opts: GlobalOptions): CallbackInput {
  const pick = (k: string) => (opts[k] === undefined || opts[k] === null ? undefined : String(opts[k]));
  return {
    result: pick('result'), scores: pick('scores'), reason: pick('reason'), comment: pick('comment'), suggestion: pick('suggestion'),
    agent: pick('agent'), complaint: pick('complaint'), at: pick('at'),
  };
}

const money = (cents: number | null | undefined) => ((cents ?? 0) / 100).toFixed(2);

/** The callback form of seeds/004, question by question, after the order's summary (all on stderr). */
async function recordInteractively(ctx: Ctx, number: string, input: CallbackInput): Promise<RecordedCallback> {
  const { askText, askChoice } = await import('../prompt.js');
  const followup = await import('../../app/followup.js');
  const { CALLBACK_RESULTS, QUESTIONS, REASONS, REASON_LABELS, SCORE_LABELS, LOW_SCORE, checkCallable } = await import('../../domain/followup.js');
  const { formatLocal } = await import('../../domain/time.js');
  const { fields } = await import('../format.js');
  const { staffList, hasRole } = await import('../../app/staff.js');

  const { order, callbacks } = await followup.orderCallbacks(ctx, number);
  checkCallable(order.number, order.status);
  const done = callbacks.find((c) => c.result === 'reached' || c.result === 'refused');
  if (done) {
    const { conflict } = await import('../../errors.js');
    throw conflict(`order ${order.number} already has a completed callback (${done.id}, ${done.result} at ${formatLocal(done.attempted_at, ctx.tz)}); use complaint add for anything new`);
  }
  note(fields([
    ['order', order.number],
    ['delivered', order.delivered_at ? formatLocal(order.delivered_at, ctx.tz) : ''],
    ['customer', `${order.customer_name} ${order.phone}`],
    ['vehicle', [order.plate, order.model].filter(Boolean).join(' ')],
    ['category', order.category],
    ['total', money(order.total_cents)],
    ['advisor', order.advisor],
    ['call window', order.call_window ?? ctx.settings.get('callback.window')],
    ['earlier calls', callbacks.map((c) => `${formatLocal(c.attempted_at, ctx.tz)} ${c.result}`).join('; ')],
  ]).trimEnd());

  const filled = { ...input };
  filled.result ??= await askChoice('Result 回访结果', CALLBACK_RESULTS.map((r) => ({ value: r })), 'reached');
  if (filled.result === 'reached') {
    const scores: number[] = [];
    for (const [i, q] of QUESTIONS.entries()) {
      const s = await askChoice(`Q${i + 1} ${q.zh} (${q.en})`, [5, 4, 3, 2, 1].map((n) => ({ value: String(n), name: `${n} ${SCORE_LABELS[n]}` })), '5');
      scores.push(Number(s));
    }
    filled.scores = scores.join(',');
    if (scores.some((s) => s <= LOW_SCORE) || filled.reason) {
      filled.reason = await askChoice('Reason 不满意原因', REASONS.map((r) => ({ value: r, name: REASON_LABELS[r] })), (filled.reason as (typeof REASONS)[number]) ?? undefined);
    }
    if (filled.comment === undefined) filled.comment = (await askText({ message: 'Comment 客户评语 (optional)' })) || undefined;
    if (filled.suggestion === undefined) filled.suggestion = (await askText({ message: 'Suggestion 客户建议 (optional)' })) || undefined;
    if (filled.complaint === undefined) filled.complaint = (await askText({ message: 'Complaint 投诉 (optional: opens a complaint)' })) || undefined;
  } else if (filled.comment === undefined) {
    filled.comment = (await askText({ message: filled.result === 'later' ? 'When to call again 再次回访时间 (optional)' : 'Comment 备注 (optional)' })) || undefined;
  }
  if (filled.agent === undefined) {
    const agents = (await staffList(ctx)).filter((s) => s.active && hasRole(s, 'agent'));
    if (agents.length) {
      const NONE = '\u0000none';
      const a = await askChoice('Agent 回访人', [...agents.map((s) => ({ value: s.name, name: s.id === order.advisor_id ? `${s.name} (the order's advisor)` : s.name })), { value: NONE, name: '(none)' }]);
      if (a !== NONE) filled.agent = a;
    }
  }
  return followup.recordCallback(ctx, number, filled);
}

function complaintLine(ctx: Ctx, c: ComplaintRow, formatLocal: (i: string, z: string) => string): string {
  return `complaint ${c.id} for ${c.customer_name}${c.order_number ? ` (${c.order_number})` : ''}, reply by ${formatLocal(c.reply_by, ctx.tz)}`;
}

export function registerFollowup(program: Command): void {
  const callback = program.command('callback').description('follow-up calls (回访) after delivery');

  callback
    .command('record')
    .description('record a callback on a delivered order (at a terminal with no flags, asks the form question by question)')
    .argument('<order>', 'order number RO-YYYYMMDD-NNNN')
    .option('--result <result>', 'reached, no_answer, later, refused or wrong_number')
    .option('--scores <list>', 'five scores 1–5 (only with reached): explanation before work, speed of reception, work done right, explanation of work and bill, speed of delivery')
    .option('--reason <reason>', 'why not satisfied (needed with a score of 2 or less): service_quality, repair_quality, delivery_time, price, parts_supply or other')
    .option('--comment <text>', 'what the customer said')
    .option('--suggestion <text>', 'the customer\'s suggestion')
    .option('--agent <name>', 'who called (staff with role agent)')
    .option('--complaint <text>', 'open a complaint on this order')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm" (default now)')
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the callback id')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const followup = await import('../../app/followup.js');
        const { formatLocal } = await import('../../domain/time.js');
        const input = callbackInputOf(opts);
        // a reached call asks the five questions at a terminal; elsewhere it needs --scores (exit 2)
        const scoresMissing = input.result === 'reached' && !input.scores;
        const ask = (!input.result || scoresMissing) && canPrompt(opts);
        const r = ask ? await recordInteractively(ctx, number, input) : await followup.recordCallback(ctx, number, input);
        for (const w of r.warnings) note(`warning: ${w}`);
        if (r.complaint && !opts.json && !opts.quiet) note(`opened ${complaintLine(ctx, r.complaint, formatLocal)}`);
        const cb = r.callback;
        const scores = cb.q1 ? ` scores ${[cb.q1, cb.q2, cb.q3, cb.q4, cb.q5].join(',')}` : '';
        printCreated(opts, cb.id, r, `recorded callback ${cb.id} on ${cb.order_number}: ${cb.result}${scores}`);
      }),
    );

  callback
    .command('list')
    .description('the callbacks of one order')
    .argument('<order>', 'order number RO-YYYYMMDD-NNNN')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { orderCallbacks } = await import('../../app/followup.js');
        const { formatLocal } = await import('../../domain/time.js');
        const { json, table } = await import('../format.js');
        const { callbacks } = await orderCallbacks(ctx, number);
        if (opts.json) return out(jsonOut(callbacks));
        out(table(callbacks, [
          { header: 'id', value: (r) => r.id, right: true },
          { header: 'at', value: (r) => formatLocal(r.attempted_at, ctx.tz) },
          { header: 'result', value: (r) => r.result },
          { header: 'scores', value: (r) => (r.q1 ? [r.q1, r.q2, r.q3, r.q4, r.q5].join(',') : '') },
          { header: 'reason', value: (r) => r.reason },
          { header: 'agent', value: (r) => r.agent },
          { header: 'comment', value: (r) => r.comment },
          { header: 'suggestion', value: (r) => r.suggestion },
        ]));
      }),
    );

  const complaint = program.command('complaint').description('customer complaints (投诉), to be answered by the next working day');

  complaint
    .command('add')
    .description('open a complaint')
    .option('--customer <id|phone>', 'the customer')
    .option('--order <order>', 'the repair order it is about')
    .option('--description <text>', 'what the customer complains about')
    .option('--category <category>', 'service_quality, repair_quality, delivery_time, price, parts_supply or other')
    .option('--at <time>', 'when it came in, "YYYY-MM-DD HH:mm" (default now)')
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the complaint id')
    .action(
      withCtx(async (ctx, opts) => {
        const { addComplaint } = await import('../../app/followup.js');
        const { formatLocal } = await import('../../domain/time.js');
        const c = await addComplaint(ctx, {
          customer: opts.customer as string | undefined, order: opts.order as string | undefined,
          description: opts.description as string | undefined, category: opts.category as string | undefined, at: opts.at as string | undefined,
        });
        printCreated(opts, c.id, c, `opened ${complaintLine(ctx, c, formatLocal)}`);
      }),
    );

  complaint
    .command('list')
    .description('complaints: open ones first, by reply-by time')
    .option('--open', 'only open complaints')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { listComplaints } = await import('../../app/followup.js');
        const { formatLocal, toIso } = await import('../../domain/time.js');
        const { json, table } = await import('../format.js');
        const rows = await listComplaints(ctx, { open: !!opts.open });
        if (opts.json) return out(jsonOut(rows));
        const now = toIso(ctx.now);
        out(table(rows, [
          { header: 'id', value: (r) => r.id, right: true },
          { header: 'opened', value: (r) => formatLocal(r.opened_at, ctx.tz) },
          { header: 'reply by', value: (r) => formatLocal(r.reply_by, ctx.tz) + (r.status === 'open' && r.reply_by < now ? ' OVERDUE' : '') },
          { header: 'customer', value: (r) => r.customer_name },
          { header: 'phone', value: (r) => r.phone },
          { header: 'order', value: (r) => r.order_number },
          { header: 'category', value: (r) => r.category },
          { header: 'status', value: (r) => r.status },
          { header: 'description', value: (r) => r.description },
        ]));
      }),
    );

  complaint
    .command('resolve')
    .description('close a complaint with what was done')
    .argument('<id>')
    .option('--resolution <text>', 'how it was resolved')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm" (default now)')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, id) => {
        const { resolveComplaint } = await import('../../app/followup.js');
        const { formatLocal } = await import('../../domain/time.js');
        const c = await resolveComplaint(ctx, id, { resolution: opts.resolution as string | undefined, at: opts.at as string | undefined });
        if (opts.json) return out(jsonOut(c));
        const late = c.resolved_at && c.resolved_at > c.reply_by ? ' (after its reply-by time)' : '';
        out(`resolved complaint ${c.id} at ${formatLocal(c.resolved_at!, ctx.tz)}${late}\n`);
      }),
    );
}
