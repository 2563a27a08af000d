import type { Command } from 'commander';
import { canPrompt, out, printCreated, withCtx, type GlobalOptions } from '../kit.js';
import { fields, json, table } from '../format.js';
import { positiveInt } from '../options.js';
import type { CustomerInput } from '../../app/customers.js';
import type { Ctx } from '../../app/context.js';

function customerFlags(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'customer name')
    .option('--phone <phone>', 'mobile (11 digits; +86, spaces and dashes are fine) or, for fleets, a landline')
    .option('--kind <kind>', 'private or fleet')
    .option('--company <company>', 'company (fleet customers)')
    .option('--address <address>', 'address')
    .option('--note <text>', 'note')
    .option('--do-not-contact', 'refuses calls and messages: on no calling list, sent no message')
    .option('--calls', 'accepts calls')
    .option('--no-calls', 'refuses calls: on no calling list (messages still allowed)')
    .option('--messages', 'accepts messages')
    .option('--no-messages', 'refuses messages (calls still allowed)');
}

function inputOf(opts: GlobalOptions): CustomerInput {
  return {
    name: opts.name as string | undefined,
    phone: opts.phone as string | undefined,
    kind: opts.kind as string | undefined,
    company: opts.company as string | undefined,
    address: opts.address as string | undefined,
    note: opts.note as string | undefined,
    doNotContact: opts.doNotContact as boolean | undefined,
    calls: opts.calls as boolean | undefined,
    messages: opts.messages as boolean | undefined,
  };
}

/** At a terminal, ask for what is missing; elsewhere the use-case refuses it (exit 2). */
async function promptMissing(ctx: Ctx, input: CustomerInput): Promise<CustomerInput> {
  const { askText, askChoice, checkWith } = await import('../prompt.js');
  const { normalizePhone, cleanName } = await import('../../domain/identity.js');
  const { parseKind } = await import('../../app/customers.js');
  const { phoneTaken } = await import('../../app/answers.js');
  const filled = { ...input };
  if (!filled.name) filled.name = await askText({ message: 'Name 姓名', required: true, check: checkWith((v) => cleanName('name', v)) });
  if (!filled.kind) filled.kind = await askChoice('Kind 类型', [{ value: 'private', name: 'private 私人' }, { value: 'fleet', name: 'fleet 单位/车队' }], 'private');
  const kind = parseKind(filled.kind);
  if (!filled.phone) filled.phone = await askText({ message: 'Phone 手机', required: true, check: checkWith((v) => normalizePhone(v, kind), (phone) => phoneTaken(ctx, phone)) });
  if (filled.company === undefined && kind === 'fleet') filled.company = await askText({ message: 'Company 单位 (optional)' });
  if (filled.address === undefined) filled.address = await askText({ message: 'Address 地址 (optional)' });
  if (filled.note === undefined) filled.note = await askText({ message: 'Note 备注 (optional)' });
  return filled;
}

export function registerCustomer(program: Command): void {
  const customer = program.command('customer').description('the customer archive');

  customerFlags(customer.command('add').description('add a customer (asks for what is missing at a terminal)'))
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the new customer id')
    .action(
      withCtx(async (ctx, opts) => {
        const { addCustomer } = await import('../../app/customers.js');
        let input = inputOf(opts);
        if ((!input.name || !input.phone) && canPrompt(opts)) input = await promptMissing(ctx, input);
        const c = await addCustomer(ctx, input);
        printCreated(opts, c.id, c, `added customer ${c.id} ${c.name} ${c.phone}`);
      }),
    );

  customer
    .command('list')
    .description('customers, optionally matching a name, phone, company or plate')
    .option('--search <text>', 'part of a name, phone, company or plate')
    .option('--limit <n>', 'at most this many', positiveInt(100000), 50)
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { listCustomers } = await import('../../app/customers.js');
        const rows = await listCustomers(ctx, opts.search as string | undefined, opts.limit as number);
        if (opts.json) return out(json(rows));
        out(table(rows, [
          { header: 'id', value: (r) => r.id, right: true },
          { header: 'name', value: (r) => r.name },
          { header: 'phone', value: (r) => r.phone },
          { header: 'kind', value: (r) => r.kind },
          { header: 'company', value: (r) => r.company },
          { header: 'vehicles', value: (r) => r.vehicles, right: true },
          { header: 'dnc', value: (r) => (r.do_not_contact ? 'yes' : '') },
        ]));
      }),
    );

  customer
    .command('show')
    .description('one customer: vehicles, visits, open complaints, callbacks, balance owed')
    .argument('<id|phone>')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, ref) => {
        const { showCustomer } = await import('../../app/customers.js');
        const { formatYuan } = await import('../../domain/money.js');
        const { formatLocal } = await import('../../domain/time.js');
        const p = await showCustomer(ctx, ref);
        if (opts.json) return out(json(p));
        const c = p.customer;
        out(fields([
          ['customer', `${c.id} ${c.name}`],
          ['phone', c.phone],
          ['kind', c.kind],
          ['company', c.company],
          ['address', c.address],
          ['note', c.note],
          ['do not contact', c.do_not_contact ? 'yes (no calls, no messages)' : c.no_calls ? 'no calls (messages allowed)' : c.no_messages ? 'no messages (calls allowed)' : ''],
          ['phone marked wrong', c.phone_bad_at ? `${formatLocal(c.phone_bad_at, ctx.tz)} (off the calling lists until the phone is changed)` : ''],
          ['since', formatLocal(c.created_at, ctx.tz)],
          ['balance owed', formatYuan(p.balance_owed_cents)],
        ]));
        const money = (v: unknown) => formatYuan(Number(v ?? 0));
        out(`\nvehicles (${p.vehicles.length})\n`);
        if (p.vehicles.length) out(table(p.vehicles, [
          { header: 'plate', value: (r) => r.plate as string },
          { header: 'make', value: (r) => r.make as string },
          { header: 'model', value: (r) => r.model as string },
          { header: 'vin', value: (r) => r.vin as string },
          { header: 'active', value: (r) => (r.active ? 'yes' : 'no') },
        ]));
        out(`\nvisits (latest ${p.visits.length})\n`);
        if (p.visits.length) out(table(p.visits, [
          { header: 'order', value: (r) => r.number as string },
          { header: 'opened', value: (r) => formatLocal(r.opened_at as string, ctx.tz) },
          { header: 'plate', value: (r) => r.plate as string },
          { header: 'category', value: (r) => r.category as string },
          { header: 'status', value: (r) => r.status as string },
          { header: 'total', value: (r) => money(r.total_cents), right: true },
          { header: 'balance', value: (r) => money(r.balance_cents), right: true },
        ]));
        out(`\nopen complaints (${p.open_complaints.length})\n`);
        if (p.open_complaints.length) out(table(p.open_complaints, [
          { header: 'id', value: (r) => r.id as number, right: true },
          { header: 'opened', value: (r) => formatLocal(r.opened_at as string, ctx.tz) },
          { header: 'reply by', value: (r) => formatLocal(r.reply_by as string, ctx.tz) },
          { header: 'description', value: (r) => r.description as string },
        ]));
        out(`\ncallbacks (latest ${p.callbacks.length})\n`);
        if (p.callbacks.length) out(table(p.callbacks, [
          { header: 'order', value: (r) => r.number as string },
          { header: 'at', value: (r) => formatLocal(r.attempted_at as string, ctx.tz) },
          { header: 'result', value: (r) => r.result as string },
          { header: 'scores', value: (r) => (r.q1 ? [r.q1, r.q2, r.q3, r.q4, r.q5].join(',') : '') },
          { header: 'comment', value: (r) => r.comment as string },
        ]));
      }),
    );

  customerFlags(customer.command('edit').description('change a customer (only the flags given)').argument('<id|phone>'))
    .option('--no-do-not-contact', 'allow calls and reminders again')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, ref) => {
        const { editCustomer } = await import('../../app/customers.js');
        const c = await editCustomer(ctx, ref, inputOf(opts));
        if (opts.json) return out(json(c));
        out(`updated customer ${c.id} ${c.name} ${c.phone}\n`);
      }),
    );
}
