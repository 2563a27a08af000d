/**
 * Booking rules (SPEC §5.1), pure: capacity (half-open intervals against shop.bays), opening hours,
 * the nearest free start times, the deposit minimum, the status machine and the no-show rule.
 * Instants are epoch milliseconds; shop-local clock times are minutes after midnight.
 */
import { conflict, invalid } from './errors.js';
import { addDays, formatLocal, localDay, localMinutes, parseLocalDateTime, formatClock, type Day } from './time.js';
import { count } from './words.js';

export const BOOKING_STATUSES = ['booked', 'confirmed', 'arrived', 'cancelled', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['booked', 'confirmed'];

export const BOOKING_SOURCES = ['phone', 'walk_in', 'online', 'reminder', 'shop'] as const;
export type BookingSource = (typeof BOOKING_SOURCES)[number];

/** Slot grid of `booking slots` and of the nearest-free-start search. */
export const SLOT_MINUTES = 30;
/** How far forward the nearest-free-start search looks. */
export const SEARCH_DAYS = 14;

/** [start, end) in epoch ms. */
export interface Interval {
  start: number;
  end: number;
}

export function parseSource(text: string | undefined): BookingSource {
  const s = (text ?? 'phone').normalize('NFKC').trim().toLowerCase().replace(/-/g, '_');
  if ((BOOKING_SOURCES as readonly string[]).includes(s)) return s as BookingSource;
  throw invalid('source', text, `expected one of ${BOOKING_SOURCES.join(', ')}`);
}

export function parseStatus(text: string): BookingStatus {
  const s = text.normalize('NFKC').trim().toLowerCase().replace(/-/g, '_');
  if ((BOOKING_STATUSES as readonly string[]).includes(s)) return s as BookingStatus;
  throw invalid('status', text, `expected one of ${BOOKING_STATUSES.join(', ')}`);
}

export function parseMinutes(text: string): number {
  const s = String(text).normalize('NFKC').trim();
  if (!/^\d+$/.test(s) || +s < 5 || +s > 1440) throw invalid('minutes', text, 'expected a whole number of minutes from 5 to 1440');
  return +s;
}

/** Half-open: one ending exactly when the other starts does not overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * The most of `others` running at one moment inside `candidate`. The peak is reached at the start of
 * some interval (the candidate's or one of the others'), so only those moments are counted.
 */
export function peakOverlap(candidate: Interval, others: readonly Interval[]): number {
  const hits = others.filter((o) => overlaps(candidate, o));
  let peak = 0;
  for (const p of [candidate.start, ...hits.map((h) => h.start)]) {
    if (p < candidate.start || p >= candidate.end) continue;
    let n = 0;
    for (const h of hits) if (h.start <= p && p < h.end) n++;
    if (n > peak) peak = n;
  }
  return peak;
}

/** Does `candidate` fit beside the active `others` with `bays` bays? */
export function fits(candidate: Interval, others: readonly Interval[], bays: number): boolean {
  return peakOverlap(candidate, others) < bays;
}

/** open ≤ start < close, in minutes after local midnight (a booking may run past closing). */
export function withinHours(startMinutes: number, open: number, close: number): boolean {
  return startMinutes >= open && startMinutes < close;
}

export interface Hours {
  open: number;
  close: number;
  tz: string;
}

/** Start times of one shop-local day: every SLOT_MINUTES from opening, before closing. */
export function dayStarts(day: Day, hours: Hours): Date[] {
  const starts: Date[] = [];
  for (let m = hours.open; m < hours.close; m += SLOT_MINUTES) {
    try {
      starts.push(parseLocalDateTime('at', `${day} ${formatClock(m)}`, hours.tz));
    } catch {
      // a local time skipped by a daylight-saving change: no slot
    }
  }
  return starts;
}

export interface FreeStartQuery {
  /** the requested start */
  at: Date;
  minutes: number;
  bays: number;
  hours: Hours;
  /** nothing before this moment (the command's now) */
  notBefore: Date;
  /** active bookings over the searched days (excluding the one being moved) */
  busy: readonly Interval[];
  count?: number;
  days?: number;
}

/**
 * The free start times nearest to the requested one: the half-hour grid within opening hours of the
 * requested day (both directions) and the following days, never in the past, nearest first (an earlier
 * time first on a tie).
 */
export function nearestFreeStarts(q: FreeStartQuery): Date[] {
  const count = q.count ?? 3;
  const first = localDay(q.at, q.hours.tz);
  const candidates: Date[] = [];
  for (let i = 0; i < (q.days ?? SEARCH_DAYS); i++) {
    for (const s of dayStarts(addDays(first, i), q.hours)) {
      if (s.getTime() < q.notBefore.getTime() || s.getTime() === q.at.getTime()) continue;
      if (fits({ start: s.getTime(), end: s.getTime() + q.minutes * 60_000 }, q.busy, q.bays)) candidates.push(s);
    }
  }
  const target = q.at.getTime();
  candidates.sort((a, b) => Math.abs(a.getTime() - target) - Math.abs(b.getTime() - target) || a.getTime() - b.getTime());
  return candidates.slice(0, count);
}

export interface SlotRow {
  /** shop-local HH:mm */
  time: string;
  start: Date;
  /** most bookings running at one moment in this half hour */
  booked: number;
  free: number;
}

/** Free capacity by half hour over the opening hours of a day. */
export function daySlots(day: Day, hours: Hours, bays: number, busy: readonly Interval[]): SlotRow[] {
  return dayStarts(day, hours).map((start) => {
    const booked = peakOverlap({ start: start.getTime(), end: start.getTime() + SLOT_MINUTES * 60_000 }, busy);
    return { time: formatClock(localMinutes(start, hours.tz)), start, booked, free: Math.max(0, bays - booked) };
  });
}

export interface PlacementProblem {
  kind: 'past' | 'hours' | 'capacity';
  message: string;
}

/**
 * Check a start time: not in the past (never forceable), within opening hours and capacity (both
 * forceable). Returns the problems --force let through, for the audit log; throws exit 4 otherwise.
 */
export function checkPlacement(q: FreeStartQuery & { force: boolean }): string[] {
  const { tz, open, close } = q.hours;
  const shown = formatLocal(q.at, tz);
  if (q.at.getTime() < q.notBefore.getTime()) {
    throw conflict(`booking time ${shown} is in the past (now ${formatLocal(q.notBefore, tz)})`);
  }
  const forced: string[] = [];
  const start = localMinutes(q.at, tz);
  if (!withinHours(start, open, close)) {
    const msg = `booking time ${shown} is outside opening hours: a booking must start from ${formatClock(open)} and before ${formatClock(close)} (shop.open, shop.close)`;
    if (!q.force) throw conflict(`${msg}; use --force to book anyway`);
    forced.push(`outside opening hours (${shown})`);
  }
  const candidate = { start: q.at.getTime(), end: q.at.getTime() + q.minutes * 60_000 };
  const peak = peakOverlap(candidate, q.busy);
  if (peak >= q.bays) {
    if (!q.force) {
      const near = nearestFreeStarts(q).map((d) => formatLocal(d, tz));
      const hint = near.length ? `nearest free start times: ${near.join(', ')}` : `no free start time in the next ${count(q.days ?? SEARCH_DAYS, 'day')}`;
      throw conflict(`booking slot ${shown} (${q.minutes} min) is full: ${peak} of ${q.bays} bays booked (shop.bays); ${hint}`);
    }
    forced.push(`over capacity (${peak + 1} bookings overlap, shop.bays ${q.bays})`);
  }
  return forced;
}

/**
 * Minimum deposit for special-order parts: ceil(parts value × ratio) in cents. The ratio is the setting
 * text (up to 4 decimals), computed in integers so 0.3 × 333.33 never meets a float.
 */
export function minimumDeposit(partsValueCents: number, ratioText: string): number {
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(ratioText.trim());
  if (!m) throw invalid('booking.deposit_ratio', ratioText, 'expected a share from 0 to 1, like 0.5');
  const scaled = BigInt(m[1]!) * 10000n + BigInt((m[2] ?? '').padEnd(4, '0'));
  const product = BigInt(partsValueCents) * scaled;
  return Number((product + 9999n) / 10000n);
}

/** null when the deposit covers the minimum, else the minimum in cents. */
export function depositShortfall(partsValueCents: number, depositCents: number, ratioText: string): number | null {
  const min = minimumDeposit(partsValueCents, ratioText);
  return depositCents >= min ? null : min;
}

export type BookingAction = 'confirm' | 'arrive' | 'cancel' | 'no_show' | 'move';

const ALLOWED: Record<BookingAction, readonly BookingStatus[]> = {
  confirm: ['booked'],
  arrive: ['booked', 'confirmed'],
  cancel: ['booked', 'confirmed'],
  no_show: ['booked', 'confirmed'],
  move: ['booked', 'confirmed'],
};

const RESULT: Record<BookingAction, BookingStatus | null> = {
  confirm: 'confirmed',
  arrive: 'arrived',
  cancel: 'cancelled',
  no_show: 'no_show',
  move: null,
};

/** booked → confirmed → arrived; booked|confirmed → cancelled | no_show. Returns the new status or throws exit 4. */
export function transition(id: number, from: BookingStatus, action: BookingAction): BookingStatus {
  if (!ALLOWED[action].includes(from)) {
    const verb = { confirm: 'confirmed', arrive: 'checked in', cancel: 'cancelled', no_show: 'marked no-show', move: 'moved' }[action];
    throw conflict(`booking ${id} is ${from}: only a ${ALLOWED[action].join(' or ')} booking can be ${verb}`);
  }
  return RESULT[action] ?? from;
}

/** A booking not checked in `noShowMinutes` after its start (at or past start + minutes) is a no-show. */
export function isNoShow(status: BookingStatus, scheduledAt: number, noShowMinutes: number, at: number): boolean {
  return (status === 'booked' || status === 'confirmed') && scheduledAt + noShowMinutes * 60_000 <= at;
}

/** The latest start that is a no-show at `at`: start ≤ cutoff. */
export function noShowCutoff(at: Date, noShowMinutes: number): Date {
  return new Date(at.getTime() - noShowMinutes * 60_000);
}
