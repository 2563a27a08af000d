/**
 * no-shows (SPEC §5.1): marks bookings not checked in booking.no_show_minutes after their start
 * (markNoShows, src/app/bookings.ts). Writes no file; the row count is the number of bookings marked.
 * For a past run date the cut-off is the end of that day, never later than now.
 */
import type { JobDefinition } from './types.js';
import { addDays, dayStart } from '../src/domain/time.js';

export default {
  name: 'no-shows',
  cadence: 'daily',
  columns: [],
  async *rows() {},
  async execute({ ctx, day }) {
    const endOfDay = dayStart(addDays(day, 1), ctx.tz);
    const at = endOfDay.getTime() < ctx.now.getTime() ? endOfDay : ctx.now;
    const { markNoShows } = await import('../src/app/bookings.js');
    return (await markNoShows(ctx, at)).length;
  },
} satisfies JobDefinition;
