/**
 * Corrections of repair orders (SPEC §10, §16): edit or remove a line, edit the header, reopen a
 * delivered order, refund. Each is one transaction with a timeline event and an audit row holding the
 * before and after; nothing is deleted. A change to the money of an order delivered before is
 * recorded as a revenue adjustment of the period it is made in (refreshAndAdjust).
 */
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import { cleanText } from '../domain/identity.js';
import { formatYuan, parseYuan } from '../domain/money.js';
import { formatLocal, parseLocalDateTime, toIso } from '../domain/time.js';
import { parseCallWindow, parseCategory, parsePayMethod, transition, type OrderStatus } from '../domain/order.js';
import { checkRefund, editedLine, type LineEdit } from '../domain/corrections.js';
import { insertEvent, insertPayment, linesOf, orderById, updateOrder, type DbLine, type DbOrder } from '../db/orders.js';
import { removeLine, updateLine } from '../db/corrections.js';
import { findOrder, refreshAndAdjust } from './orders.js';
import { findStaff } from './staff.js';

function eventAt(ctx: Ctx, order: DbOrder, at: string | undefined): string {
  if (at === undefined || at === '') return toIso(ctx.now);
  const t = parseLocalDateTime('at', at, ctx.tz);
  if (t.getTime() > ctx.now.getTime()) throw invalid('at', at, `must not be after now (${formatLocal(ctx.now, ctx.tz)})`);
  const iso = toIso(t);
  if (iso < order.opened_at) throw invalid('at', at, `must not be before the order was opened (${formatLocal(order.opened_at, ctx.tz)})`);
  return iso;
}

function parseLineNo(text: string): number {
  const s = String(text ?? '').normalize('NFKC').trim().replace(/^#/, '');
  if (!/^\d{1,4}$/.test(s) || +s < 1) throw invalid('line', text, 'expected a line number like 2 (order show prints them)');
  return +s;
}

async function lineOf(ctx: Ctx, order: DbOrder, lineText: string): Promise<DbLine> {
  const n = parseLineNo(lineText);
  const line = (await linesOf(ctx.db, order.id)).find((l) => l.line_no === n);
  if (!line) throw notFound(`line of order ${order.number}`, n);
  if (line.removed_at) throw conflict(`line ${n} of order ${order.number} was removed on ${formatLocal(line.removed_at, ctx.tz)}`);
  if (line.status === 'declined') throw conflict(`line ${n} of order ${order.number} is declined (an open finding of the vehicle); add a new line instead`);
  return line;
}

const lineView = (l: Pick<DbLine, 'description' | 'qty_milli' | 'hours_centi' | 'unit_price_cents' | 'amount_cents' | 'status'>) => ({
  description: l.description, qty_milli: l.qty_milli, hours_centi: l.hours_centi, unit_price_cents: l.unit_price_cents, amount_cents: l.amount_cents, status: l.status,
});

/** Change a line before delivery; an approved line whose amount changes becomes proposed again (the customer approves the new amount). */
export async function editOrderLine(ctx: Ctx, numberText: string, lineText: string, input: LineEdit & { at?: string }) {
  const { at: atText, ...edit } = input;
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    transition(order.number, order.status as OrderStatus, 'edit');
    const at = eventAt(ctx, order, atText);
    const line = await lineOf(ctx, order, lineText);
    const next = editedLine(line, edit);
    // the customer approves a new amount; a corrected description alone needs no new approval
    const reproposed = line.status === 'approved' && next.amount_cents !== line.amount_cents;
    const status = reproposed ? 'proposed' : line.status;
    await updateLine(db, line.id, { ...next, status, approved_at: reproposed ? null : line.approved_at });
    const after = await refreshAndAdjust(ctx, order, 'line_edit', at);
    const before = lineView(line);
    const now = lineView({ ...next, status });
    await insertEvent(db, { order_id: order.id, at, event: 'line_edited', details: { line: line.line_no, before_amount_cents: line.amount_cents, amount_cents: next.amount_cents, ...(reproposed ? { proposed_again: true } : {}) } });
    await audit(ctx, 'edit_line', 'order', order.number, { line: line.line_no, before, after: now });
    return { order: after, line: { ...line, ...next, status, approved_at: reproposed ? null : line.approved_at }, before, reproposed };
  });
}

/** Take a line off the order before delivery: it stays visible as removed, out of every total. */
export async function removeOrderLine(ctx: Ctx, numberText: string, lineText: string, input: { reason?: string; at?: string } = {}) {
  const reason = cleanText('reason', input.reason, 500);
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    transition(order.number, order.status as OrderStatus, 'edit');
    const at = eventAt(ctx, order, input.at);
    const line = await lineOf(ctx, order, lineText);
    await removeLine(db, line.id, at);
    const after = await refreshAndAdjust(ctx, order, 'line_remove', at);
    await insertEvent(db, { order_id: order.id, at, event: 'line_removed', details: { line: line.line_no, description: line.description, amount_cents: line.amount_cents, was: line.status, ...(reason ? { reason } : {}) } });
    await audit(ctx, 'remove_line', 'order', order.number, { line: line.line_no, before: lineView(line), ...(reason ? { reason } : {}) });
    return { order: after, line: line.line_no };
  });
}

export interface OrderEdit {
  promised?: string;
  advisor?: string;
  complaint?: string;
  category?: string;
  keyTag?: string;
  callWindow?: string;
  at?: string;
}

/** Correct the order's header. Category and advisor (they place the order in the revenue breakdowns) only before delivery. */
export async function editOrder(ctx: Ctx, numberText: string, input: OrderEdit) {
  const given = (['promised', 'advisor', 'complaint', 'category', 'keyTag', 'callWindow'] as const).filter((k) => input[k] !== undefined);
  if (!given.length) throw usage('nothing to change: give --promised, --advisor, --complaint, --category, --key-tag or --call-window');
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    if (order.status === 'cancelled') throw conflict(`cannot change order ${order.number}: it is cancelled`);
    if (order.status === 'delivered' && (input.category !== undefined || input.advisor !== undefined)) {
      throw conflict(`cannot change the ${input.category !== undefined ? 'category' : 'advisor'} of order ${order.number}: it is delivered (reopen it first)`);
    }
    const at = eventAt(ctx, order, input.at);
    const changes: Partial<DbOrder> = {};
    if (input.promised !== undefined) {
      if (input.promised === '') changes.promised_at = null;
      else {
        const p = toIso(parseLocalDateTime('promised', input.promised, ctx.tz));
        if (p < order.opened_at) throw invalid('promised', input.promised, `must not be before the check-in (${formatLocal(order.opened_at, ctx.tz)})`);
        changes.promised_at = p;
      }
    }
    if (input.advisor !== undefined) changes.advisor_id = input.advisor === '' ? null : (await findStaff(ctx, 'advisor', input.advisor, 'advisor')).id;
    if (input.complaint !== undefined) changes.complaint = cleanText('complaint', input.complaint, 2000);
    if (input.category !== undefined) changes.category = parseCategory(input.category);
    if (input.keyTag !== undefined) changes.key_tag = cleanText('key-tag', input.keyTag, 50);
    if (input.callWindow !== undefined) changes.call_window = input.callWindow === '' ? null : parseCallWindow(input.callWindow);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(changes)) {
      const old = order[k as keyof DbOrder];
      if (old === v) continue;
      before[k] = old;
      after[k] = v;
    }
    await updateOrder(db, order.id, changes);
    if (Object.keys(after).length) {
      await insertEvent(db, { order_id: order.id, at, event: 'edited', details: { ...after } });
      await audit(ctx, 'edit', 'order', order.number, { before, after });
    }
    return { order: (await orderById(db, order.id))!, before, after };
  });
}

/**
 * A delivered order goes back to work (a comeback or a billing mistake): payments stay, it counts as
 * rework, it needs a QC pass again, and its earlier callbacks no longer count (SPEC §16).
 */
export async function reopenOrder(ctx: Ctx, numberText: string, input: { reason?: string; at?: string }) {
  const reason = cleanText('reason', input.reason, 500);
  if (!reason) throw usage('missing required --reason');
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    const next = transition(order.number, order.status as OrderStatus, 'reopen');
    const at = eventAt(ctx, order, input.at);
    if (order.delivered_at && at < order.delivered_at) throw invalid('at', input.at, `must not be before the delivery (${formatLocal(order.delivered_at, ctx.tz)})`);
    await updateOrder(db, order.id, {
      status: next, reopened_at: at, delivered_at: null, ready_at: null, qc_failures: order.qc_failures + 1,
      ...(order.first_delivered_at ? {} : { first_delivered_at: order.delivered_at }),
    });
    await insertEvent(db, { order_id: order.id, at, event: 'reopened', details: { reason, delivered_at: order.delivered_at } });
    await audit(ctx, 'reopen', 'order', order.number, { reason, before: { status: order.status, delivered_at: order.delivered_at }, after: { status: next } });
    return (await orderById(db, order.id))!;
  });
}

/**
 * Give money back: a negative payment. Only what was overpaid, unless `goodwill` with a manager, which
 * first records the manager's discount of the same amount (so the order is never left owing).
 */
export async function refundOrder(ctx: Ctx, numberText: string, input: { amount?: string; method?: string; reason?: string; goodwill?: boolean; by?: string; at?: string }) {
  if (input.amount === undefined) throw usage('missing required --amount');
  if (input.method === undefined) throw usage('missing required --method');
  const reason = cleanText('reason', input.reason, 500);
  if (!reason) throw usage('missing required --reason');
  if (input.goodwill && !input.by) throw usage('missing required --by (the manager granting the goodwill refund)');
  if (!input.goodwill && input.by) throw usage('--by goes with --goodwill');
  const cents = parseYuan('amount', input.amount, { allowZero: false });
  const method = parsePayMethod(input.method);
  return ctx.db.transaction(async (db) => {
    let order = await findOrder(ctx, numberText);
    if (order.status === 'cancelled') throw conflict(`cannot refund order ${order.number}: it is cancelled`);
    const at = eventAt(ctx, order, input.at);
    checkRefund(order.number, cents, order.total_cents, order.paid_cents, !!input.goodwill);
    let manager = null;
    if (input.goodwill) {
      manager = await findStaff(ctx, 'by', input.by!, 'manager');
      if (cents > order.total_cents) {
        throw conflict(`goodwill refund ${formatYuan(cents)} on order ${order.number} is more than its total ${formatYuan(order.total_cents)}: at most ${formatYuan(Math.min(order.total_cents, order.paid_cents))}`);
      }
      const discount = order.discount_cents + cents;
      await updateOrder(db, order.id, { discount_cents: discount, discount_by_id: manager.id });
      order = await refreshAndAdjust(ctx, order, 'goodwill', at);
      await insertEvent(db, { order_id: order.id, at, event: 'discount', staff_id: manager.id, details: { amount_cents: discount, previous_cents: discount - cents, goodwill: true } });
    }
    await insertPayment(db, { order_id: order.id, amount_cents: -cents, method, paid_at: at, reason });
    const after = await refreshAndAdjust(ctx, order, 'refund', at);
    await insertEvent(db, { order_id: order.id, at, event: 'refund', staff_id: manager?.id ?? null, details: { amount_cents: cents, method, reason, ...(manager ? { goodwill: true, by: manager.name } : {}) } });
    await audit(ctx, 'refund', 'order', order.number, {
      amount_cents: cents, method, reason, ...(manager ? { goodwill: true, by: manager.name } : {}),
      before: { total_cents: order.total_cents + (input.goodwill ? cents : 0), paid_cents: order.paid_cents }, after: { total_cents: after.total_cents, paid_cents: after.paid_cents },
    });
    return after;
  });
}
