/**
 * `pitstop contact record` (SPEC §13, §16): the outcome of a call made from a list. What REF names
 * depends on the list; `later` needs the agreed time; `wrong_number` flags the customer's phone (the
 * calling lists skip it until the phone is changed). Recorded in the contact log and the audit log.
 */
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { findVehicle } from './vehicles.js';
import { parseBookingId } from './bookings.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import { cleanText, normalizePhone } from '../domain/identity.js';
import { formatLocal, parseLocalDateTime, toIso } from '../domain/time.js';
import { parseOrderNumber } from '../domain/order.js';
import { parseContactList, parseContactResult, REF_KIND, type ContactList } from '../domain/contacts.js';
import { bookingById } from '../db/bookings.js';
import { orderByNumber } from '../db/orders.js';
import { customerByAlias, customerByPhone } from '../db/customers.js';
import { flagWrongPhone, insertContact, type NewContact } from '../db/contacts.js';

export interface ContactInput {
  list?: string;
  ref?: string;
  result?: string;
  laterAt?: string;
  note?: string;
  agent?: string;
  at?: string;
}

type Subject = Pick<NewContact, 'subject' | 'customer_id' | 'vehicle_id' | 'booking_id' | 'order_id'>;

async function subjectOf(ctx: Ctx, list: ContactList, ref: string): Promise<Subject> {
  const kind = REF_KIND[list];
  if (kind === 'plate') {
    const v = await findVehicle(ctx, ref);
    return { subject: `vehicle:${v.id}`, customer_id: v.customer_id, vehicle_id: v.id, booking_id: null, order_id: null };
  }
  if (kind === 'phone') {
    let phone: string;
    try {
      phone = normalizePhone(ref, 'fleet');
    } catch {
      throw invalid('--ref', ref, `a customer's phone (the ${list} list names customers by phone)`);
    }
    const c = (await customerByPhone(ctx.db, phone)) ?? (await customerByAlias(ctx.db, phone));
    if (!c) throw notFound('customer with phone', phone);
    return { subject: `customer:${c.id}`, customer_id: c.id, vehicle_id: null, booking_id: null, order_id: null };
  }
  if (kind === 'order_or_booking' && /^ro-/i.test(ref.trim())) {
    const number = parseOrderNumber(ref);
    const o = await orderByNumber(ctx.db, number);
    if (!o) throw notFound('order', number);
    return { subject: `order:${o.number}`, customer_id: o.customer_id, vehicle_id: o.vehicle_id, booking_id: null, order_id: o.id };
  }
  let id: number;
  try {
    id = parseBookingId(ref);
  } catch {
    throw invalid('--ref', ref, kind === 'booking' ? 'a booking id (the appointment-reminders list names bookings)' : 'an order number (RO-YYYYMMDD-NNNN) or a booking id');
  }
  const b = await bookingById(ctx.db, id);
  if (!b) throw notFound('booking', id);
  return { subject: `booking:${b.id}`, customer_id: b.customer_id, vehicle_id: b.vehicle_id, booking_id: b.id, order_id: null };
}

export async function recordContact(ctx: Ctx, input: ContactInput) {
  const list = parseContactList(input.list);
  if (input.ref === undefined || !input.ref.trim()) throw usage('missing required --ref (the plate, booking id, phone or order number the list row names)');
  const result = parseContactResult(input.result);
  const note = cleanText('note', input.note, 1000);
  const agent = cleanText('agent', input.agent, 100);
  let at = ctx.now;
  if (input.at) {
    at = parseLocalDateTime('at', input.at, ctx.tz);
    if (at.getTime() > ctx.now.getTime()) throw invalid('at', input.at, `must not be after now (${formatLocal(ctx.now, ctx.tz)})`);
  }
  let laterAt: string | null = null;
  if (result === 'later') {
    if (!input.laterAt) throw usage('missing required --later-at "YYYY-MM-DD HH:mm" (when the customer asked to be called again)');
    const later = parseLocalDateTime('later-at', input.laterAt, ctx.tz);
    if (later.getTime() <= at.getTime()) throw invalid('later-at', input.laterAt, `must be after the call (${formatLocal(at, ctx.tz)})`);
    laterAt = toIso(later);
  } else if (input.laterAt !== undefined) {
    throw usage(`--later-at goes with --result later (not ${result})`);
  }
  return ctx.db.transaction(async (db) => {
    const s = await subjectOf(ctx, list, input.ref!.trim());
    if (list === 'appointment-reminders' && s.booking_id === null) throw conflict('the appointment-reminders list names bookings: give the booking id');
    const id = await insertContact(db, {
      list, ref: input.ref!.trim(), ...s, result, later_at: laterAt, note, agent, at: toIso(at), recorded_at: toIso(ctx.now),
    });
    if (result === 'wrong_number') await flagWrongPhone(db, s.customer_id, toIso(at));
    await audit(ctx, 'contact', 'customer', s.customer_id, { list, ref: input.ref!.trim(), result, ...(laterAt ? { later_at: laterAt } : {}), ...(note ? { note } : {}) });
    return { id, list, ref: input.ref!.trim(), subject: s.subject, customer_id: s.customer_id, result, at: toIso(at), later_at: laterAt, phone_flagged: result === 'wrong_number' };
  });
}
