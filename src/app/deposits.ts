/**
 * A booking's deposit after the booking (SPEC §10, §16 "Deposits"): refunded to the customer, or kept
 * as shop income when a no-show's special-order parts were bought. Until then a cancelled or no-show
 * booking's deposit is owed to the customer (the `credits` list). One transaction each, audited.
 */
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import { cleanText } from '../domain/identity.js';
import { formatYuan, parseYuan } from '../domain/money.js';
import { parsePayMethod } from '../domain/order.js';
import { formatLocal, parseLocalDateTime, toIso } from '../domain/time.js';
import { bookingById, type DbBooking } from '../db/bookings.js';
import { depositSettled, insertDepositMove } from '../db/corrections.js';
import { orderById } from '../db/orders.js';
import { parseBookingId } from './bookings.js';
import { findStaff } from './staff.js';

function when(ctx: Ctx, at: string | undefined): string {
  if (at === undefined || at === '') return toIso(ctx.now);
  const t = parseLocalDateTime('at', at, ctx.tz);
  if (t.getTime() > ctx.now.getTime()) throw invalid('at', at, `must not be after now (${formatLocal(ctx.now, ctx.tz)})`);
  return toIso(t);
}

async function depositLeft(ctx: Ctx, b: DbBooking): Promise<number> {
  if (b.status === 'arrived') {
    const o = b.order_id ? await orderById(ctx.db, b.order_id) : undefined;
    throw conflict(`booking ${b.id} is arrived: its deposit was carried to order ${o?.number ?? b.order_id}; refund there with order refund`);
  }
  return b.deposit_cents - (await depositSettled(ctx.db, b.id));
}

export async function refundDeposit(ctx: Ctx, idText: string, input: { amount?: string; method?: string; reason?: string; at?: string }) {
  const id = parseBookingId(idText);
  if (input.amount === undefined) throw usage('missing required --amount');
  if (input.method === undefined) throw usage('missing required --method');
  const reason = cleanText('reason', input.reason, 500);
  if (!reason) throw usage('missing required --reason');
  const cents = parseYuan('amount', input.amount, { allowZero: false });
  const method = parsePayMethod(input.method);
  const at = when(ctx, input.at);
  return ctx.db.transaction(async (db) => {
    const b = await bookingById(db, id);
    if (!b) throw notFound('booking', id);
    const left = await depositLeft(ctx, b);
    if (cents > left) throw conflict(`refund ${formatYuan(cents)} on booking ${id} is more than its deposit left: at most ${formatYuan(left)} (deposit ${formatYuan(b.deposit_cents)})`);
    await insertDepositMove(db, { booking_id: id, kind: 'refund', amount_cents: cents, method, reason, staff_id: null, at });
    await audit(ctx, 'refund_deposit', 'booking', id, { amount_cents: cents, method, reason, before_cents: left, after_cents: left - cents });
    return { booking: b, refunded_cents: cents, left_cents: left - cents };
  });
}

/** Keep a no-show's (or cancelled booking's) deposit for special-order parts as shop income; a manager decides. */
export async function forfeitDeposit(ctx: Ctx, idText: string, input: { by?: string; reason?: string; at?: string }) {
  const id = parseBookingId(idText);
  if (!input.by) throw usage('missing required --by (the manager)');
  const reason = cleanText('reason', input.reason, 500);
  if (!reason) throw usage('missing required --reason');
  const at = when(ctx, input.at);
  return ctx.db.transaction(async (db) => {
    const b = await bookingById(db, id);
    if (!b) throw notFound('booking', id);
    if (b.status !== 'no_show' && b.status !== 'cancelled') throw conflict(`booking ${id} is ${b.status}: only a no-show or cancelled booking's deposit can be forfeited`);
    const manager = await findStaff(ctx, 'by', input.by!, 'manager');
    const left = await depositLeft(ctx, b);
    if (left <= 0) throw conflict(`booking ${id} has no deposit left to forfeit (deposit ${formatYuan(b.deposit_cents)})`);
    await insertDepositMove(db, { booking_id: id, kind: 'forfeit', amount_cents: left, method: null, reason, staff_id: manager.id, at });
    await audit(ctx, 'forfeit_deposit', 'booking', id, { amount_cents: left, by: manager.name, reason });
    return { booking: b, forfeited_cents: left };
  });
}
