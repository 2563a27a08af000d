import { describe, expect, it } from 'vitest';
// The foundation's rule of SPEC §6.3 (lastServiceOf, dailyKmOf, serviceDue); the job's tables are in maintenance.test.ts.
import { dailyKmOf, lastServiceOf, serviceDue, type LastService } from '../../src/domain/maintenance.js';

const last = (on: string, km: number): LastService => ({ on, km, source: 'order' });

describe('lastServiceOf', () => {
  const vehicle = { last_service_on: '2026-03-01', last_service_km: 30000, added_on: '2025-01-10', initial_km: 10000 };
  it('prefers the latest delivered maintenance order', () => {
    expect(lastServiceOf({ delivered_on: '2026-06-01', mileage_in: 35000 }, vehicle)).toEqual({ on: '2026-06-01', km: 35000, source: 'order' });
  });
  it('else the carried-over service', () => {
    expect(lastServiceOf(null, vehicle)).toEqual({ on: '2026-03-01', km: 30000, source: 'carried_over' });
  });
  it('else the day the vehicle was added', () => {
    expect(lastServiceOf(null, { ...vehicle, last_service_on: null, last_service_km: null })).toEqual({ on: '2025-01-10', km: 10000, source: 'added' });
  });
});

describe('dailyKmOf', () => {
  it('measures from readings spanning 30 days or more', () => {
    expect(dailyKmOf([{ on: '2026-10-01', km: 10000 }, { on: '2026-10-31', km: 11500 }], '2026-11-23', 40)).toEqual({ km: 1500, days: 30, measured: true });
  });
  it('falls back to the default under 30 days of history', () => {
    expect(dailyKmOf([{ on: '2026-10-02', km: 10000 }, { on: '2026-10-31', km: 11500 }], '2026-11-23', 40)).toEqual({ km: 40, days: 1, measured: false });
  });
  it('falls back with a single reading', () => {
    expect(dailyKmOf([{ on: '2026-01-01', km: 10000 }], '2026-11-23', 40).measured).toBe(false);
  });
  it('ignores readings older than 365 days and after D', () => {
    const readings = [
      { on: '2024-01-01', km: 0 }, // too old: would make the rate tiny
      { on: '2026-01-01', km: 20000 },
      { on: '2026-11-01', km: 30000 },
      { on: '2026-12-01', km: 99999 }, // after D
    ];
    expect(dailyKmOf(readings, '2026-11-23', 40)).toEqual({ km: 10000, days: 304, measured: true });
  });
  it('uses the earliest and latest reading in the window', () => {
    expect(dailyKmOf([{ on: '2026-11-01', km: 3000 }, { on: '2026-06-01', km: 1000 }, { on: '2026-09-01', km: 2000 }], '2026-11-23', 40)).toEqual({
      km: 2000, days: 153, measured: true,
    });
  });
});

describe('serviceDue', () => {
  const base = { intervalKm: 5000, intervalMonths: 6, defaultDailyKm: 40 };

  it('without 30 days of readings, the default daily km gives the mileage date', () => {
    // 40 km/day → 5000 km in 125 days (2026-08-04); 6 months → 2026-07-31
    const due = serviceDue({ ...base, day: '2026-05-01', lastService: last('2026-01-31', 10000), readings: [] });
    expect(due.dueByTime).toBe('2026-07-31');
    expect(due.dueByMileage).toBe('2026-06-05');
    expect(due.dueBy).toBe('mileage');
  });

  it('by mileage when driven a lot', () => {
    const readings = [{ on: '2026-01-01', km: 10000 }, { on: '2026-03-02', km: 16000 }]; // 100 km/day over 60 days
    const due = serviceDue({ ...base, day: '2026-03-10', lastService: last('2026-01-01', 10000), readings });
    expect(due.dueByMileage).toBe('2026-02-20'); // 5000 / 100 = 50 days
    expect(due.dueOn).toBe('2026-02-20');
    expect(due.dueBy).toBe('mileage');
    expect(due.daysUntilDue).toBe(-18);
    expect(due.estimatedKm).toBe(16800); // 16000 + 8 days × 100
    expect(due.dailyKm).toBe(100);
  });

  it('by time when barely driven', () => {
    const readings = [{ on: '2026-01-01', km: 10000 }, { on: '2026-04-11', km: 10500 }]; // 5 km/day
    const due = serviceDue({ ...base, day: '2026-05-01', lastService: last('2026-01-01', 10000), readings });
    expect(due.dueBy).toBe('time');
    expect(due.dueOn).toBe('2026-07-01');
  });

  it('a tie goes to time', () => {
    // 2026-01-01 + 6 months = 2026-07-01, 181 days; 5000 km over 181 days exactly
    const readings = [{ on: '2026-01-01', km: 0 }, { on: '2026-07-01', km: 5000 }];
    const due = serviceDue({ ...base, day: '2026-07-01', lastService: last('2026-01-01', 0), readings });
    expect(due.dueByMileage).toBe(due.dueByTime);
    expect(due.dueBy).toBe('time');
  });

  it('rounds the mileage date up (a partial day is still to come)', () => {
    // 5000 km at 30 km/day = 166.67 days → 167
    const readings = [{ on: '2026-01-01', km: 0 }, { on: '2026-02-10', km: 1200 }]; // 1200 / 40 = 30 km/day
    const due = serviceDue({ ...base, intervalMonths: 60, day: '2026-02-10', lastService: last('2026-01-01', 0), readings });
    expect(due.dueByMileage).toBe('2026-06-17'); // 2026-01-01 + 167 days
  });

  it('month ends: 6 months after 2026-08-31 is 2027-02-28', () => {
    const due = serviceDue({ ...base, defaultDailyKm: 0, day: '2026-09-01', lastService: last('2026-08-31', 0), readings: [] });
    expect(due.dueByTime).toBe('2027-02-28');
    expect(due.dueByMileage).toBeNull(); // no distance per day, no mileage date
    expect(due.dueBy).toBe('time');
  });

  it('without readings the estimate carries the last service forward at the default', () => {
    const due = serviceDue({ ...base, day: '2026-01-11', lastService: last('2026-01-01', 20000), readings: [] });
    expect(due.estimatedKm).toBe(20400);
    expect(due.dailyKm).toBe(40);
  });
});
