/**
 * maintenance-due against a naive reference on random shops: for every vehicle, the lead's per-vehicle
 * nextServiceDue (src/app/vehicles.ts, all its readings) and the exclusions checked one by one. The job's
 * SQL only narrows the candidates with bounds; this shows the bounds never drop a vehicle that is due.
 */
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/app/context.js';
import job from '../../jobs/maintenance-due.js';
import { nextServiceDue } from '../../src/app/vehicles.js';
import type { DbVehicle } from '../../src/db/vehicles.js';
import { inDueWindow } from '../../src/domain/maintenance.js';
import { addDays, dayRange } from '../../src/domain/time.js';
import { testCtx } from '../helpers.js';
import { at, collect, customer, insert, order, setSettings, vehicle } from './jobs-b-helpers.js';
import { rng } from '../fuzz/nasty.js';


const D = '2026-11-23';

async function randomShop(ctx: Ctx, seed: number, vehicles: number): Promise<void> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const time = (day: string) => `${day} ${pick(['00:05', '07:59', '08:00', '12:30', '16:10', '23:55'])}`;
  await ctx.db.exec('BEGIN');
  for (let i = 0; i < vehicles; i++) {
    const c = await customer(ctx, `客户${i}`, { do_not_contact: r() < 0.05 ? 1 : 0 });
    const added = addDays(D, -int(-5, 900));
    const carried = r() < 0.3 ? addDays(added, -int(0, 400)) : null;
    const v = await vehicle(ctx, c, `京B${String(i).padStart(5, '0')}`, {
      active: r() < 0.05 ? 0 : 1,
      added_on: added,
      initial_km: r() < 0.8 ? int(0, 80000) : null,
      last_service_on: carried,
      last_service_km: carried && r() < 0.9 ? int(0, 60000) : null,
      interval_km: r() < 0.2 ? pick([3000, 10000, 20000]) : null,
      interval_months: r() < 0.2 ? pick([3, 12]) : null,
    });
    let km = int(0, 90000);
    let day = addDays(added, int(0, 200));
    const orders = int(0, 4);
    for (let k = 0; k < orders && day <= addDays(D, 3); k++) {
      const status = r() < 0.8 ? 'delivered' : pick(['cancelled', 'open', 'in_progress', 'ready']);
      await order(ctx, v, {
        opened: time(day),
        km,
        status,
        category: r() < 0.6 ? 'maintenance' : 'repair',
        delivered: status === 'delivered' ? time(addDays(day, int(0, 2))) : null,
      });
      const gap = int(1, 220);
      km += Math.max(0, Math.round(gap * pick([0, 10, 40, 80, 150, 400]) * (r() < 0.05 ? -1 : 1)));
      day = addDays(day, gap);
    }
    if (r() < 0.1) {
      const start = at(time(addDays(D, int(-3, 10))));
      await insert(ctx, 'bookings', { vehicle_id: v, customer_id: c, scheduled_at: start, ends_at: start, minutes: 60, status: pick(['booked', 'confirmed', 'cancelled', 'no_show']), created_at: at('2026-01-01 09:00') });
    }
    if (r() < 0.1) await insert(ctx, 'job_listings', { job: 'maintenance-due', run_key: addDays(D, -int(0, 40)), subject_id: v });
  }
  await ctx.db.exec('COMMIT');
}

/** One vehicle at a time, no bounds: what the list should be. */
async function reference(ctx: Ctx, day: string): Promise<string[]> {
  const s = ctx.settings;
  const [dayStart] = dayRange(day, ctx.tz);
  const cooldown = s.int('maintenance.cooldown_days');
  const out: string[] = [];
  for (const v of await ctx.db.all<DbVehicle & { dnc: number }>('SELECT v.*, c.do_not_contact AS dnc FROM vehicles v JOIN customers c ON c.id = v.customer_id')) {
    if (!v.active || v.dnc) continue;
    if (await ctx.db.get(`SELECT 1 FROM orders WHERE vehicle_id = ? AND status NOT IN ('delivered', 'cancelled')`, [v.id])) continue;
    if (await ctx.db.get(`SELECT 1 FROM bookings WHERE vehicle_id = ? AND scheduled_at >= ? AND status IN ('booked', 'confirmed')`, [v.id, dayStart])) continue;
    if (cooldown > 0 && await ctx.db.get(`SELECT 1 FROM job_listings WHERE job = 'maintenance-due' AND subject_id = ? AND run_key BETWEEN ? AND ?`, [v.id, addDays(day, -cooldown), addDays(day, -1)])) continue;
    const due = await nextServiceDue(ctx, v, day);
    if (!inDueWindow(due.dueOn, day, s.int('maintenance.lead_days'), s.int('maintenance.overdue_days'))) continue;
    out.push(`${v.plate} ${due.lastService.on} ${due.lastService.km} ${due.estimatedKm} ${due.dueOn} ${due.dueBy} ${due.daysUntilDue}`);
  }
  return out.sort();
}

describe('maintenance-due on random shops equals the one-vehicle-at-a-time reference', () => {
  it.each([
    [1, 'Asia/Shanghai', {}],
    [2, 'America/New_York', {}],
    [3, 'Asia/Shanghai', { 'maintenance.lead_days': '3', 'maintenance.overdue_days': '2', 'maintenance.cooldown_days': '0' }],
    [4, 'Australia/Lord_Howe', { 'maintenance.daily_km': '0', 'maintenance.interval_months': '12' }],
    [5, 'Asia/Kathmandu', { 'maintenance.daily_km': '200', 'maintenance.interval_km': '500', 'maintenance.overdue_days': '365' }],
    [6, 'Asia/Shanghai', {}],
    [7, 'Pacific/Chatham', { 'maintenance.lead_days': '30', 'maintenance.daily_km': '10' }],
    [8, 'America/St_Johns', { 'maintenance.cooldown_days': '5', 'maintenance.interval_months': '3' }],
  ] as const)('seed %i, %s, %j', async (seed, zone, settings) => {
    const ctx = await testCtx(`${D} 10:00`);
    try {
      await setSettings(ctx, { 'shop.timezone': zone, ...settings });
      await randomShop(ctx, seed, 400);
      let listed = 0;
      for (const day of [D, addDays(D, 17), addDays(D, -45)]) {
        const expected = await reference(ctx, day);
        const rows = await collect(job, ctx, day);
        const got = rows.map((x) => `${x.plate} ${x.last_service_on} ${x.last_service_km} ${x.estimated_km} ${x.due_on} ${x.due_by} ${x.days_until_due}`);
        expect([...got].sort()).toEqual(expected);
        listed += got.length;
        if (process.env.SHOW_COUNTS) console.log(seed, day, got.length);
      }
      expect(listed).toBeGreaterThan(5); // the lists are not empty
    } finally {
      await ctx.db.close();
    }
  });
});
