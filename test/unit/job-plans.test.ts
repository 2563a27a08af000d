/** The lists' pure plans (src/domain/jobs/…) run on plain facts: no database, no file, no clock. */
import { describe, expect, it } from 'vitest';
import { arrearsRows } from '../../src/domain/jobs/arrears.js';
import { preparationRow } from '../../src/domain/jobs/preparation.js';
import { reminderRow } from '../../src/domain/jobs/reminders.js';
import { lapsedRows } from '../../src/domain/jobs/lapsed-customers.js';
import { localDay } from '../../src/domain/time.js';

const SH = 'Asia/Shanghai';

describe('job plans', () => {
  it('arrears: days outstanding from the shop-local delivery day, balance = total − paid', () => {
    const rows = arrearsRows(
      [{ number: 'RO-20261120-0001', delivered_at: '2026-11-19T16:30:00.000Z', total_cents: 50000, paid: 20000, customer_name: '张伟', phone: '13800000001', plate: '京A12345' }],
      '2026-11-23',
      (t) => localDay(t, SH),
    );
    expect(rows).toEqual([
      { order_number: 'RO-20261120-0001', delivered_on: '2026-11-20', days_outstanding: 3, customer_name: '张伟', phone: '13800000001', plate: '京A12345', total: 50000, paid: 20000, balance: 30000 },
    ]);
  });

  it('preparation: the last visit as a shop-local day, empty when there was none', () => {
    const base = {
      booking_id: 7, scheduled_at: '2026-11-24T01:00:00.000Z', plate: '京A12345', model: null, customer_name: '张伟', advisor: null, service: null,
      complaint: null, parts_value_cents: 0, deposit_cents: 0, repeat_of: null, open_findings: null, declined_items: null, last_mileage: 1200,
    };
    expect(preparationRow({ ...base, last_opened_at: '2026-10-31T17:00:00.000Z' }, SH).last_visit_on).toBe('2026-11-01');
    expect(preparationRow({ ...base, last_opened_at: null }, SH).last_visit_on).toBeNull();
  });

  it('appointment-reminders: the message carries the shop-local time and the service', () => {
    const row = reminderRow(
      { booking_id: 1, scheduled_at: '2026-11-24T01:30:00.000Z', customer_name: 'Li', phone: '13800000001', plate: '京A12345', model: 'Civic', service: 'oil change', advisor: null, deposit_cents: 0 },
      { locale: 'en', template: '{customer}: {time}{service} at {shop} ({phone})', shop: 'Shop', shopPhone: '010' },
      SH,
    );
    expect(row.message).toBe('Li: 2026-11-24 09:30 for oil change at Shop (010)');
  });

  it('lapsed-customers: exactly `months` after the latest visit, by last visit then phone', () => {
    const c = (id: number, phone: string, opened: string) => ({ id, name: `c${id}`, phone, last_opened_at: opened, last_order_number: `RO-${id}`, visits: 1, lifetime_spend_cents: 0, plates: null });
    const rows = lapsedRows([c(1, '13900000000', '2026-05-22T17:00:00.000Z'), c(2, '13800000000', '2026-05-23T02:00:00.000Z'), c(3, '13700000000', '2026-05-24T02:00:00.000Z')], '2026-11-23', 6, SH);
    expect(rows.map((r) => r.phone)).toEqual(['13800000000', '13900000000']);
  });
});
