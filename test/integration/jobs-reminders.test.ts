import { describe, expect, it } from 'vitest';
import { expectGolden, expectNoBigScan, planOf, seededCtx } from './jobs-golden.js';
import { SQL } from '../../jobs/appointment-reminders.js';
import { runJob } from '../../src/app/jobs.js';
import { tempDir } from '../helpers.js';
import fs from 'node:fs';

describe('appointment-reminders (§6.1)', () => {
  it('lists D+1 bookings booked/confirmed by start then id; skips do-not-contact, deactivated, cancelled, other days', async () => {
    const ctx = await seededCtx();
    const { rows } = await expectGolden(ctx, 'appointment-reminders', 'appointment-reminders-2026-11-23.csv');
    expect(rows).toBe(5);
    await ctx.db.close();
  });

  it('English messages and labels when locale=en, csv.headers=labels; no BOM when csv.bom=false', async () => {
    const ctx = await seededCtx();
    for (const [key, value] of [['locale', 'en'], ['csv.headers', 'labels'], ['csv.bom', 'false']]) {
      await ctx.db.run('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)', [key, value]);
    }
    const { refreshSettings } = await import('../../src/app/context.js');
    await refreshSettings(ctx);
    const r = await runJob(ctx, 'appointment-reminders', { out: tempDir() });
    const text = fs.readFileSync(r.file!, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Booking,Scheduled at,Customer,Phone,Plate,Model,Service,Advisor,Deposit,Message,Last contact');
    expect(lines[1]).toBe(
      '10,2026-11-24 00:00,赵六,13800000005,沪A10010,,洗车,王顾问,0.00,"Hello 赵六, 顺达汽修 reminds you of your appointment for 沪A10010 at 2026-11-24 00:00 for 洗车. Please bring the vehicle documents, the anti-theft code, the wheel-lock key and the service records. To reschedule call 021-5555 0000.",',
    );
    await ctx.db.close();
  });

  it('reads one day of bookings through the index', async () => {
    const ctx = await seededCtx();
    expectNoBigScan(await planOf(ctx, SQL, ['2026-11-23T16:00:00.000Z', '2026-11-24T16:00:00.000Z']));
    await ctx.db.close();
  });
});
