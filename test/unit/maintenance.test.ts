import { describe, expect, it } from 'vitest';
import {
  cooldownRunDays,
  dailyKmOf,
  earliestCandidateService,
  fillTemplate,
  inDueWindow,
  lastServiceOf,
  serviceDue,
  type OdometerReading,
} from '../../src/domain/maintenance.js';
import { addMonths } from '../../src/domain/time.js';

const r = (on: string, km: number): OdometerReading => ({ on, km });
const order = (on: string, km: number) => ({ on, km, source: 'order' as const });

describe('serviceDue (SPEC §6.3)', () => {
  const base = { intervalKm: 5000, intervalMonths: 6, defaultDailyKm: 40 };
  it.each([
    // name, day, last service, readings, due_on, due_by, days_until_due
    ['default daily_km when readings span < 30 days (29)', '2026-09-01', order('2026-06-01', 10000),
      [r('2026-06-01', 10000), r('2026-06-30', 12900)], '2026-10-04', 'mileage', 33],
    ['measured daily_km when readings span exactly 30 days', '2026-07-10', order('2026-06-01', 10000),
      [r('2026-06-01', 10000), r('2026-07-01', 13000)], '2026-07-21', 'mileage', 11],
    ['a reading dated D − 365 counts', '2026-11-23', order('2026-06-01', 20000),
      [r('2025-11-23', 10000), r('2026-06-01', 20000)], '2026-09-04', 'mileage', -80],
    ['a reading dated D − 366 is ignored (one reading left: default 40/day)', '2026-11-23', order('2026-06-01', 20000),
      [r('2025-11-22', 10000), r('2026-06-01', 20000)], '2026-10-04', 'mileage', -50],
    ['a reading after D is ignored', '2026-06-10', order('2026-06-01', 20000),
      [r('2026-06-01', 20000), r('2026-08-01', 90000)], '2026-10-04', 'mileage', 116],
    ['tie between time and mileage → time', '2026-07-10', order('2026-01-01', 0),
      [r('2026-01-01', 0), r('2026-07-01', 5000)], '2026-07-01', 'time', -9],
    ['mileage one day earlier than time → mileage', '2026-07-10', order('2026-01-01', 0),
      [r('2026-01-01', 0), r('2026-07-01', 5028)], '2026-06-30', 'mileage', -10],
    ['no distance driven → no mileage due date', '2026-07-10', order('2026-01-01', 1000),
      [r('2026-01-01', 1000), r('2026-03-01', 1000)], '2026-07-01', 'time', -9],
    ['odometer went down (daily_km < 0) → by time', '2026-07-10', order('2026-01-01', 1000),
      [r('2026-01-01', 1000), r('2026-03-01', 900)], '2026-07-01', 'time', -9],
  ])('%s', (_name, day, lastService, readings, dueOn, dueBy, days) => {
    const due = serviceDue({ ...base, day, lastService, readings });
    expect(due.dueOn).toBe(dueOn);
    expect(due.dueBy).toBe(dueBy);
    expect(due.daysUntilDue).toBe(days);
  });

  it('clamps the due by time at a month end (daily_km 0: no mileage date)', () => {
    const due = serviceDue({ ...base, day: '2026-02-01', lastService: order('2025-08-31', 0), readings: [], defaultDailyKm: 0 });
    expect([due.dueOn, due.dueBy, due.dueByMileage, due.daysUntilDue]).toEqual(['2026-02-28', 'time', null, 27]);
  });

  it('uses the vehicle interval given by the caller', () => {
    const due = serviceDue({ day: '2026-03-01', lastService: order('2026-01-15', 0), intervalKm: 100000, intervalMonths: 1, readings: [], defaultDailyKm: 40 });
    expect(due.dueOn).toBe('2026-02-15');
  });

  it.each([
    // readings, day, estimated
    [[r('2026-06-01', 10000), r('2026-07-01', 13000)], '2026-07-21', 15000], // 100 km/day × 20
    [[r('2026-06-01', 0), r('2026-07-01', 100)], '2026-07-04', 110], // 10/3 km/day × 3 = 10
    [[r('2026-06-01', 0), r('2026-07-01', 100)], '2026-07-02', 103], // 3.33 → 3
    [[r('2026-06-01', 0), r('2026-07-01', 45)], '2026-07-02', 47], // 1.5 → 2 (half up)
    [[r('2026-06-01', 0), r('2026-07-01', 45)], '2026-07-01', 45], // on the reading day
    [[r('2026-07-01', 500)], '2026-07-11', 900], // one reading: default 40 × 10
  ])('estimated_km from the latest reading %#', (readings, day, km) => {
    const due = serviceDue({ day, lastService: order('2026-06-01', 0), intervalKm: 5000, intervalMonths: 6, readings, defaultDailyKm: 40 });
    expect(due.estimatedKm).toBe(km);
  });

  it('dailyKmOf: same-day readings take the lowest as earliest and the highest as latest', () => {
    expect(dailyKmOf([r('2026-01-01', 200), r('2026-01-01', 100), r('2026-03-02', 700)], '2026-06-01', 40)).toEqual({ km: 600, days: 60, measured: true });
  });
});

describe('lastServiceOf', () => {
  const vehicle = { last_service_on: '2026-01-05', last_service_km: 8000, added_on: '2026-03-01', initial_km: 9000 };
  it('prefers the delivered maintenance order, then the carried-over service, then the day added', () => {
    expect(lastServiceOf({ delivered_on: '2026-05-01', mileage_in: 12000 }, vehicle)).toEqual({ on: '2026-05-01', km: 12000, source: 'order' });
    expect(lastServiceOf(null, vehicle)).toEqual({ on: '2026-01-05', km: 8000, source: 'carried_over' });
    expect(lastServiceOf(null, { ...vehicle, last_service_on: null, last_service_km: null })).toEqual({ on: '2026-03-01', km: 9000, source: 'added' });
    expect(lastServiceOf(null, { ...vehicle, last_service_on: null, last_service_km: null, initial_km: null })).toEqual({ on: '2026-03-01', km: 0, source: 'added' });
  });
});

describe('listing window and cooldown', () => {
  it.each([
    ['2026-12-07', true], // D + lead_days
    ['2026-12-08', false], // D + lead_days + 1
    ['2026-09-24', true], // D − overdue_days
    ['2026-09-23', false], // D − overdue_days − 1
    ['2026-11-23', true],
  ])('due on %s with D = 2026-11-23, lead 14, overdue 60 → %s', (dueOn, listed) => {
    expect(inDueWindow(dueOn, '2026-11-23', 14, 60)).toBe(listed);
  });

  it('cooldown covers run dates D − cooldown_days … D − 1', () => {
    expect(cooldownRunDays('2026-11-23', 30)).toEqual({ from: '2026-10-24', to: '2026-11-22' });
    expect(cooldownRunDays('2026-03-01', 1)).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(cooldownRunDays('2026-11-23', 0)).toBeNull();
  });

  it('the SQL bound on the last service never cuts a listable vehicle', () => {
    // brute force: every last-service day whose due by time is ≥ D − overdue must be ≥ the bound
    for (const day of ['2026-11-23', '2026-03-31', '2026-08-31', '2027-02-28']) {
      for (const months of [1, 6, 12, 60]) {
        const bound = earliestCandidateService(day, 60, months);
        for (let m = 1; m <= months; m++) {
          for (let i = 0; i < 120; i++) {
            const last = new Date(Date.parse(bound + 'T00:00:00Z') - i * 86_400_000).toISOString().slice(0, 10);
            if (last < bound) expect(addMonths(last, m) < new Date(Date.parse(day + 'T00:00:00Z') - 60 * 86_400_000).toISOString().slice(0, 10)).toBe(true);
          }
        }
      }
    }
  });
});

describe('fillTemplate', () => {
  it('fills known placeholders and leaves unknown ones visible', () => {
    expect(fillTemplate('{customer}您好 {plate} {due_on} {x}', { customer: '张三', plate: '京A12345', due_on: '2026-12-01' })).toBe('张三您好 京A12345 2026-12-01 {x}');
  });
});
