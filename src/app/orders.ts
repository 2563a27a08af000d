/**
 * Repair-order use-cases (SPEC §5.2): check-in, lines, approval, work, quality check, discount, delivery,
 * payments, cancellation, and the read side (show, list). Each change is one transaction with an
 * order_events row (the timeline) and an audit_log row.
 */
import { eventSource, type Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import { cleanText, parseKm } from '../domain/identity.js';
import { parseScaled, parseYuan, formatYuan } from '../domain/money.js';
import { daysBetween, daysRange, formatLocal, localDay, parseDay, parseLocalDateTime, toIso } from '../domain/time.js';
import {
  findingLabel, formatOrderNumber, isRepeatRepair, lineAmount, orderNumberPrefix, orderTotals, parseCallWindow, parseCategory,
  parseFindingIds, parseFuel, parseGrade, parseLineNumbers, parseOrderNumber, parsePayMethod, settlementCheck, transition,
  ORDER_STATUSES, noQualityGuarantee, type LineKind, type OrderStatus, type Settlement, type OrderTotals,
} from '../domain/order.js';
import {
  activeOrderOfVehicle, approveLines, bookingForOrder, declineLine, eventsOf, findingById, findingsOfOrder, findingsOpenAt,
  findingsResolvedBy, insertEvent, insertFinding, insertLine, insertOrder, insertPayment, lastDeliveredOrder, linesOf, listOrders,
  markBookingArrived, nextOrderSeq, openFindingsOfVehicle, orderByNumber, orderById, orderHeader, paymentsOf, refreshOrderTotals,
  releaseFindingsOf, resolveFindingsOf, setResolvingLine, updateOrder,
  type DbEvent, type DbFinding, type DbLine, type DbOrder, type DbPayment, type OrderListRow,
} from '../db/orders.js';
import { vehicleById } from '../db/vehicles.js';
import { activeBookingsOfVehicleElsewhere, bookingOfVehicleOn, depositSettled, insertAdjustment } from '../db/corrections.js';
import { checkNewReading, findVehicle, addVehicle, type VehicleInput } from './vehicles.js';
import { addCustomer, findCustomer, type CustomerInput } from './customers.js';
import { findStaff } from './staff.js';
import type { DbStaff } from '../db/staff.js';
import { orderInspection, type ShownReading } from './inspection.js';
import { signaturesOf, signFacts, type DbSignature } from '../db/signatures.js';
import { describeMissing, missingAtDelivery, missingAtStart, parseSignRequired, unsignedSafetyWarning } from '../domain/signatures.js';

// ---------------------------------------------------------------- shared helpers

/** The moment of an event: `--at` (shop-local, not in the future) or the command's now. */
function eventTime(ctx: Ctx, at: string | undefined): Date {
  if (at === undefined || at === '') return ctx.now;
  const t = parseLocalDateTime('at', at, ctx.tz);
  if (t.getTime() > ctx.now.getTime()) throw invalid('at', at, `must not be after now (${formatLocal(ctx.now, ctx.tz)})`);
  return t;
}

/** An event on an order cannot come before the order was opened. */
export function eventTimeOn(ctx: Ctx, order: DbOrder, at: string | undefined): string {
  const t = toIso(eventTime(ctx, at));
  if (t < order.opened_at) {
    const { field, value } = eventSource(ctx, at);
    throw invalid(field, value, `must not be before the order was opened (${order.number}, ${formatLocal(order.opened_at, ctx.tz)})`);
  }
  return t;
}

export async function findOrder(ctx: Ctx, numberText: string): Promise<DbOrder> {
  const number = parseOrderNumber(numberText);
  const o = await orderByNumber(ctx.db, number);
  if (!o) throw notFound('order', number);
  return o;
}

const status = (o: DbOrder) => o.status as OrderStatus;

async function optionalStaff(ctx: Ctx, flag: string, name: string | undefined, role: Parameters<typeof findStaff>[3]): Promise<DbStaff | null> {
  if (name === undefined || name === '') return null;
  return findStaff(ctx, flag, name, role);
}

/**
 * Recompute the order's totals after a change; when the order was delivered before (it counts in the
 * revenue of its first delivery's period), record the difference as a revenue adjustment of today's
 * period (SPEC §16 "Money after corrections"). Returns the order as it is now.
 */
export async function refreshAndAdjust(ctx: Ctx, before: DbOrder, action: string, at: string): Promise<DbOrder> {
  await refreshOrderTotals(ctx.db, before.id);
  const after = (await orderById(ctx.db, before.id))!;
  // orders written by the demo generator or an import carry only delivered_at
  const firstDelivered = before.first_delivered_at ?? before.delivered_at;
  if (firstDelivered) {
    if (!before.first_delivered_at) await updateOrder(ctx.db, before.id, { first_delivered_at: firstDelivered });
    const d = {
      labor_cents: after.labor_cents - before.labor_cents,
      parts_cents: after.parts_cents - before.parts_cents,
      fees_cents: after.fees_cents - before.fees_cents,
      discount_cents: after.discount_cents - before.discount_cents,
      total_cents: after.total_cents - before.total_cents,
    };
    if (Object.values(d).some((v) => v !== 0)) await insertAdjustment(ctx.db, { order_id: before.id, at, action, ...d });
  }
  return after;
}

// ---------------------------------------------------------------- check-in

/** The flags of `order open` (and `booking arrive`), as typed. */
export interface OpenOrderInput {
  plate?: string;
  mileage?: string;
  bookingId?: string;
  category?: string;
  complaint?: string;
  fuel?: string;
  belongings?: string;
  damage?: string;
  keyTag?: string;
  advisor?: string;
  promised?: string;
  callWindow?: string;
  at?: string;
  force?: boolean;
}

export interface OpenedOrder {
  order: DbOrder;
  plate: string;
  /** findings of earlier visits not yet fixed: the advisor should raise them */
  open_findings: Array<{ id: number; label: string; description: string; order_number: string; created_at: string }>;
  /** the order this one repeats (delivered within repeat.days), if any */
  repeat_of: { number: string; delivered_at: string; days: number } | null;
  /** what --force let through (audited) */
  forced: string | null;
  /** the booking's deposit, booked as a payment */
  deposit_cents: number;
  /** the booking this check-in closed, if any (given, or found for a walk-in: the car's booking today) */
  booking_id: number | null;
  /** for the desk: the car's bookings on other days, left as they are */
  warnings: string[];
}

/**
 * Check a vehicle in: a new repair order, `RO-YYYYMMDD-NNNN` by the shop-local open day. With
 * `bookingId`, the booking must be booked or confirmed; it becomes arrived and its deposit a payment.
 */
export async function openOrder(ctx: Ctx, input: OpenOrderInput): Promise<OpenedOrder> {
  if ((input.plate === undefined || input.plate === '') && !input.bookingId) throw usage('missing required --plate (or --booking)');
  if (input.mileage === undefined || input.mileage === '') throw usage('missing required --mileage');
  const km = parseKm('mileage', input.mileage);
  const openedAt = eventTime(ctx, input.at);
  const openedIso = toIso(openedAt);
  const day = localDay(openedAt, ctx.tz);
  const category = input.category !== undefined ? parseCategory(input.category) : null;
  const fuel = input.fuel ? parseFuel(input.fuel) : null;
  const callWindow = input.callWindow ? parseCallWindow(input.callWindow) : null;
  let promisedAt: string | null = null;
  if (input.promised) {
    promisedAt = toIso(parseLocalDateTime('promised', input.promised, ctx.tz));
    if (promisedAt < openedIso) throw invalid('promised', input.promised, `must not be before the check-in (${formatLocal(openedAt, ctx.tz)})`);
  }
  const text = {
    complaint: cleanText('complaint', input.complaint, 2000),
    belongings: cleanText('belongings', input.belongings, 500),
    damage: cleanText('damage', input.damage, 1000),
    key_tag: cleanText('key-tag', input.keyTag, 50),
  };
  let bookingId: number | null = null;
  if (input.bookingId) {
    const s = String(input.bookingId).normalize('NFKC').trim();
    if (!/^\d{1,9}$/.test(s)) throw invalid('booking', input.bookingId, 'expected a booking id');
    bookingId = Number(s);
  }

  return ctx.db.transaction(async (db) => {
    let booking = bookingId === null ? null : await bookingForOrder(db, bookingId);
    if (bookingId !== null && !booking) throw notFound('booking', bookingId);
    const [dayFrom, dayTo] = daysRange(day, day, ctx.tz);
    if (booking && booking.status === 'no_show') {
      // the customer came late: a no-show checks in on its own day (SPEC §10)
      const bookedOn = localDay(booking.scheduled_at, ctx.tz);
      if (bookedOn !== day) throw conflict(`booking ${booking.id} is no_show for ${bookedOn}: a late arrival checks in only on the booking's own day (today is ${day}); open a walk-in order instead`);
    } else if (booking && booking.status !== 'booked' && booking.status !== 'confirmed') {
      throw conflict(`booking ${booking.id} is ${booking.status}: only a booked, confirmed or (on its day) no-show booking can check in`);
    }
    let vehicle;
    if (input.plate) {
      vehicle = await findVehicle(ctx, input.plate);
      if (booking && booking.vehicle_id !== vehicle.id) {
        const bv = await vehicleById(db, booking.vehicle_id);
        throw conflict(`booking ${booking.id} is for ${bv?.plate ?? `vehicle ${booking.vehicle_id}`}, not ${vehicle.plate}`);
      }
    } else {
      vehicle = await vehicleById(db, booking!.vehicle_id);
      if (!vehicle) throw notFound('vehicle of booking', booking!.id);
    }
    if (!vehicle.active) throw conflict(`vehicle ${vehicle.plate} is deactivated (sold or scrapped): no check-in`);
    const warnings: string[] = [];
    if (!booking) {
      // a walk-in whose car has a booking today: check that booking in, so no reminder goes out for a car on the lift
      const today = await bookingOfVehicleOn(db, vehicle.id, dayFrom!, dayTo!);
      if (today) booking = (await bookingForOrder(db, today.id))!;
      for (const b of await activeBookingsOfVehicleElsewhere(db, vehicle.id, dayFrom!, dayTo!)) {
        warnings.push(`${vehicle.plate} has booking ${b.id} at ${formatLocal(b.scheduled_at, ctx.tz)}: left as it is (move or cancel it if this visit replaces it)`);
      }
    }
    const active = await activeOrderOfVehicle(db, vehicle.id);
    if (active) throw conflict(`vehicle ${vehicle.plate} already has order ${active.number} (${active.status}); deliver or cancel it first`);
    const forced = await checkNewReading(ctx, vehicle.id, km, day, !!input.force);

    let advisorId: number | null = null;
    if (input.advisor) advisorId = (await findStaff(ctx, 'advisor', input.advisor, 'advisor')).id;
    else if (booking?.advisor_id) advisorId = booking.advisor_id;

    const previous = await lastDeliveredOrder(db, vehicle.id, openedIso);
    let repeatOf: OpenedOrder['repeat_of'] = null;
    if (previous) {
      const deliveredOn = localDay(previous.delivered_at!, ctx.tz);
      if (isRepeatRepair(deliveredOn, day, ctx.settings.int('repeat.days'))) {
        repeatOf = { number: previous.number, delivered_at: previous.delivered_at!, days: daysBetween(deliveredOn, day) };
      }
    }

    const number = formatOrderNumber(day, await nextOrderSeq(db, orderNumberPrefix(day)));
    const id = await insertOrder(db, {
      number,
      vehicle_id: vehicle.id,
      customer_id: vehicle.customer_id,
      booking_id: booking?.id ?? null,
      category: category ?? 'repair',
      opened_at: openedIso,
      mileage_in: km,
      fuel,
      belongings: text.belongings,
      damage: text.damage,
      key_tag: text.key_tag,
      complaint: text.complaint ?? booking?.complaint ?? booking?.service ?? null,
      advisor_id: advisorId,
      promised_at: promisedAt,
      call_window: callWindow,
      repeat_of_order_id: previous && repeatOf ? previous.id : null,
    });
    await insertEvent(db, { order_id: id, at: openedIso, event: 'opened', staff_id: advisorId, details: { mileage: km, ...(booking ? { booking: booking.id } : {}) } });
    let deposit = 0;
    if (booking) {
      await markBookingArrived(db, booking.id, id);
      await audit(ctx, 'arrive', 'booking', booking.id, { order: number, ...(booking.status === 'no_show' ? { late: true } : {}), ...(bookingId === null ? { walk_in: true } : {}) });
      const left = booking.deposit_cents - (await depositSettled(db, booking.id));
      if (left > 0) {
        deposit = left;
        await insertPayment(db, { order_id: id, amount_cents: deposit, method: 'deposit', paid_at: openedIso });
        await insertEvent(db, { order_id: id, at: openedIso, event: 'payment', details: { amount_cents: deposit, method: 'deposit', booking: booking.id } });
      }
    }
    await refreshOrderTotals(db, id);
    const findings = await openFindingsOfVehicle(db, vehicle.id);
    await audit(ctx, 'open', 'order', number, {
      plate: vehicle.plate, mileage: km, ...(booking ? { booking: booking.id } : {}), ...(repeatOf ? { repeat_of: repeatOf.number } : {}),
      ...(forced ? { forced } : {}),
    });
    return {
      order: (await orderById(db, id))!,
      plate: vehicle.plate,
      open_findings: findings.map((f) => ({ id: f.id, label: findingLabel(f.id), description: f.description, order_number: f.order_number, created_at: f.created_at })),
      repeat_of: repeatOf,
      forced,
      deposit_cents: deposit,
      booking_id: booking?.id ?? null,
      warnings,
    };
  });
}

/**
 * The desk's walk-in with a car not yet in the archive: create the customer (or use an existing one),
 * the vehicle and the order in ONE transaction, so a refused check-in leaves no half-made records.
 */
export async function openOrderForNewVehicle(
  ctx: Ctx,
  owner: { existing: string } | { create: CustomerInput },
  vehicle: VehicleInput,
  input: OpenOrderInput,
): Promise<OpenedOrder> {
  return ctx.db.transaction(async () => {
    const customerId = 'existing' in owner ? (await findCustomer(ctx, owner.existing)).id : (await addCustomer(ctx, owner.create)).id;
    const v = await addVehicle(ctx, { ...vehicle, customer: String(customerId) });
    return openOrder(ctx, { ...input, plate: v.plate });
  });
}

// ---------------------------------------------------------------- lines

export interface LineInput {
  description: string;
  hours?: string;
  rate?: string;
  qty?: string;
  price?: string;
  partNo?: string;
  grade?: string;
  customerSupplied?: boolean;
  /** finding ids this line fixes (`F3,F4`): resolved when this order is delivered */
  resolves?: string;
  at?: string;
}

export interface AddedLine {
  order: DbOrder;
  line: DbLine;
  resolves: string[];
}

function lineFields(ctx: Ctx, kind: LineKind, input: LineInput) {
  const description = cleanText('description', input.description, 500);
  if (!description) throw usage('missing required DESCRIPTION');
  if (kind === 'labor') {
    if (input.hours === undefined) throw usage('missing required --hours');
    const hoursCenti = parseScaled('hours', input.hours, 2, { min: 1, max: 100_000 });
    const rate = input.rate !== undefined ? parseYuan('rate', input.rate) : parseYuan('labor.rate', ctx.settings.get('labor.rate'));
    return { description, hours_centi: hoursCenti, qty_milli: null, unit_price_cents: rate, amount_cents: lineAmount({ kind, hoursCenti, unitPriceCents: rate }), grade: null, customer_supplied: 0, part_no: null };
  }
  if (kind === 'part') {
    if (input.qty === undefined) throw usage('missing required --qty');
    const qtyMilli = parseScaled('qty', input.qty, 3, { min: 1, max: 1_000_000_000 });
    const supplied = !!input.customerSupplied;
    if (supplied && input.price !== undefined) throw invalid('price', input.price, 'customer-supplied parts carry no price (leave out --price)');
    if (!supplied && input.price === undefined) throw usage('missing required --price');
    const price = supplied ? 0 : parseYuan('price', input.price!);
    return {
      description, hours_centi: null, qty_milli: qtyMilli, unit_price_cents: price,
      amount_cents: lineAmount({ kind, qtyMilli, unitPriceCents: price, customerSupplied: supplied }),
      grade: supplied && input.grade === undefined ? null : parseGrade(input.grade), customer_supplied: supplied ? 1 : 0, part_no: cleanText('part-no', input.partNo, 60),
    };
  }
  if (input.price === undefined) throw usage('missing required --price');
  const price = parseYuan('price', input.price);
  return { description, hours_centi: null, qty_milli: null, unit_price_cents: price, amount_cents: lineAmount({ kind, unitPriceCents: price }), grade: null, customer_supplied: 0, part_no: null };
}

/** Add a labour, part or fee line, proposed; after the first approval it is additional work. */
export async function addLine(ctx: Ctx, numberText: string, kind: LineKind, input: LineInput): Promise<AddedLine> {
  const fields = lineFields(ctx, kind, input);
  const findingIds = input.resolves ? parseFindingIds(input.resolves) : [];
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    transition(order.number, status(order), 'edit');
    const at = eventTimeOn(ctx, order, input.at);
    for (const fid of findingIds) {
      const f = await findingById(db, fid);
      if (!f) throw notFound('finding', findingLabel(fid));
      if (f.vehicle_id !== order.vehicle_id) throw conflict(`finding ${findingLabel(fid)} belongs to another vehicle`);
      if (f.status !== 'open') throw conflict(`finding ${findingLabel(fid)} is already resolved`);
    }
    const line = await insertLine(db, { order_id: order.id, kind, ...fields, additional: order.approved_at ? 1 : 0, created_at: at });
    await setResolvingLine(db, findingIds, line.id);
    await insertEvent(db, {
      order_id: order.id, at, event: 'line_added',
      details: { line: line.line_no, kind, description: line.description, amount_cents: line.amount_cents, ...(line.additional ? { additional: true } : {}), ...(findingIds.length ? { resolves: findingIds.map(findingLabel) } : {}) },
    });
    await refreshOrderTotals(db, order.id);
    await audit(ctx, 'add_line', 'order', order.number, { line: line.line_no, kind, amount_cents: line.amount_cents, ...(findingIds.length ? { resolves: findingIds } : {}) });
    return { order: (await orderById(db, order.id))!, line, resolves: findingIds.map(findingLabel) };
  });
}

function pickLines(order: DbOrder, lines: DbLine[], numbers: number[]): DbLine[] {
  return numbers.map((n) => {
    const l = lines.find((x) => x.line_no === n);
    if (!l) throw notFound(`line of order ${order.number}`, n);
    return l;
  });
}

/** Approve the given lines (all proposed ones without `--lines`). The first approval signs the estimate. */
export async function approveOrder(ctx: Ctx, numberText: string, input: { lines?: string; by?: string; at?: string }) {
  const numbers = input.lines !== undefined ? parseLineNumbers(input.lines) : null;
  const by = cleanText('by', input.by, 100);
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    const next = transition(order.number, status(order), 'approve');
    const at = eventTimeOn(ctx, order, input.at);
    const lines = await linesOf(db, order.id);
    const chosen = numbers ? pickLines(order, lines, numbers) : lines.filter((l) => l.status === 'proposed');
    if (!chosen.length) throw conflict(`order ${order.number} has no proposed lines to approve`);
    for (const l of chosen) if (l.status !== 'proposed') throw conflict(`line ${l.line_no} of order ${order.number} is ${l.status}, not proposed`);
    await approveLines(db, chosen.map((l) => l.id), at);
    const changes: Partial<DbOrder> = {};
    if (!order.approved_at) {
      changes.approved_at = at;
      const approvedIds = new Set(chosen.map((l) => l.id));
      changes.estimate_cents = lines.filter((l) => l.status === 'approved' || approvedIds.has(l.id)).reduce((s, l) => s + l.amount_cents, 0);
    }
    if (next !== order.status) changes.status = next;
    await updateOrder(db, order.id, changes);
    await refreshAndAdjust(ctx, order, 'approve', at);
    const first = !order.approved_at;
    await insertEvent(db, { order_id: order.id, at, event: first ? 'approved' : 'approved_more', details: { lines: chosen.map((l) => l.line_no), ...(by ? { by } : {}), ...(first ? { estimate_cents: changes.estimate_cents } : {}) } });
    await audit(ctx, 'approve', 'order', order.number, { lines: chosen.map((l) => l.line_no), ...(by ? { by } : {}), ...(first ? { estimate_cents: changes.estimate_cents } : {}) });
    return { order: (await orderById(db, order.id))!, lines: chosen.map((l) => l.line_no), first };
  });
}

/** Decline proposed lines: they stay on the order and become open findings of the vehicle. */
export async function declineOrderLines(ctx: Ctx, numberText: string, input: { lines?: string; reason?: string; at?: string; severity?: string; followUp?: string }) {
  if (input.lines === undefined) throw usage('missing required --lines');
  const numbers = parseLineNumbers(input.lines);
  const reason = cleanText('reason', input.reason, 500);
  // SPEC §12: how serious the declined work is, and the day to call about it (default: declined.follow_up_days after delivery)
  if (input.severity !== undefined && input.severity !== 'safety' && input.severity !== 'advised') throw invalid('severity', input.severity, 'safety or advised');
  const severity = input.severity ?? 'advised';
  const followUp = input.followUp !== undefined ? parseDay('follow-up', input.followUp) : null;
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    transition(order.number, status(order), 'edit');
    const at = eventTimeOn(ctx, order, input.at);
    const chosen = pickLines(order, await linesOf(db, order.id), numbers);
    for (const l of chosen) if (l.status !== 'proposed') throw conflict(`line ${l.line_no} of order ${order.number} is ${l.status}, only a proposed line can be declined`);
    const findings: string[] = [];
    for (const l of chosen) {
      await declineLine(db, l.id, reason);
      const fid = await insertFinding(db, { vehicle_id: order.vehicle_id, order_id: order.id, line_id: l.id, description: l.description, created_at: at });
      await db.run('UPDATE findings SET severity = ?, follow_up_on = ? WHERE id = ?', [severity, followUp, fid]);
      findings.push(findingLabel(fid));
    }
    if (followUp && followUp < localDay(new Date(at), ctx.tz)) throw invalid('follow-up', input.followUp, `must not be before the day it is declined (${localDay(new Date(at), ctx.tz)})`);
    await refreshOrderTotals(db, order.id);
    const more = { severity, ...(followUp ? { follow_up_on: followUp } : {}), ...(reason ? { reason } : {}) };
    await insertEvent(db, { order_id: order.id, at, event: 'declined', details: { lines: numbers, findings, ...more } });
    await audit(ctx, 'decline', 'order', order.number, { lines: numbers, findings, ...more });
    return { order, lines: numbers, findings };
  });
}

/** A problem found but not fixed this time: an open finding of the vehicle, raised at its next visit. */
export async function addFinding(ctx: Ctx, numberText: string, input: { description: string; at?: string }) {
  const description = cleanText('description', input.description, 500);
  if (!description) throw usage('missing required DESCRIPTION');
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    // found during the visit or at the handover: anything but a cancelled order
    transition(order.number, status(order), 'pay');
    const at = eventTimeOn(ctx, order, input.at);
    const id = await insertFinding(db, { vehicle_id: order.vehicle_id, order_id: order.id, line_id: null, description, created_at: at });
    await insertEvent(db, { order_id: order.id, at, event: 'finding', details: { finding: findingLabel(id), description } });
    await audit(ctx, 'finding', 'order', order.number, { finding: id, description });
    return { order, id, label: findingLabel(id) };
  });
}

// ---------------------------------------------------------------- work and quality

export async function startWork(ctx: Ctx, numberText: string, input: { tech?: string; at?: string }) {
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    const next = transition(order.number, status(order), 'start');
    const at = eventTimeOn(ctx, order, input.at);
    const required = parseSignRequired(ctx.settings.get('sign.required'));
    if (required.length) {
      const missing = missingAtStart(required, await signFacts(db, order), await signaturesOf(db, order.id));
      if (missing.length) throw conflict(describeMissing(order.number, missing));
    }
    const tech = await optionalStaff(ctx, 'tech', input.tech, 'technician');
    await updateOrder(db, order.id, { status: next, started_at: at, ...(tech ? { technician_id: tech.id } : {}) });
    await insertEvent(db, { order_id: order.id, at, event: 'started', staff_id: tech?.id ?? null });
    await audit(ctx, 'start', 'order', order.number, tech ? { tech: tech.name } : undefined);
    return (await orderById(db, order.id))!;
  });
}

export async function qualityCheck(ctx: Ctx, numberText: string, input: { pass?: boolean; fail?: boolean; inspector?: string; roadTest?: boolean; note?: string; at?: string }) {
  if (!!input.pass === !!input.fail) throw usage(input.pass ? '--pass and --fail exclude each other' : 'missing required --pass or --fail');
  const note = cleanText('note', input.note, 1000);
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    const next = transition(order.number, status(order), input.pass ? 'qc_pass' : 'qc_fail');
    const at = eventTimeOn(ctx, order, input.at);
    const inspector = await optionalStaff(ctx, 'inspector', input.inspector, 'inspector');
    const changes: Partial<DbOrder> = { status: next, ...(inspector ? { inspector_id: inspector.id } : {}) };
    if (input.roadTest) changes.road_test = 1;
    if (input.pass) changes.ready_at = at;
    else changes.qc_failures = order.qc_failures + 1;
    await updateOrder(db, order.id, changes);
    const details = { ...(input.roadTest ? { road_test: true } : {}), ...(note ? { note } : {}) };
    await insertEvent(db, { order_id: order.id, at, event: input.pass ? 'qc_pass' : 'qc_fail', staff_id: inspector?.id ?? null, details: Object.keys(details).length ? details : null });
    await audit(ctx, input.pass ? 'qc_pass' : 'qc_fail', 'order', order.number, { ...(inspector ? { inspector: inspector.name } : {}), ...details });
    return (await orderById(db, order.id))!;
  });
}

// ---------------------------------------------------------------- money

/** Set the order's discount (replacing any earlier one); only a manager may grant it. */
export async function discountOrder(ctx: Ctx, numberText: string, input: { amount?: string; by?: string; at?: string }) {
  if (input.amount === undefined) throw usage('missing required --amount');
  if (!input.by) throw usage('missing required --by (the manager granting the discount)');
  const cents = parseYuan('amount', input.amount);
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    transition(order.number, status(order), 'edit');
    const at = eventTimeOn(ctx, order, input.at);
    const manager = await findStaff(ctx, 'by', input.by!, 'manager');
    const gross = order.total_cents + order.discount_cents;
    if (cents > gross) throw conflict(`discount ${formatYuan(cents)} is more than the approved total ${formatYuan(gross)} of order ${order.number}`);
    if (gross - cents < order.paid_cents) {
      throw conflict(`discount ${formatYuan(cents)} would leave order ${order.number} at ${formatYuan(gross - cents)}, below the ${formatYuan(order.paid_cents)} already paid`);
    }
    await updateOrder(db, order.id, { discount_cents: cents, discount_by_id: manager.id });
    await refreshAndAdjust(ctx, order, 'discount', at);
    await insertEvent(db, { order_id: order.id, at, event: 'discount', staff_id: manager.id, details: { amount_cents: cents, previous_cents: order.discount_cents } });
    await audit(ctx, 'discount', 'order', order.number, { amount_cents: cents, by: manager.name, previous_cents: order.discount_cents });
    return (await orderById(db, order.id))!;
  });
}

async function takePayment(ctx: Ctx, order: DbOrder, cents: number, method: string, at: string, event: string): Promise<void> {
  const balance = order.total_cents - order.paid_cents;
  if (cents > balance) {
    throw conflict(`payment ${formatYuan(cents)} is more than the balance ${formatYuan(Math.max(0, balance))} of order ${order.number}`);
  }
  await insertPayment(ctx.db, { order_id: order.id, amount_cents: cents, method, paid_at: at });
  await insertEvent(ctx.db, { order_id: order.id, at, event, details: { amount_cents: cents, method } });
  await refreshOrderTotals(ctx.db, order.id);
}

export async function payOrder(ctx: Ctx, numberText: string, input: { amount?: string; method?: string; at?: string }) {
  if (input.amount === undefined) throw usage('missing required --amount');
  if (input.method === undefined) throw usage('missing required --method');
  const cents = parseYuan('amount', input.amount, { allowZero: false });
  const method = parsePayMethod(input.method);
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    transition(order.number, status(order), 'pay');
    const at = eventTimeOn(ctx, order, input.at);
    await takePayment(ctx, order, cents, method, at, 'payment');
    await audit(ctx, 'pay', 'order', order.number, { amount_cents: cents, method });
    return (await orderById(db, order.id))!;
  });
}

/** Hand the car back: QC passed, nothing left to decide; what stays unpaid is arrears. */
export async function deliverOrder(ctx: Ctx, numberText: string, input: { paid?: string; method?: string; at?: string }) {
  if (input.paid !== undefined && input.method === undefined) throw usage('missing required --method (with --paid)');
  if (input.paid === undefined && input.method !== undefined) throw usage('missing required --paid (with --method)');
  const cents = input.paid !== undefined ? parseYuan('paid', input.paid) : 0;
  const method = input.method !== undefined ? parsePayMethod(input.method) : null;
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    const next = transition(order.number, status(order), 'deliver');
    const at = eventTimeOn(ctx, order, input.at);
    const proposed = (await linesOf(db, order.id)).filter((l) => l.status === 'proposed');
    if (proposed.length) {
      throw conflict(`order ${order.number} has proposed lines ${proposed.map((l) => l.line_no).join(', ')}: approve or decline them before delivery`);
    }
    // sign-offs (SPEC §11, §16) and red items going out unfixed (SPEC §12): checked before anything is written
    const facts = await signFacts(db, order);
    const signatures = await signaturesOf(db, order.id);
    const missing = missingAtDelivery(parseSignRequired(ctx.settings.get('sign.required')), facts, signatures);
    if (missing.length) throw conflict(describeMissing(order.number, missing));
    const safetyWarning = unsignedSafetyWarning(facts, signatures);
    if (cents > 0) await takePayment(ctx, order, cents, method!, at, 'payment');
    await updateOrder(db, order.id, { status: next, delivered_at: at, ...(order.first_delivered_at ? {} : { first_delivered_at: at }) });
    const resolved = await resolveFindingsOf(db, order.id, at);
    await refreshOrderTotals(db, order.id);
    const after = (await orderById(db, order.id))!;
    const details = { total_cents: after.total_cents, paid_cents: after.paid_cents, balance_cents: after.total_cents - after.paid_cents, ...(resolved.length ? { resolved: resolved.map(findingLabel) } : {}) };
    await insertEvent(db, { order_id: order.id, at, event: 'delivered', details });
    await audit(ctx, 'deliver', 'order', order.number, { ...details, ...(cents ? { paid_now_cents: cents, method } : {}) });
    const settlement = settlementCheck(after.estimate_cents, after.total_cents, after.approved_at, await linesOf(db, order.id));
    return { order: after, resolved: resolved.map(findingLabel), balance_cents: after.total_cents - after.paid_cents, settlement, warnings: safetyWarning ? [safetyWarning] : [] };
  });
}

export async function cancelOrder(ctx: Ctx, numberText: string, input: { reason?: string; at?: string }) {
  const reason = cleanText('reason', input.reason, 500);
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    const next = transition(order.number, status(order), 'cancel');
    const at = eventTimeOn(ctx, order, input.at);
    if (order.first_delivered_at) {
      throw conflict(`cannot cancel order ${order.number}: it was delivered on ${formatLocal(order.first_delivered_at, ctx.tz)} and is reopened; correct its lines and deliver it again`);
    }
    if (order.paid_cents !== 0) {
      throw conflict(`cannot cancel order ${order.number}: ${formatYuan(order.paid_cents)} was paid on it; refund it first (order refund ${order.number} --amount ${formatYuan(order.paid_cents)} --method M --reason T, after removing or declining the lines it pays for)`);
    }
    await updateOrder(db, order.id, { status: next, cancelled_at: at, cancel_reason: reason });
    await releaseFindingsOf(db, order.id);
    await insertEvent(db, { order_id: order.id, at, event: 'cancelled', details: reason ? { reason } : null });
    await audit(ctx, 'cancel', 'order', order.number, reason ? { reason } : undefined);
    return { order: (await orderById(db, order.id))!, paid_cents: order.paid_cents };
  });
}

// ---------------------------------------------------------------- read side

export interface OrderPicture {
  order: DbOrder & Record<string, unknown>;
  lines: Array<DbLine & { no_quality_guarantee: boolean }>;
  totals: OrderTotals;
  settlement: Settlement;
  payments: DbPayment[];
  /** findings open on the vehicle when the order was opened */
  findings_at_open: Array<DbFinding & { order_number: string; resolved_by: string | null; label: string }>;
  /** findings recorded on this order (declined lines, order finding) */
  findings_recorded: Array<DbFinding & { resolved_by: string | null; line_no: number | null; label: string }>;
  /** earlier findings this order's lines fix */
  resolves: Array<DbFinding & { line_no: number; line_status: string; label: string }>;
  timeline: Array<DbEvent & { details_parsed: Record<string, unknown> | null }>;
  /** the readings of this order's inspections, with the remaining life of pads and tyres (SPEC §12) */
  inspection: ShownReading[];
  /** sign-offs recorded on this order (SPEC §11) */
  signatures: DbSignature[];
}

export async function showOrder(ctx: Ctx, numberText: string): Promise<OrderPicture> {
  const order = await findOrder(ctx, numberText);
  const db = ctx.db;
  const [header, lines, payments, atOpen, recorded, resolves, events] = await Promise.all([
    orderHeader(db, order.id),
    linesOf(db, order.id),
    paymentsOf(db, order.id),
    findingsOpenAt(db, order),
    findingsOfOrder(db, order.id),
    findingsResolvedBy(db, order.id),
    eventsOf(db, order.id),
  ]);
  const inspection = await orderInspection(ctx, order.id, order.vehicle_id);
  const totals = orderTotals(lines, order.discount_cents, payments);
  return {
    order: { ...order, ...header, balance_cents: totals.balance_cents },
    lines: lines.map((l) => ({ ...l, no_quality_guarantee: noQualityGuarantee(l) })),
    totals,
    settlement: settlementCheck(order.estimate_cents, totals.total_cents, order.approved_at, lines),
    payments,
    findings_at_open: atOpen.map((f) => ({ ...f, label: findingLabel(f.id) })),
    findings_recorded: recorded.map((f) => ({ ...f, label: findingLabel(f.id) })),
    resolves: resolves.map((f) => ({ ...f, label: findingLabel(f.id) })),
    timeline: events.map((e) => ({ ...e, details_parsed: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : null })),
    inspection,
    signatures: await signaturesOf(db, order.id),
  };
}

export interface OrderListInput {
  status?: string;
  from?: string;
  to?: string;
  plate?: string;
  /** id, phone, plate or exact name */
  customer?: string;
  unpaid?: boolean;
  limit?: number;
}

export async function findOrders(ctx: Ctx, input: OrderListInput): Promise<OrderListRow[]> {
  if (input.status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(input.status)) {
    throw invalid('status', input.status, `expected one of ${ORDER_STATUSES.join(', ')}`);
  }
  const from = input.from ? parseDay('from', input.from) : undefined;
  const to = input.to ? parseDay('to', input.to) : undefined;
  if (from && to && to < from) throw invalid('to', input.to, `must not be before --from ${from}`);
  const [fromIso] = from ? daysRange(from, from, ctx.tz) : [undefined];
  const toIso_ = to ? daysRange(to, to, ctx.tz)[1] : undefined;
  const vehicleId = input.plate ? (await findVehicle(ctx, input.plate)).id : undefined;
  const customerId = input.customer ? (await findCustomer(ctx, input.customer)).id : undefined;
  return listOrders(ctx.db, { status: input.status, from: fromIso, to: toIso_, vehicleId, customerId, unpaid: input.unpaid, limit: input.limit ?? 200 });
}
