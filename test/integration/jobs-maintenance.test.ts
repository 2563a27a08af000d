/**
 * maintenance-due (SPEC §6.3) on a hand-built shop: the expected file fixtures/golden-b/maintenance-due-2026-11-23.csv
 * was worked out by hand (see the comments on each vehicle below), not produced by the code.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import job from '../../jobs/maintenance-due.js';
import { testCtx, tempDir } from '../helpers.js';
import { at, collect, csvText, customer, fileText, golden, insert, order, setSettings, vehicle } from './jobs-b-helpers.js';

const D = '2026-11-23';

/** Vehicle i belongs to 车主i, phone 139000000ii (customers are created in plate order). */
async function shop(ctx: Ctx): Promise<Record<number, number>> {
  await setSettings(ctx, {
    'shop.name': '星辰汽车',
    'shop.phone': '010-88886666',
    'message.maintenance.zh-CN': '{customer}:{plate} {due_on} {estimated_km}km {shop} {phone}',
  });
  const ids: Record<number, number> = {};
  for (let i = 1; i <= 17; i++) {
    const c = await customer(ctx, `车主${i}`, i === 10 ? { do_not_contact: 1 } : {});
    ids[i] = await vehicle(ctx, c, `京A100${String(i).padStart(2, '0')}`, {
      model: i === 4 ? null : i % 2 ? '帕萨特' : 'Golf',
      active: i === 11 ? 0 : 1,
    });
  }
  // default rule: 5000 km / 6 months, 40 km/day without 30 days of readings; window D − 60 … D + 14
  // 1: serviced 05-23 at 20000 km, one reading → 40/day → due 05-23 + 125 d = 09-25 (mileage), −59 days;
  //    estimated 20000 + 40 × 184 = 27360
  await order(ctx, ids[1]!, { opened: '2026-05-23 09:00', delivered: '2026-05-23 16:00', km: 20000, category: 'maintenance' });
  // 2: serviced 05-22 → due 09-24 = D − 60 exactly: listed; estimated 20000 + 40 × 185 = 27400
  await order(ctx, ids[2]!, { opened: '2026-05-22 09:00', delivered: '2026-05-22 16:00', km: 20000, category: 'maintenance' });
  // 3: serviced 05-21 → due 09-23 = D − 61: not listed
  await order(ctx, ids[3]!, { opened: '2026-05-21 09:00', delivered: '2026-05-21 16:00', km: 20000, category: 'maintenance' });
  // 4: delivered 05-22 07:30 shop time = 05-21 23:30 UTC: the shop's day counts → like 2
  await order(ctx, ids[4]!, { opened: '2026-05-22 07:00', delivered: '2026-05-22 07:30', km: 20000, category: 'maintenance' });
  // 5: carried-over service 06-07, own interval 100000 km → due by time 12-07 = D + 14: listed;
  //    estimated 1000 + 40 × 169 = 7760
  await ctx.db.run(`UPDATE vehicles SET initial_km = 1000, added_on = '2026-06-07', last_service_on = '2026-06-07', last_service_km = 1000, interval_km = 100000 WHERE id = ?`, [ids[5]!]);
  // 6: the same from 06-08 → 12-08 = D + 15: not listed
  await ctx.db.run(`UPDATE vehicles SET initial_km = 1000, added_on = '2026-06-08', last_service_on = '2026-06-08', last_service_km = 1000, interval_km = 100000 WHERE id = ?`, [ids[6]!]);
  // 7–14: carried-over service 06-01 → due by time 12-01, +8 days, estimated 1000 + 40 × 175 = 8000, unless excluded
  for (let i = 7; i <= 14; i++) {
    await ctx.db.run(`UPDATE vehicles SET initial_km = 1000, added_on = '2026-06-01', last_service_on = '2026-06-01', last_service_km = 1000, interval_km = 100000 WHERE id = ?`, [ids[i]!]);
  }
  const booking = async (v: number, start: string, status: string) => {
    const c = (await ctx.db.get<{ customer_id: number }>('SELECT customer_id FROM vehicles WHERE id = ?', [v]))!.customer_id;
    await insert(ctx, 'bookings', { vehicle_id: v, customer_id: c, scheduled_at: at(start), ends_at: at(start), minutes: 60, status, created_at: at('2026-11-01 09:00') });
  };
  // 7: a confirmed booking starting on D itself (before "now"): not listed
  await booking(ids[7]!, '2026-11-23 08:30', 'confirmed');
  // 8: only a cancelled booking ahead and a booked one in the past: listed
  await booking(ids[8]!, '2026-11-25 09:00', 'cancelled');
  await booking(ids[8]!, '2026-11-22 09:00', 'booked');
  // 9: an order in progress: not listed
  await order(ctx, ids[9]!, { opened: '2026-11-20 09:00', km: 5000, status: 'in_progress' });
  // 10: owner is do-not-contact; 11: deactivated — neither listed
  // 12: listed on D − 30 (inside the cooldown): not listed; 13: listed on D − 31: listed; 14: listed on D (a re-run): listed
  for (const [v, key] of [[12, '2026-10-24'], [13, '2026-10-23'], [14, D]] as const) {
    await insert(ctx, 'job_listings', { job: 'maintenance-due', run_key: key, subject_id: ids[v]! });
  }
  // 15: readings 02-01 18000 and 08-01 30000 (181 days) → 12000/181 km/day → due 08-01 + ceil(5000 × 181 / 12000) = +76
  //     = 10-16 (mileage), −38; estimated 30000 + 12000 × 114 / 181 = 37558.01 → 37558; the cancelled order's km is no reading
  await order(ctx, ids[15]!, { opened: '2026-02-01 09:00', delivered: '2026-02-01 17:00', km: 18000 });
  await order(ctx, ids[15]!, { opened: '2026-08-01 09:00', delivered: '2026-08-01 17:00', km: 30000, category: 'maintenance' });
  await order(ctx, ids[15]!, { opened: '2026-09-01 09:00', km: 99999, status: 'cancelled' });
  // 16: a reading on D − 366 (2025-11-22) does not count → 40/day → due 07-01 + 125 = 11-03, −20; estimated 50000 + 40 × 145
  await order(ctx, ids[16]!, { opened: '2025-11-22 09:00', delivered: '2025-11-22 17:00', km: 40000 });
  await order(ctx, ids[16]!, { opened: '2026-07-01 09:00', delivered: '2026-07-01 17:00', km: 50000, category: 'maintenance' });
  // 17: last serviced 2025-01-10: due long ago, far past the overdue window
  await order(ctx, ids[17]!, { opened: '2025-01-10 09:00', delivered: '2025-01-10 17:00', km: 10000, category: 'maintenance' });
  return ids;
}

describe('maintenance-due job', () => {
  it('lists what the hand-worked golden file says, in due_on, plate order', async () => {
    const ctx = await testCtx(`${D} 10:00`);
    try {
      await shop(ctx);
      const rows = await collect(job, ctx, D);
      expect(csvText(ctx, job, rows)).toBe(golden('maintenance-due-2026-11-23.csv'));
    } finally {
      await ctx.db.close();
    }
  });

  it('through the runner: writes the file, records the listing, and the cooldown keeps them off the next day', async () => {
    const { runJob } = await import('../../src/app/jobs.js');
    const ctx = await testCtx(`${D} 10:00`);
    const out = tempDir();
    try {
      const ids = await shop(ctx);
      const first = await runJob(ctx, 'maintenance-due', { date: D, out });
      expect(first.rows).toBe(9);
      expect(fileText(first.file!)).toBe(golden('maintenance-due-2026-11-23.csv'));
      const bytes = (await import('node:fs')).readFileSync(first.file!);
      // a re-run on the same data rewrites the same bytes (vehicles it listed on D itself stay listed)
      const again = await runJob(ctx, 'maintenance-due', { date: D, out });
      expect((await import('node:fs')).readFileSync(again.file!).equals(bytes)).toBe(true);
      const listed = await ctx.db.all<{ subject_id: number }>(`SELECT subject_id FROM job_listings WHERE job = 'maintenance-due' AND run_key = ? ORDER BY subject_id`, [D]);
      expect(listed.map((r) => r.subject_id)).toEqual([1, 2, 4, 5, 8, 13, 14, 15, 16].map((i) => ids[i]!));
      // the next day every one of them is in its cooldown; 京A10006 (due 12-08) enters the window,
      // 京A10007's booking is now in the past and 京A10012's listing (10-24) is 31 days back
      const next = await collect(job, ctx, '2026-11-24');
      expect(next.map((r) => r.plate)).toEqual(['京A10007', '京A10012', '京A10006']);
      // 31 days after D (cooldown 11-24 … 12-23) the ones still in the window [10-25, 2027-01-07] come back
      const later = await collect(job, ctx, '2026-12-24');
      expect(later.map((r) => r.plate)).toEqual(['京A10016', '京A10007', '京A10008', '京A10012', '京A10013', '京A10014', '京A10005', '京A10006']);
      // and on D + 30 the listing of D still holds them off
      const edge = await collect(job, ctx, '2026-12-23');
      expect(edge.map((r) => r.plate)).toEqual(['京A10007', '京A10012', '京A10006']);
    } finally {
      await ctx.db.close();
    }
  });
});
