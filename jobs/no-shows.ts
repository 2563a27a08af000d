/**
 * no-shows (SPEC §5.1): marks bookings not checked in booking.no_show_minutes after their start.
 * Writes no file; the row count is the number of bookings marked. For a past run date the cut-off is
 * the end of that day, never later than now. Query and writes: src/db/bookings.ts; rule:
 * src/domain/booking.ts (isNoShow).
 */
import type { JobContext, JobDefinition } from './types.js';
import { activeStartedBy, setBookingsStatus } from '../src/db/bookings.js';
import { writeAudit } from '../src/db/audit.js';
import { isNoShow, noShowCutoff, type BookingStatus } from '../src/domain/booking.js';
import { addDays, dayStart, toIso } from '../src/domain/time.js';

/**
 * Mark as no_show every booked/confirmed booking whose start + booking.no_show_minutes ≤ `at`
 * (audited, one row each). Returns their ids, oldest first. (`markNoShows` in src/app/bookings.ts.)
 */
export async function markNoShows(ctx: Pick<JobContext, 'db' | 'settings' | 'now' | 'actor'>, at: Date): Promise<number[]> {
  const minutes = ctx.settings.int('booking.no_show_minutes');
  return ctx.db.transaction(async (db) => {
    const rows = await activeStartedBy(db, toIso(noShowCutoff(at, minutes)));
    const ids = rows.filter((r) => isNoShow(r.status as BookingStatus, Date.parse(r.scheduled_at), minutes, at.getTime())).map((r) => r.id);
    await setBookingsStatus(db, ids, 'no_show');
    for (const id of ids) {
      await writeAudit(ctx.db, { at: toIso(ctx.now), actor: ctx.actor, action: 'no_show', entity: 'booking', entityId: id, details: { at: toIso(at), no_show_minutes: minutes } });
    }
    return ids;
  });
}

export default {
  name: 'no-shows',
  columns: [],
  async *rows() {},
  async execute({ ctx, day }) {
    const endOfDay = dayStart(addDays(day, 1), ctx.tz);
    const at = endOfDay.getTime() < ctx.now.getTime() ? endOfDay : ctx.now;
    return (await markNoShows(ctx, at)).length;
  },
} satisfies JobDefinition;
