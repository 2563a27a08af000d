/**
 * Booking use-cases (SPEC §5.1): add, move, confirm, cancel, the no-show sweep, and the read side
 * (list, show, slots). Each change is one transaction with an audit_log row; the capacity check and
 * the insert share the transaction (BEGIN IMMEDIATE), so two desks cannot both take the last bay.
 */
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import { cleanText } from '../domain/identity.js';
import { formatYuan, parseYuan } from '../domain/money.js';
import { addDays, dayRange, dayStart, formatLocal, localDay, parseClock, parseDay, parseLocalDateTime, toIso, type Day } from '../domain/time.js';
import {
  SEARCH_DAYS, checkPlacement, dayStarts, daySlots, fits, depositShortfall, isNoShow, noShowCutoff, parseMinutes, parseSource, parseStatus,
  transition, type BookingStatus, type Hours, type SlotRow,
} from '../domain/booking.js';
import {
  activeIntervals, activeStartedBy, bookingById, bookingRow, bookingRows, insertBooking, overlappingBookingOfVehicle,
  setBookingsStatus, updateBooking, type BookingRow, type DbBooking,
} from '../db/bookings.js';
import { depositMovesOf, ordersHoldingBays, type DepositMove } from '../db/corrections.js';
import { bayHold } from '../domain/board.js';
import { findVehicle, addVehicle, type VehicleInput } from './vehicles.js';
import { addCustomer, findCustomer, type CustomerInput } from './customers.js';
import { findStaff } from './staff.js';

/** The flags of `booking add`, as typed. */
export interface BookingInput {
  plate?: string;
  at?: string;
  minutes?: string;
  service?: string;
  complaint?: string;
  advisor?: string;
  source?: string;
  estimate?: string;
  partsValue?: string;
  deposit?: string;
  force?: boolean;
}

export interface BookingResult {
  booking: BookingRow;
  /** what --force let through (audited) */
  forced: string[];
}

export function shopHours(ctx: Ctx): Hours {
  return {
    open: parseClock('shop.open', ctx.settings.get('shop.open')),
    close: parseClock('shop.close', ctx.settings.get('shop.close')),
    tz: ctx.tz,
  };
}

export function parseBookingId(text: string | number): number {
  const s = String(text ?? '').normalize('NFKC').trim().replace(/^#/, '');
  if (!/^\d{1,9}$/.test(s) || +s < 1) throw invalid('booking id', text, 'expected a booking number like 12');
  return +s;
}

/**
 * What takes a bay during [from, to): active bookings, and cars in the shop (open, approved and
 * in-progress orders, SPEC §16); an arrived booking is counted once, through its order.
 */
async function busyIntervals(ctx: Ctx, from: string, to: string, excludeId: number | null = null): Promise<Array<{ start: number; end: number }>> {
  const busy = await activeIntervals(ctx.db, from, to, excludeId);
  const minutes = ctx.settings.int('booking.minutes');
  const lo = Date.parse(from);
  for (const o of await ordersHoldingBays(ctx.db, to)) {
    const hold = bayHold(o, ctx.now.getTime(), minutes);
    if (hold && hold.end > lo) busy.push(hold);
  }
  return busy;
}

async function loadBooking(ctx: Ctx, id: number): Promise<DbBooking> {
  const b = await bookingById(ctx.db, id);
  if (!b) throw notFound('booking', id);
  return b;
}

/** Check a start against the past, opening hours and capacity, inside the caller's transaction. */
async function placement(ctx: Ctx, at: Date, minutes: number, force: boolean, excludeId: number | null): Promise<string[]> {
  const first = localDay(at, ctx.tz);
  const from = toIso(dayStart(first, ctx.tz));
  const to = toIso(dayStart(addDays(first, SEARCH_DAYS + 2), ctx.tz));
  const busy = await busyIntervals(ctx, from, to, excludeId);
  return checkPlacement({ at, minutes, bays: ctx.settings.int('shop.bays'), hours: shopHours(ctx), notBefore: ctx.now, busy, force });
}

async function refuseDoubleBooking(ctx: Ctx, vehicleId: number, plate: string, at: Date, minutes: number, excludeId: number | null): Promise<void> {
  const end = new Date(at.getTime() + minutes * 60_000);
  const other = await overlappingBookingOfVehicle(ctx.db, vehicleId, toIso(at), toIso(end), excludeId);
  if (other) throw conflict(`vehicle ${plate} already has booking ${other.id} at ${formatLocal(other.scheduled_at, ctx.tz)} (${other.status}); move or cancel it instead`);
}

/** Book a vehicle in (its owner is the booking's customer). */
export async function addBooking(ctx: Ctx, input: BookingInput): Promise<BookingResult> {
  if (!input.plate) throw usage('missing required --plate');
  if (!input.at) throw usage('missing required --at');
  const at = parseLocalDateTime('at', input.at, ctx.tz);
  const minutes = input.minutes !== undefined ? parseMinutes(input.minutes) : ctx.settings.int('booking.minutes');
  const source = parseSource(input.source);
  const service = cleanText('service', input.service, 500);
  const complaint = cleanText('complaint', input.complaint, 2000);
  const estimate = input.estimate !== undefined && input.estimate !== '' ? parseYuan('estimate', input.estimate) : null;
  const partsValue = input.partsValue !== undefined && input.partsValue !== '' ? parseYuan('parts-value', input.partsValue) : 0;
  const deposit = input.deposit !== undefined && input.deposit !== '' ? parseYuan('deposit', input.deposit) : 0;
  if (partsValue > 0) {
    const ratio = ctx.settings.get('booking.deposit_ratio');
    const min = depositShortfall(partsValue, deposit, ratio);
    if (min !== null) {
      throw conflict(`deposit ${formatYuan(deposit)} is below the minimum ${formatYuan(min)} for special-order parts worth ${formatYuan(partsValue)} (booking.deposit_ratio ${ratio}); give --deposit ${formatYuan(min)} or more`);
    }
  }

  return ctx.db.transaction(async (db) => {
    const vehicle = await findVehicle(ctx, input.plate!);
    if (!vehicle.active) throw conflict(`vehicle ${vehicle.plate} is deactivated (sold or scrapped); it cannot be booked`);
    const advisor = input.advisor ? await findStaff(ctx, 'advisor', input.advisor, 'advisor') : null;
    await refuseDoubleBooking(ctx, vehicle.id, vehicle.plate, at, minutes, null);
    const forced = await placement(ctx, at, minutes, !!input.force, null);
    const id = await insertBooking(db, {
      vehicle_id: vehicle.id,
      customer_id: vehicle.customer_id,
      scheduled_at: toIso(at),
      ends_at: toIso(new Date(at.getTime() + minutes * 60_000)),
      minutes,
      service,
      complaint,
      advisor_id: advisor?.id ?? null,
      source,
      estimate_cents: estimate,
      parts_value_cents: partsValue,
      deposit_cents: deposit,
      status: 'booked',
      created_at: toIso(ctx.now),
    });
    await audit(ctx, 'add', 'booking', id, {
      plate: vehicle.plate, scheduled_at: toIso(at), minutes, ...(deposit ? { deposit_cents: deposit } : {}), ...(forced.length ? { forced } : {}),
    });
    return { booking: (await bookingRow(db, id))!, forced };
  });
}

/**
 * The desk's booking for a caller not yet (fully) in the archive: create the customer and/or the vehicle
 * and the booking in ONE transaction, so a refused booking leaves no half-made records.
 */
export async function addBookingWithNewRecords(
  ctx: Ctx,
  owner: { existing: string } | { create: CustomerInput } | null,
  vehicle: VehicleInput | null,
  input: BookingInput,
): Promise<BookingResult> {
  return ctx.db.transaction(async () => {
    let plate = input.plate;
    if (vehicle) {
      if (!owner) throw usage('missing the owner of the new vehicle');
      const customerId = 'existing' in owner ? (await findCustomer(ctx, owner.existing)).id : (await addCustomer(ctx, owner.create)).id;
      plate = (await addVehicle(ctx, { ...vehicle, customer: String(customerId) })).plate;
    }
    return addBooking(ctx, { ...input, plate });
  });
}

/** Move a booking to another start (and length); the same rules as add, not counting itself. */
export async function moveBooking(ctx: Ctx, idText: string | number, input: { at?: string; minutes?: string; force?: boolean }): Promise<BookingResult> {
  const id = parseBookingId(idText);
  if (!input.at) throw usage('missing required --at');
  const at = parseLocalDateTime('at', input.at, ctx.tz);
  return ctx.db.transaction(async (db) => {
    const b = await loadBooking(ctx, id);
    transition(id, b.status as BookingStatus, 'move');
    const minutes = input.minutes !== undefined ? parseMinutes(input.minutes) : b.minutes;
    const row = (await bookingRow(db, id))!;
    await refuseDoubleBooking(ctx, b.vehicle_id, row.plate, at, minutes, id);
    const forced = await placement(ctx, at, minutes, !!input.force, id);
    const changes = { scheduled_at: toIso(at), ends_at: toIso(new Date(at.getTime() + minutes * 60_000)), minutes };
    await updateBooking(db, id, changes);
    await audit(ctx, 'move', 'booking', id, { from: b.scheduled_at, to: changes.scheduled_at, minutes, ...(forced.length ? { forced } : {}) });
    return { booking: (await bookingRow(db, id))!, forced };
  });
}

/** When a confirmation or cancellation happened: `--at` (shop-local, not in the future) or now. */
function eventTime(ctx: Ctx, at: string | undefined): Date {
  if (at === undefined || at === '') return ctx.now;
  const t = parseLocalDateTime('at', at, ctx.tz);
  if (t.getTime() > ctx.now.getTime()) throw invalid('at', at, `must not be after now (${formatLocal(ctx.now, ctx.tz)})`);
  return t;
}

export async function confirmBooking(ctx: Ctx, idText: string | number, input: { at?: string } = {}): Promise<BookingRow> {
  const id = parseBookingId(idText);
  const at = eventTime(ctx, input.at);
  return ctx.db.transaction(async (db) => {
    const b = await loadBooking(ctx, id);
    const status = transition(id, b.status as BookingStatus, 'confirm');
    await updateBooking(db, id, { status });
    await audit(ctx, 'confirm', 'booking', id, { at: toIso(at) });
    return (await bookingRow(db, id))!;
  });
}

export async function cancelBooking(ctx: Ctx, idText: string | number, input: { reason?: string; at?: string } = {}): Promise<BookingRow> {
  const id = parseBookingId(idText);
  const reason = cleanText('reason', input.reason, 500);
  const at = eventTime(ctx, input.at);
  return ctx.db.transaction(async (db) => {
    const b = await loadBooking(ctx, id);
    const status = transition(id, b.status as BookingStatus, 'cancel');
    await updateBooking(db, id, { status, cancel_reason: reason });
    await audit(ctx, 'cancel', 'booking', id, { at: toIso(at), ...(reason ? { reason } : {}) });
    return (await bookingRow(db, id))!;
  });
}

/**
 * Mark as no_show every booked/confirmed booking whose start + booking.no_show_minutes ≤ `at`
 * (audited, one row each). Returns their ids, oldest first. Scheduled by the no-shows job.
 */
export { markNoShows } from '../../jobs/no-shows.js';

export async function showBooking(ctx: Ctx, idText: string | number): Promise<BookingRow & { deposit_moves: DepositMove[]; deposit_left_cents: number }> {
  const id = parseBookingId(idText);
  const row = await bookingRow(ctx.db, id);
  if (!row) throw notFound('booking', id);
  // what became of the deposit: refunds and forfeits (SPEC §10); an arrived booking's went to its order
  const moves = await depositMovesOf(ctx.db, id);
  const left = row.status === 'arrived' ? 0 : row.deposit_cents - moves.reduce((s, m) => s + m.amount_cents, 0);
  return { ...row, deposit_moves: moves, deposit_left_cents: left };
}

/**
 * `booking list`: one day with --date; without it, from today on (or every date when --status is
 * given, so `--status no_show` finds past ones).
 */
export async function listBookings(ctx: Ctx, filter: { date?: string; status?: string }): Promise<BookingRow[]> {
  const status = filter.status ? parseStatus(filter.status) : undefined;
  if (filter.date) {
    const [from, to] = dayRange(parseDay('date', filter.date), ctx.tz);
    return bookingRows(ctx.db, { from, to, status, limit: 100_000 });
  }
  const from = status ? undefined : toIso(dayStart(localDay(ctx.now, ctx.tz), ctx.tz));
  return bookingRows(ctx.db, { from, status, limit: 100_000 });
}

export interface DaySlots {
  day: Day;
  bays: number;
  open: string;
  close: string;
  slots: SlotRow[];
}

/** Free capacity by half hour over the opening hours of `date` (default today). */
export async function bookingSlots(ctx: Ctx, date: string | undefined): Promise<DaySlots> {
  const day = date ? parseDay('date', date) : localDay(ctx.now, ctx.tz);
  const [from, to] = dayRange(day, ctx.tz);
  const busy = await busyIntervals(ctx, from, to);
  const bays = ctx.settings.int('shop.bays');
  return { day, bays, open: ctx.settings.get('shop.open'), close: ctx.settings.get('shop.close'), slots: daySlots(day, shopHours(ctx), bays, busy) };
}

/** Start times on `day` where a booking of `minutes` fits now (for the desk's slot picker). */
export async function freeStartsOn(ctx: Ctx, day: Day, minutes: number): Promise<Date[]> {
  const [from] = dayRange(day, ctx.tz);
  const to = toIso(dayStart(addDays(day, 2), ctx.tz));
  const busy = await busyIntervals(ctx, from, to);
  const bays = ctx.settings.int('shop.bays');
  return dayStarts(day, shopHours(ctx)).filter(
    (s) => s.getTime() >= ctx.now.getTime() && fits({ start: s.getTime(), end: s.getTime() + minutes * 60_000 }, busy, bays),
  );
}
