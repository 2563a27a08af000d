/**
 * no-shows (SPEC §5.1): marks bookings not checked in booking.no_show_minutes after their start.
 * Writes no file; the row count is the number of bookings marked. For a past run date the cut-off is
 * the end of that day, never later than now.
 */
import type { JobDefinition } from './types.js';
import type { Ctx } from '../src/app/context.js';
import { addDays, dayStart } from '../src/domain/time.js';

type MarkNoShows = (ctx: Ctx, at: Date) => Promise<number[]>;

// src/app/bookings.ts belongs to the bookings feature; loaded when the job runs.
const BOOKINGS = '../src/app/bookings.js';

export default {
  name: 'no-shows',
  cadence: 'daily',
  columns: [],
  // eslint-disable-next-line require-yield
  async *rows() {},
  async execute({ ctx, day }) {
    const endOfDay = dayStart(addDays(day, 1), ctx.tz);
    const at = endOfDay.getTime() < ctx.now.getTime() ? endOfDay : ctx.now;
    const { markNoShows } = (await import(BOOKINGS)) as { markNoShows: MarkNoShows };
    const marked = await markNoShows(ctx, at);
    return marked.length;
  },
} satisfies JobDefinition;
