/** Check-in from a booking through the binary: `order open --booking ID` and `booking arrive ID`. */
import { beforeAll, describe, expect, it } from 'vitest';
import { cliFor, tempDbPath } from '../helpers.js';

describe('order open --booking', () => {
  const db = tempDbPath();
  const at = (now: string) => cliFor(db, now);

  beforeAll(() => {
    const early = at('2026-06-01 10:00');
    for (const args of [
      ['customer', 'add', '--name', '张三', '--phone', '13800138000'],
      ['customer', 'add', '--name', '李四', '--phone', '13800138001'],
      ['vehicle', 'add', '--customer', '1', '--plate', '京A12345', '--mileage', '40000'],
      ['vehicle', 'add', '--customer', '2', '--plate', '京B22222', '--mileage', '10000'],
      ['staff', 'add', '--name', '李顾问', '--role', 'advisor'],
    ]) {
      const r = early(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('checks the booked car in: booking arrived, advisor and complaint carried, deposit paid', () => {
    const book = at('2026-11-20 10:00')([
      'booking', 'add', '--plate', '京A12345', '--at', '2026-11-23 09:00', '--complaint', '空调不凉', '--advisor', '李顾问',
      '--parts-value', '1000', '--deposit', '500', '-q',
    ]);
    expect(book.code, book.stderr).toBe(0);
    const id = book.stdout.trim();

    const open = at('2026-11-23 09:10')(['order', 'open', '--booking', id, '--mileage', '45000', '--json']);
    expect(open.code, open.stderr).toBe(0);
    const r = JSON.parse(open.stdout);
    expect(r.order).toMatchObject({ number: 'RO-20261123-0001', complaint: '空调不凉', booking_id: Number(id), paid_cents: 50000 });
    expect(r.plate).toBe('京A12345');

    const show = JSON.parse(at('2026-11-23 09:20')(['order', 'show', 'RO-20261123-0001', '--json']).stdout);
    expect(show.order.advisor).toBe('李顾问');
    expect(show.payments).toEqual([expect.objectContaining({ method: 'deposit', amount_cents: 50000, paid_at: '2026-11-23T09:10:00+08:00' })]);
    const booking = JSON.parse(at('2026-11-23 09:20')(['booking', 'show', id, '--json']).stdout);
    expect(JSON.stringify(booking)).toContain('"arrived"');

    // a booking checks in once
    const again = at('2026-11-23 09:30')(['order', 'open', '--booking', id, '--mileage', '45000']);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(new RegExp(`booking ${id} is arrived`));
  });

  it('refuses a booking for another car', () => {
    const book = at('2026-11-20 10:00')(['booking', 'add', '--plate', '京B22222', '--at', '2026-11-23 10:00', '-q']);
    expect(book.code, book.stderr).toBe(0);
    const r = at('2026-11-23 10:00')(['order', 'open', '--booking', book.stdout.trim(), '--plate', '京A12345', '--mileage', '45000']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/is for 京B22222, not 京A12345/);
  });
});
