/**
 * The shop as it is (SPEC §10, §16 "Capacity and the board"), the pure part: how long a car in the
 * shop holds a bay, and where each open order stands against its promised time. No clock, no database.
 */

export interface OrderInShop {
  status: string;
  opened_at: string;
  promised_at: string | null;
}

/** Statuses in which a car holds a bay: a `ready` car waits for its owner in the car park. */
export const HOLDING = ['open', 'approved', 'in_progress'] as const;

/**
 * The interval a car in the shop holds one bay: from its opening until max(promised time, now), or
 * until max(opening + `minutes`, now) without a promised time; null when it holds none.
 */
export function bayHold(o: OrderInShop, now: number, minutes: number): { start: number; end: number } | null {
  if (!(HOLDING as readonly string[]).includes(o.status)) return null;
  const start = Date.parse(o.opened_at);
  const planned = o.promised_at ? Date.parse(o.promised_at) : start + minutes * 60_000;
  return { start, end: Math.max(planned, now, start + 60_000) };
}

export interface BoardState {
  /** promised − at, in minutes (negative when overdue); null without a promised time */
  minutes_left: number | null;
  overdue: boolean;
  /** share of the planned time (opened → promised) used at `at`, 0..∞; null without a promised time */
  used: number | null;
  /** past 75 % of its planned time and not yet ready: the advisor should check (the seeds' 70–80 %) */
  check: boolean;
}

export const CHECK_SHARE = 0.75;

export function boardState(o: OrderInShop, at: number): BoardState {
  if (!o.promised_at) return { minutes_left: null, overdue: false, used: null, check: false };
  const opened = Date.parse(o.opened_at);
  const promised = Date.parse(o.promised_at);
  const planned = promised - opened;
  const used = planned > 0 ? (at - opened) / planned : at >= promised ? Infinity : 0;
  const noProgress = o.status !== 'ready';
  return {
    minutes_left: Math.floor((promised - at) / 60_000),
    overdue: at > promised,
    used,
    check: noProgress && used >= CHECK_SHARE,
  };
}

/** `2h 05m`, `-1h 30m` (overdue) for the board. */
export function formatMinutes(m: number): string {
  const sign = m < 0 ? '-' : '';
  const a = Math.abs(m);
  return `${sign}${Math.floor(a / 60)}h ${String(a % 60).padStart(2, '0')}m`;
}

/** Hours past `due`, at `at`, with one decimal, rounded down (a re-run at the same moment gives the same number). */
export function overdueHours(due: number, at: number): number {
  return Math.floor((at - due) / 360_000) / 10;
}
