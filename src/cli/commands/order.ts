import type { Command } from 'commander';
import { renderReadings } from '../inspection-format.js';
import { canPrompt, note, out, printCreated, withCtx, type GlobalOptions, json as jsonOut } from '../kit.js';
import { positiveInt } from '../options.js';
import { formatYuan } from '../../domain/money.js';
import { registerOrderCorrections } from './order-corrections.js';
import type { Ctx } from '../../app/context.js';
import type { OpenOrderInput, OpenedOrder, LineInput, OrderPicture } from '../../app/orders.js';

/**
 * The check-in flags of `order open`, except --plate and --booking; `booking arrive` reuses them.
 * Adds: --mileage --category --complaint --fuel --belongings --damage --key-tag --advisor --promised
 * --call-window --at --force --json -q/--quiet.
 */
export function addOrderOpenOptions(cmd: Command): Command {
  return cmd
    .option('--mileage <km>', 'odometer at check-in')
    .option('--category <category>', 'maintenance, repair, accident, warranty, inspection or other (default repair)')
    .option('--complaint <text>', 'what the customer reports (default: the booking\'s)')
    .option('--fuel <level>', 'fuel gauge at check-in: E, 1/4, 1/2, 3/4 or F')
    .option('--belongings <text>', 'valuables left in the car')
    .option('--damage <text>', 'existing dents and scratches noted at the walk-round')
    .option('--key-tag <tag>', 'the key tag number')
    .option('--advisor <name>', 'the service advisor (default: the booking\'s)')
    .option('--promised <time>', 'promised delivery "YYYY-MM-DD HH:mm"')
    .option('--call-window <window>', 'when the customer may be called, "HH:mm-HH:mm"')
    .option('--at <time>', 'check-in time "YYYY-MM-DD HH:mm" (default now)')
    .option('--force', 'accept an odometer reading that looks wrong (audited)')
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the order number');
}

/** Commander options (of `order open` or `booking arrive`) → the input of openOrder. */
export function openInputOf(opts: Record<string, unknown>): OpenOrderInput {
  const pick = (k: string) => (opts[k] === undefined || opts[k] === null ? undefined : String(opts[k]));
  return {
    plate: pick('plate'), mileage: pick('mileage'), bookingId: pick('booking'), category: pick('category'), complaint: pick('complaint'),
    fuel: pick('fuel'), belongings: pick('belongings'), damage: pick('damage'), keyTag: pick('keyTag'), advisor: pick('advisor'),
    promised: pick('promised'), callWindow: pick('callWindow'), at: pick('at'), force: !!opts.force,
  };
}

/** Print a new order as `order open` does: number on stdout; repeat-repair warning and open findings on stderr. */
export function printOpenedOrder(ctx: Ctx, opts: GlobalOptions, r: OpenedOrder): void {
  if (r.repeat_of) {
    note(`warning: repeat repair — ${r.plate} was delivered from ${r.repeat_of.number} ${r.repeat_of.days} day(s) ago (repeat.days ${ctx.settings.get('repeat.days')})`);
  }
  if (r.forced) note(`note: accepted with --force: ${r.forced}`);
  for (const w of r.warnings ?? []) note(`warning: ${w}`);
  if (r.booking_id !== null && !opts.quiet && !opts.json) note(`booking ${r.booking_id} checked in (arrived)`);
  if (r.open_findings.length) {
    note(`open findings of ${r.plate} (found earlier, not fixed) — fix with --resolves on a line:`);
    for (const f of r.open_findings) note(`  ${f.label}  ${f.description}  (${f.order_number})`);
  }
  if (r.deposit_cents > 0 && !opts.quiet && !opts.json) note(`deposit ${formatYuan(r.deposit_cents)} booked as a payment`);
  printCreated(opts, r.order.number, r, `opened ${r.order.number} for ${r.plate} at ${r.order.mileage_in} km`);
}

/** At a terminal, ask for the plate (offering to register a new car), the mileage and the complaint. */
async function openInteractively(ctx: Ctx, input: OpenOrderInput): Promise<OpenedOrder> {
  const { askText, askConfirm, askChoice, checkWith } = await import('../prompt.js');
  const { normalizePlate, parseKm, normalizePhone, cleanName } = await import('../../domain/identity.js');
  const { vehicleByPlate } = await import('../../db/vehicles.js');
  const { customerByPhone } = await import('../../db/customers.js');
  const orders = await import('../../app/orders.js');
  const filled = { ...input };
  let owner: Parameters<typeof orders.openOrderForNewVehicle>[1] | null = null;
  if (!filled.plate && !filled.bookingId) {
    for (;;) {
      const plate = normalizePlate(await askText({ message: 'Plate 车牌', required: true, check: checkWith(normalizePlate) }));
      filled.plate = plate;
      if (await vehicleByPlate(ctx.db, plate)) break;
      // an unknown plate is said right away: register it, or give the plate again
      if (!(await askConfirm(`${plate} is not in the archive. Register the customer and vehicle now?`, true))) {
        note(`${plate} is not in the archive; give the plate again (Ctrl-C to stop)`);
        continue;
      }
      const phone = normalizePhone(await askText({ message: 'Owner phone 手机', required: true, check: checkWith((v) => normalizePhone(v, 'fleet')) }), 'fleet');
      const known = await customerByPhone(ctx.db, phone);
      if (known) {
        note(`owner: customer ${known.id} ${known.name}`);
        owner = { existing: String(known.id) };
      } else {
        const name = await askText({ message: 'Owner name 姓名', required: true, check: checkWith((v) => cleanName('name', v)) });
        const kind = await askChoice('Kind 类型', [{ value: 'private', name: 'private 私人' }, { value: 'fleet', name: 'fleet 单位/车队' }], 'private');
        owner = { create: { name, phone, kind } };
      }
      break;
    }
  }
  if (!filled.mileage) {
    // below the last reading (or an unlikely jump) is said right after the answer, and asked again
    const { checkInVehicleId, mileageProblem } = await import('../../app/answers.js');
    const vehicleId = owner ? null : await checkInVehicleId(ctx, { plate: filled.plate, bookingId: filled.bookingId });
    const force = !!filled.force || filled.at !== undefined; // a back-dated reading is checked at commit
    filled.mileage = await askText({ message: 'Mileage 里程 (km)', required: true, check: (v) => mileageProblem(ctx, vehicleId, v, force) });
  }
  if (filled.complaint === undefined && !filled.bookingId) filled.complaint = await askText({ message: 'Complaint 客户描述 (optional)' });
  if (owner) {
    const make = await askText({ message: 'Make 品牌 (optional)' });
    const model = await askText({ message: 'Model 车型 (optional)' });
    return orders.openOrderForNewVehicle(ctx, owner, { plate: filled.plate, make: make || undefined, model: model || undefined }, filled);
  }
  return orders.openOrder(ctx, filled);
}

/** Integer cents as yuan text (formatYuan: no floating point). */
const money = (cents: number | null | undefined) => formatYuan(cents ?? 0);

function lineCommand(order: Command, kind: 'labor' | 'part' | 'fee', description: string): Command {
  const cmd = order.command(kind).description(description).argument('<order>', 'order number RO-YYYYMMDD-NNNN').argument('<description>', 'what is done or supplied');
  if (kind === 'labor') cmd.option('--hours <h>', 'hours, at most 2 decimals').option('--rate <yuan>', 'hourly rate (default labor.rate)');
  if (kind === 'part') {
    cmd.option('--qty <q>', 'quantity, at most 3 decimals').option('--price <yuan>', 'unit price')
      .option('--part-no <no>', 'part number').option('--grade <grade>', 'oem, aftermarket or used (default oem)')
      .option('--customer-supplied', 'the customer brought the part: no price, no warranty');
  }
  if (kind === 'fee') cmd.option('--price <yuan>', 'the fee');
  return cmd
    .option('--resolves <findings>', 'finding ids this line fixes, e.g. F3,F4 (resolved when the order is delivered)')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm" (default now)')
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the line number')
    .action(
      withCtx<[string, string]>(async (ctx, opts, number, text) => {
        const { addLine } = await import('../../app/orders.js');
        const input: LineInput = {
          description: text, hours: opts.hours as string | undefined, rate: opts.rate as string | undefined, qty: opts.qty as string | undefined,
          price: opts.price as string | undefined, partNo: opts.partNo as string | undefined, grade: opts.grade as string | undefined,
          customerSupplied: !!opts.customerSupplied, resolves: opts.resolves as string | undefined, at: opts.at as string | undefined,
        };
        const r = await addLine(ctx, number, kind, input);
        const l = r.line;
        const flags = [l.additional ? 'additional work' : '', l.customer_supplied ? 'customer-supplied, no warranty' : '', r.resolves.length ? `resolves ${r.resolves.join(',')}` : ''].filter(Boolean);
        printCreated(opts, l.line_no, r, `${r.order.number} line ${l.line_no}: ${l.kind} ${l.description} ${money(l.amount_cents)} (proposed${flags.length ? '; ' + flags.join('; ') : ''})`);
      }),
    );
}

function renderShow(ctx: Ctx, p: OrderPicture, formatLocal: (i: string, z: string) => string, table: typeof import('../format.js').table, fields: typeof import('../format.js').fields): string {
  const o = p.order;
  const when = (v: unknown) => (v ? formatLocal(String(v), ctx.tz) : '');
  const parts: string[] = [];
  parts.push(fields([
    ['order', o.number],
    ['status', `${o.status}${o.qc_failures ? ` (QC failed ${o.qc_failures}×, rework)` : ''}`],
    ['vehicle', [o.plate, o.make, o.model, o.color].filter(Boolean).join(' ')],
    ['customer', `${o.customer_id} ${o.customer_name} ${o.phone}`],
    ['category', o.category],
    ['opened', `${when(o.opened_at)} at ${o.mileage_in} km`],
    ['repeat of', o.repeat_of ? `${o.repeat_of} (delivered ${when(o.repeat_of_delivered_at)}) — repeat repair` : ''],
    ['complaint', o.complaint],
    ['fuel', o.fuel],
    ['belongings', o.belongings],
    ['damage', o.damage],
    ['key tag', o.key_tag],
    ['advisor', o.advisor as string],
    ['technician', o.technician as string],
    ['inspector', o.inspector ? `${o.inspector}${o.road_test ? ' (road test)' : ''}` : ''],
    ['promised', when(o.promised_at)],
    ['call window', o.call_window],
    ['approved', when(o.approved_at)],
    ['started', when(o.started_at)],
    ['ready', when(o.ready_at)],
    ['delivered', when(o.delivered_at)],
    ['cancelled', o.cancelled_at ? `${when(o.cancelled_at)}${o.cancel_reason ? ` — ${o.cancel_reason}` : ''}` : ''],
  ]));
  if (p.findings_at_open.length) {
    parts.push(`\nopen findings at check-in (${p.findings_at_open.length})\n`);
    parts.push(table(p.findings_at_open, [
      { header: 'id', value: (f) => f.label },
      { header: 'found on', value: (f) => f.order_number },
      { header: 'description', value: (f) => f.description },
      { header: 'now', value: (f) => (f.status === 'resolved' ? `resolved by ${f.resolved_by}` : p.resolves.some((r) => r.id === f.id) ? 'to be fixed on this order' : 'open') },
    ]));
  }
  parts.push(renderReadings('inspection', p.inspection, ctx.tz, false));
  parts.push(`\nlines (${p.lines.length})\n`);
  if (p.lines.length) {
    parts.push(table(p.lines, [
      { header: '#', value: (l) => l.line_no, right: true },
      { header: 'kind', value: (l) => l.kind },
      { header: 'description', value: (l) => l.description + (l.part_no ? ` [${l.part_no}]` : '') },
      { header: 'qty/h', value: (l) => (l.kind === 'labor' ? `${(l.hours_centi! / 100).toString()} h` : l.kind === 'part' ? (l.qty_milli! / 1000).toString() : ''), right: true },
      { header: 'price', value: (l) => (l.customer_supplied ? '' : money(l.unit_price_cents)), right: true },
      { header: 'amount', value: (l) => money(l.amount_cents), right: true },
      { header: 'status', value: (l) => (l.removed_at ? 'removed' : l.status) + (l.additional ? ' (additional)' : '') },
      { header: 'note', value: (l) => [l.kind === 'part' ? (l.customer_supplied ? 'customer-supplied, no warranty' : l.grade) : '', l.no_quality_guarantee ? 'NO QUALITY GUARANTEE 不保证质量' : '', l.decline_reason ?? ''].filter(Boolean).join('; ') },
    ]));
  }
  const t = p.totals;
  const s = p.settlement;
  parts.push('\n' + fields([
    ['labour', money(t.labor_cents)],
    ['parts', money(t.parts_cents)],
    ['fees', money(t.fees_cents)],
    ['discount', o.discount_cents ? `-${money(o.discount_cents)}${o.discount_by ? ` (by ${o.discount_by})` : ''}` : ''],
    ['total', money(t.total_cents)],
    ['not yet approved', t.proposed_cents ? money(t.proposed_cents) : ''],
    ['estimate (signed)', s.estimate_cents === null ? 'not approved yet' : money(s.estimate_cents)],
    ['settlement check', s.estimate_cents === null ? '' : s.exceeds
      ? `final ${money(s.final_cents)} exceeds the estimate by ${money(s.difference_cents)}`
      : `final ${money(s.final_cents)} within the estimate`],
    ['added after approval', s.extra_lines.length ? s.extra_lines.map((l) => `#${l.line_no} ${l.description} ${money(l.amount_cents)}`).join('; ') : ''],
    ['paid', money(t.paid_cents)],
    ['balance', t.balance_cents < 0 ? `${money(t.balance_cents)} (to refund)` : `${money(t.balance_cents)}${o.status === 'delivered' && t.balance_cents > 0 ? ' (arrears 欠款)' : ''}`],
  ]));
  if (p.payments.length) {
    parts.push(`\npayments (${p.payments.length})\n`);
    parts.push(table(p.payments, [
      { header: 'at', value: (x) => when(x.paid_at) },
      { header: 'method', value: (x) => x.method },
      { header: 'amount', value: (x) => money(x.amount_cents), right: true },
      { header: 'note', value: (x) => (x.amount_cents < 0 ? `refund${x.reason ? ` — ${x.reason}` : ''}` : '') },
    ]));
  }
  if (p.findings_recorded.length || p.resolves.length) {
    parts.push(`\nfindings of this visit\n`);
    parts.push(table([
      ...p.findings_recorded.map((f) => ({ id: f.label, what: f.description, how: f.line_no ? `declined line ${f.line_no}` : 'found, not fixed', state: f.status === 'resolved' ? `resolved by ${f.resolved_by}` : 'open' })),
      ...p.resolves.map((f) => ({ id: f.label, what: f.description, how: `fixed by line ${f.line_no} (${f.line_status})`, state: f.status })),
    ], [
      { header: 'id', value: (r) => r.id },
      { header: 'description', value: (r) => r.what },
      { header: 'how', value: (r) => r.how },
      { header: 'status', value: (r) => r.state },
    ]));
  }
  if (p.signatures.length) {
    parts.push(`\nsignatures (${p.signatures.length})\n`);
    parts.push(table(p.signatures, [
      { header: 'signed', value: (x) => when(x.signed_at) },
      { header: 'what', value: (x) => x.what },
      { header: 'by', value: (x) => x.role },
      { header: 'name', value: (x) => x.name },
    ]));
  }
  parts.push(`\ntimeline\n`);
  parts.push(table(p.timeline, [
    { header: 'at', value: (e) => when(e.at) },
    { header: 'event', value: (e) => e.event },
    { header: 'who', value: (e) => e.staff_name },
    { header: 'details', value: (e) => describeEvent(e.details_parsed) },
  ]));
  return parts.join('');
}

function describeEvent(d: Record<string, unknown> | null): string {
  if (!d) return '';
  return Object.entries(d)
    .map(([k, v]) => (k.endsWith('_cents') && typeof v === 'number' ? `${k.slice(0, -6)} ${money(v)}` : `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`))
    .join('; ');
}

export function registerOrder(program: Command): void {
  const order = program.command('order').description('repair orders (维修委托书): check-in, lines, approval, work, QC, delivery, payment');

  addOrderOpenOptions(
    order
      .command('open')
      .description('check a vehicle in: prints the new order number RO-YYYYMMDD-NNNN (asks for what is missing at a terminal)')
      .option('--plate <plate>', 'the vehicle (may be left out with --booking)')
      .option('--booking <id>', 'the booking the vehicle arrives for'),
  ).action(
    withCtx(async (ctx, opts) => {
      const { openOrder } = await import('../../app/orders.js');
      const input = openInputOf(opts);
      const missing = (!input.plate && !input.bookingId) || !input.mileage;
      const r = missing && canPrompt(opts) ? await openInteractively(ctx, input) : await openOrder(ctx, input);
      printOpenedOrder(ctx, opts, r);
    }),
  );

  registerOrderCorrections(order);

  lineCommand(order, 'labor', 'add a labour line: amount = hours × rate, half up to the cent');
  lineCommand(order, 'part', 'add a part line: amount = qty × price, half up to the cent');
  lineCommand(order, 'fee', 'add a fee line (e.g. disposal, towing)');

  order
    .command('approve')
    .description('the customer approves lines (all proposed ones without --lines); the first approval signs the estimate')
    .argument('<order>')
    .option('--lines <numbers>', 'line numbers, e.g. 1,2')
    .option('--by <name>', 'who approved (the customer, or who took the call)')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { approveOrder } = await import('../../app/orders.js');
        const r = await approveOrder(ctx, number, { lines: opts.lines as string | undefined, by: opts.by as string | undefined, at: opts.at as string | undefined });
        if (opts.json) return out(jsonOut(r));
        out(`${r.order.number}: approved line(s) ${r.lines.join(', ')}; ${r.first ? `estimate ${money(r.order.estimate_cents)} signed` : 'additional work approved'}; total ${money(r.order.total_cents)}; status ${r.order.status}\n`);
      }),
    );

  order
    .command('decline')
    .description('the customer declines proposed lines: kept on the order and remembered as open findings of the vehicle')
    .argument('<order>')
    .option('--lines <numbers>', 'line numbers, e.g. 3')
    .option('--reason <text>', 'why (price, time, …)')
    .option('--severity <severity>', 'safety or advised (default advised)')
    .option('--follow-up <date>', 'the day to call about it, YYYY-MM-DD (default: declined.follow_up_days after delivery or cancellation)')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { declineOrderLines } = await import('../../app/orders.js');
        const r = await declineOrderLines(ctx, number, {
          lines: opts.lines as string | undefined, reason: opts.reason as string | undefined, at: opts.at as string | undefined,
          severity: opts.severity as string | undefined, followUp: opts.followUp as string | undefined,
        });
        if (opts.json) return out(jsonOut(r));
        out(`${r.order.number}: declined line(s) ${r.lines.join(', ')}; open finding(s) ${r.findings.join(', ')}\n`);
      }),
    );

  order
    .command('finding')
    .description('record a problem found but not fixed: raised again at the vehicle\'s next visit')
    .argument('<order>')
    .argument('<description>')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .option('-q, --quiet', 'print only the finding id')
    .action(
      withCtx<[string, string]>(async (ctx, opts, number, text) => {
        const { addFinding } = await import('../../app/orders.js');
        const r = await addFinding(ctx, number, { description: text, at: opts.at as string | undefined });
        printCreated(opts, r.label, { id: r.id, label: r.label, order: r.order.number }, `${r.order.number}: finding ${r.label} recorded`);
      }),
    );

  order
    .command('start')
    .description('work starts: approved → in_progress')
    .argument('<order>')
    .option('--tech <name>', 'the technician')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { startWork } = await import('../../app/orders.js');
        const o = await startWork(ctx, number, { tech: opts.tech as string | undefined, at: opts.at as string | undefined });
        out(`${o.number}: in_progress\n`);
      }),
    );

  order
    .command('qc')
    .description('quality check: --pass makes the order ready; --fail sends it back to work (rework)')
    .argument('<order>')
    .option('--pass', 'passed')
    .option('--fail', 'failed: back to work')
    .option('--inspector <name>', 'the inspector')
    .option('--road-test', 'a road test was done')
    .option('--note <text>', 'what was found')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { qualityCheck } = await import('../../app/orders.js');
        const o = await qualityCheck(ctx, number, {
          pass: !!opts.pass, fail: !!opts.fail, inspector: opts.inspector as string | undefined, roadTest: !!opts.roadTest,
          note: opts.note as string | undefined, at: opts.at as string | undefined,
        });
        out(opts.pass ? `${o.number}: QC passed, ready for delivery\n` : `${o.number}: QC failed, back to work (rework ${o.qc_failures})\n`);
      }),
    );

  order
    .command('discount')
    .description('set the discount (replaces an earlier one); NAME must be a manager')
    .argument('<order>')
    .option('--amount <yuan>', 'the discount')
    .option('--by <name>', 'the manager granting it')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { discountOrder } = await import('../../app/orders.js');
        const o = await discountOrder(ctx, number, { amount: opts.amount as string | undefined, by: opts.by as string | undefined, at: opts.at as string | undefined });
        out(`${o.number}: discount ${money(o.discount_cents)}; total ${money(o.total_cents)}; balance ${money(o.total_cents - o.paid_cents)}\n`);
      }),
    );

  order
    .command('deliver')
    .description('hand the car back (needs a passed QC and no proposed lines); unpaid balance becomes arrears')
    .argument('<order>')
    .option('--paid <yuan>', 'paid now')
    .option('--method <method>', 'cash, card, wechat, alipay, transfer or warranty')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { deliverOrder } = await import('../../app/orders.js');
        const r = await deliverOrder(ctx, number, { paid: opts.paid as string | undefined, method: opts.method as string | undefined, at: opts.at as string | undefined });
        for (const w of r.warnings) process.stderr.write(`pitstop: warning: ${w}\n`);
        if (opts.json) return out(jsonOut(r));
        const o = r.order;
        const tail = r.balance_cents > 0 ? `; balance ${money(r.balance_cents)} owed (arrears 欠款)` : r.balance_cents < 0 ? `; ${money(-r.balance_cents)} to refund` : '; paid in full';
        out(`${o.number}: delivered; total ${money(o.total_cents)}, paid ${money(o.paid_cents)}${tail}\n`);
        const st = r.settlement;
        if (st.exceeds) {
          const extra = st.extra_lines.map((l) => `#${l.line_no} ${l.description} ${money(l.amount_cents)}`).join('; ');
          out(`settlement check: final ${money(st.final_cents)} exceeds the signed estimate ${money(st.estimate_cents)} by ${money(st.difference_cents)}${extra ? ` — added after approval: ${extra}` : ''}\n`);
        }
        if (r.resolved.length) out(`resolved findings: ${r.resolved.join(', ')}\n`);
      }),
    );

  order
    .command('sign')
    .description('record a signature on paper: who signed what, and when (SPEC §11); sign.required makes order start / deliver ask for them')
    .argument('<order>')
    .option('--as <role>', 'customer, advisor, technician or inspector')
    .option('--name <name>', "the signer's name")
    .option('--what <what>', 'estimate, additional, declined or delivery (default: estimate before work starts, delivery once QC has passed)')
    .option('--at <time>', 'when it was signed, "YYYY-MM-DD HH:mm" (back-fill)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExit status: 0 recorded; 2 a bad --as/--what/--at; 3 no such order; 4 a cancelled order, or --what needed (work in progress).')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { signOrder } = await import('../../app/signatures.js');
        const r = await signOrder(ctx, number, { as: opts.as as string | undefined, name: opts.name as string | undefined, what: opts.what as string | undefined, at: opts.at as string | undefined });
        if (opts.json) return out(jsonOut(r));
        const s = r.signature;
        const { formatLocal } = await import('../../domain/time.js');
        out(`${r.order_number}: ${s.what} signed by the ${s.role}${s.name ? ` ${s.name}` : ''} at ${formatLocal(s.signed_at, ctx.tz)}\n`);
      }),
    );

  order
    .command('pay')
    .description('take a payment (never more than the balance)')
    .argument('<order>')
    .option('--amount <yuan>', 'amount')
    .option('--method <method>', 'cash, card, wechat, alipay, transfer or warranty')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { payOrder } = await import('../../app/orders.js');
        const o = await payOrder(ctx, number, { amount: opts.amount as string | undefined, method: opts.method as string | undefined, at: opts.at as string | undefined });
        if (opts.json) return out(jsonOut(o));
        out(`${o.number}: paid ${money(o.paid_cents)} of ${money(o.total_cents)}; balance ${money(o.total_cents - o.paid_cents)}\n`);
      }),
    );

  order
    .command('cancel')
    .description('cancel an order that is not delivered')
    .argument('<order>')
    .option('--reason <text>', 'why')
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { cancelOrder } = await import('../../app/orders.js');
        const r = await cancelOrder(ctx, number, { reason: opts.reason as string | undefined, at: opts.at as string | undefined });
        out(`${r.order.number}: cancelled\n`);
      }),
    );

  order
    .command('show')
    .description('one order: lines, estimate vs final, payments, balance, findings, timeline')
    .argument('<order>')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { showOrder } = await import('../../app/orders.js');
        const { formatLocal } = await import('../../domain/time.js');
        const { table, fields } = await import('../format.js');
        const p = await showOrder(ctx, number);
        if (opts.json) return out(jsonOut(p));
        out(renderShow(ctx, p, formatLocal, table, fields));
      }),
    );

  order
    .command('list')
    .description('orders by open day, newest first')
    .option('--status <status>', 'open, approved, in_progress, ready, delivered or cancelled')
    .option('--from <date>', 'opened on or after this day YYYY-MM-DD')
    .option('--to <date>', 'opened on or before this day YYYY-MM-DD')
    .option('--plate <plate>', 'one vehicle')
    .option('--customer <customer>', 'one customer: id, phone, plate or exact name')
    .option('--unpaid', 'delivered with a balance above zero (arrears)')
    .option('--limit <n>', 'at most this many', positiveInt(1_000_000), 200)
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { findOrders } = await import('../../app/orders.js');
        const { formatLocal } = await import('../../domain/time.js');
        const { table, json } = await import('../format.js');
        const limit = opts.limit as number;
        const rows = await findOrders(ctx, {
          status: opts.status as string | undefined, from: opts.from as string | undefined, to: opts.to as string | undefined,
          plate: opts.plate as string | undefined, customer: opts.customer as string | undefined, unpaid: !!opts.unpaid, limit,
        });
        if (opts.json) return out(jsonOut(rows));
        out(table(rows, [
          { header: 'order', value: (r) => r.number },
          { header: 'opened', value: (r) => formatLocal(r.opened_at, ctx.tz) },
          { header: 'plate', value: (r) => r.plate },
          { header: 'customer', value: (r) => r.customer_name },
          { header: 'category', value: (r) => r.category },
          { header: 'status', value: (r) => r.status },
          { header: 'total', value: (r) => money(r.total_cents), right: true },
          { header: 'paid', value: (r) => money(r.paid_cents), right: true },
          { header: 'balance', value: (r) => money(r.balance_cents), right: true },
          { header: 'repeat of', value: (r) => r.repeat_of },
        ]));
      }),
    );
}
