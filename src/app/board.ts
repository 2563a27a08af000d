/**
 * `pitstop board` (SPEC §10): the work in progress — every open order with its stage, technician,
 * promised time and time left or overdue, and the ones past 75 % of their planned time with no progress.
 */
import type { Ctx } from './context.js';
import { dayRange, formatClock, localDay, parseClock, parseDay, parseLocalDateTime, type Day } from '../domain/time.js';
import { boardState, type BoardState } from '../domain/board.js';
import { boardRows, type BoardRow } from '../db/corrections.js';

export interface Board {
  day: Day;
  /** the moment the board is measured at: now for today, else the day's closing time */
  at: string;
  orders: Array<BoardRow & BoardState>;
  check: Array<BoardRow & BoardState>;
}

export async function showBoard(ctx: Ctx, date?: string): Promise<Board> {
  const today = localDay(ctx.now, ctx.tz);
  const day = date ? parseDay('date', date) : today;
  const close = formatClock(parseClock('shop.close', ctx.settings.get('shop.close')));
  const at = day === today ? ctx.now : parseLocalDateTime('date', `${day} ${close}`, ctx.tz);
  const [, to] = dayRange(day, ctx.tz);
  const rows = await boardRows(ctx.db, day === today ? at.toISOString() : to);
  const orders = rows.map((r) => ({ ...r, ...boardState(r, at.getTime()) }));
  return { day, at: at.toISOString(), orders, check: orders.filter((o) => o.check) };
}
