/**
 * Follow-up use-cases (SPEC §5.3): record a callback on a delivered order (the five-question form of
 * seeds/004), and complaints with their reply-by time. One transaction each, audited.
 */
import { eventSource, type Ctx } from './context.js';
import { flagWrongPhone } from '../db/contacts.js';
import { audit } from './audit.js';
import { invalid, notFound, usage, conflict } from '../errors.js';
import { cleanText } from '../domain/identity.js';
import { formatLocal, parseLocalDateTime, toIso } from '../domain/time.js';
import {
  checkCallable, checkCallbackForm, complaintReplyBy, parseReason, parseResult, parseScores, type Reason,
} from '../domain/followup.js';
import {
  callbackRow, callbacksOfOrder, completedCallback, complaintById, complaintRow, complaintRows, insertCallback, insertComplaint, orderForCallback,
  resolveComplaintRow, type CallbackOrder, type CallbackRow, type ComplaintRow,
} from '../db/followup.js';
import { findStaff } from './staff.js';
import { findCustomer } from './customers.js';

/** The flags of `callback record`, as typed. */
export interface CallbackInput {
  result?: string;
  scores?: string;
  reason?: string;
  comment?: string;
  suggestion?: string;
  agent?: string;
  complaint?: string;
  at?: string;
}

export interface RecordedCallback {
  callback: CallbackRow;
  complaint: ComplaintRow | null;
  /** rules of the seeds worth a word to the agent, not a refusal */
  warnings: string[];
}

function orderNumber(text: string): string {
  const s = String(text ?? '').normalize('NFKC').trim().toUpperCase();
  if (!/^RO-\d{8}-\d{4,}$/.test(s)) throw invalid('order', text, 'expected an order number RO-YYYYMMDD-NNNN');
  return s;
}

/** An event time: `--at` (shop-local, not in the future) or now. */
function eventTime(ctx: Ctx, at: string | undefined): Date {
  if (at === undefined || at === '') return ctx.now;
  const t = parseLocalDateTime('at', at, ctx.tz);
  if (t.getTime() > ctx.now.getTime()) throw invalid('at', at, `must not be after now (${formatLocal(ctx.now, ctx.tz)})`);
  return t;
}

/** The order a callback is about, with its customer and vehicle (exit 3 when unknown). */
export async function callbackOrder(ctx: Ctx, numberText: string): Promise<CallbackOrder> {
  const number = orderNumber(numberText);
  const o = await orderForCallback(ctx.db, number);
  if (!o) throw notFound('order', number);
  return o;
}

export async function orderCallbacks(ctx: Ctx, numberText: string): Promise<{ order: CallbackOrder; callbacks: CallbackRow[] }> {
  const order = await callbackOrder(ctx, numberText);
  return { order, callbacks: await callbacksOfOrder(ctx.db, order.id) };
}

async function openComplaint(
  ctx: Ctx,
  input: { customerId: number; orderId: number | null; category: Reason | null; description: string; openedAt: Date },
): Promise<ComplaintRow> {
  const replyBy = complaintReplyBy(input.openedAt, ctx.settings.get('shop.close'), ctx.tz);
  const id = await insertComplaint(ctx.db, {
    customer_id: input.customerId,
    order_id: input.orderId,
    category: input.category,
    description: input.description,
    status: 'open',
    opened_at: toIso(input.openedAt),
    reply_by: toIso(replyBy),
  });
  await audit(ctx, 'add', 'complaint', id, { customer_id: input.customerId, order_id: input.orderId, reply_by: toIso(replyBy) });
  return (await complaintRow(ctx.db, id))!;
}

/** Record one callback attempt on a delivered order; `complaint` also opens a complaint on it. */
export async function recordCallback(ctx: Ctx, numberText: string, input: CallbackInput): Promise<RecordedCallback> {
  if (!input.result) throw usage('missing required --result');
  const number = orderNumber(numberText);
  const result = parseResult(input.result);
  const scores = input.scores !== undefined && input.scores !== '' ? parseScores(input.scores) : null;
  const reason = input.reason !== undefined && input.reason !== '' ? parseReason(input.reason) : null;
  checkCallbackForm(result, scores, reason);
  const comment = cleanText('comment', input.comment, 2000);
  const suggestion = cleanText('suggestion', input.suggestion, 2000);
  const complaint = cleanText('complaint', input.complaint, 2000);
  const at = eventTime(ctx, input.at);

  return ctx.db.transaction(async (db) => {
    const order = await orderForCallback(db, number);
    if (!order) throw notFound('order', number);
    checkCallable(order.number, order.status);
    // seeds/004 4.1.2: one form per customer visit, never repeated
    const done = await completedCallback(db, order.id);
    // a reopened order's callbacks before its latest delivery do not count (SPEC §16)
    if (done && !(order.delivered_at && done.attempted_at < order.delivered_at)) {
      throw conflict(`order ${order.number} already has a completed callback (${done.id}, ${done.result} at ${formatLocal(done.attempted_at, ctx.tz)}); use complaint add for anything new`);
    }
    if (order.delivered_at && toIso(at) < order.delivered_at) {
      const { field, value } = eventSource(ctx, input.at);
      throw invalid(field, value, `must not be before the delivery of ${order.number} (${formatLocal(order.delivered_at, ctx.tz)})`);
    }
    // A reached call without the form's answers would complete the follow-up with none (SPEC §9).
    if (result === 'reached' && !scores) {
      throw usage('missing required --scores for --result reached: the five answers of the callback form, 1–5 each, like --scores 5,5,4,5,5');
    }
    const warnings: string[] = [];
    const agent = input.agent ? await findStaff(ctx, 'agent', input.agent, 'agent') : null;
    if (agent && agent.id === order.advisor_id) {
      warnings.push(`${agent.name} received this customer as the order's advisor; the callback should be made by someone other than the customer's advisor, so the customer speaks freely`);
    }
    const id = await insertCallback(db, {
      order_id: order.id,
      agent_id: agent?.id ?? null,
      attempted_at: toIso(at),
      result,
      q1: scores?.[0] ?? null,
      q2: scores?.[1] ?? null,
      q3: scores?.[2] ?? null,
      q4: scores?.[3] ?? null,
      q5: scores?.[4] ?? null,
      reason,
      comment,
      suggestion,
    });
    await audit(ctx, 'record', 'callback', id, { order: order.number, result, ...(scores ? { scores } : {}), ...(reason ? { reason } : {}) });
    // SPEC §16: a wrong number found on a callback flags the phone as a list call does
    if (result === 'wrong_number') await flagWrongPhone(db, order.customer_id, toIso(at));
    const opened = complaint
      ? await openComplaint(ctx, { customerId: order.customer_id, orderId: order.id, category: reason, description: complaint, openedAt: at })
      : null;
    return { callback: (await callbackRow(db, id))!, complaint: opened, warnings };
  });
}

/** The flags of `complaint add`, as typed. */
export interface ComplaintInput {
  customer?: string;
  order?: string;
  description?: string;
  category?: string;
  at?: string;
}

export async function addComplaint(ctx: Ctx, input: ComplaintInput): Promise<ComplaintRow> {
  if (!input.customer) throw usage('missing required --customer');
  const description = cleanText('description', input.description, 2000);
  if (!description) throw usage('missing required --description');
  const category = input.category !== undefined && input.category !== '' ? parseReason(input.category, 'category') : null;
  const number = input.order ? orderNumber(input.order) : null;
  const at = eventTime(ctx, input.at);
  return ctx.db.transaction(async (db) => {
    const customer = await findCustomer(ctx, input.customer!);
    let orderId: number | null = null;
    if (number) {
      const order = await orderForCallback(db, number);
      if (!order) throw notFound('order', number);
      if (order.customer_id !== customer.id) throw conflict(`order ${number} belongs to customer ${order.customer_id} (${order.customer_name}), not ${customer.id} (${customer.name})`);
      orderId = order.id;
    }
    return openComplaint(ctx, { customerId: customer.id, orderId, category, description, openedAt: at });
  });
}

export function listComplaints(ctx: Ctx, filter: { open?: boolean }): Promise<ComplaintRow[]> {
  return complaintRows(ctx.db, { open: filter.open });
}

export function parseComplaintId(text: string | number): number {
  const s = String(text ?? '').normalize('NFKC').trim().replace(/^#/, '');
  if (!/^\d{1,9}$/.test(s) || +s < 1) throw invalid('complaint id', text, 'expected a complaint number like 3');
  return +s;
}

export async function resolveComplaint(ctx: Ctx, idText: string | number, input: { resolution?: string; at?: string }): Promise<ComplaintRow> {
  const id = parseComplaintId(idText);
  const resolution = cleanText('resolution', input.resolution, 2000);
  if (!resolution) throw usage('missing required --resolution');
  const at = eventTime(ctx, input.at);
  return ctx.db.transaction(async (db) => {
    const c = await complaintById(db, id);
    if (!c) throw notFound('complaint', id);
    if (c.status !== 'open') throw conflict(`complaint ${id} is ${c.status}: only an open complaint can be resolved`);
    if (toIso(at) < c.opened_at) {
      const { field, value } = eventSource(ctx, input.at);
      throw invalid(field, value, `must not be before the complaint was opened (${formatLocal(c.opened_at, ctx.tz)})`);
    }
    await resolveComplaintRow(db, id, toIso(at), resolution);
    await audit(ctx, 'resolve', 'complaint', id, { late: toIso(at) > c.reply_by });
    return (await complaintRow(db, id))!;
  });
}
