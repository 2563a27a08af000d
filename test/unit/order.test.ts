import { describe, expect, it } from 'vitest';
import { PitstopError } from '../../src/errors.js';
import {
  ORDER_STATUSES, formatOrderNumber, isRepeatRepair, lineAmount, nextStatus, noQualityGuarantee, orderNumberPrefix, orderTotals,
  parseCallWindow, parseCategory, parseFindingIds, parseFuel, parseLineNumbers, parseOrderNumber, parsePayMethod, settlementCheck,
  transition, type OrderAction, type OrderStatus,
} from '../../src/domain/order.js';

// Every (status, action) pair: the status after it, or null when it is refused.
const EXPECTED: Record<OrderAction, Record<OrderStatus, OrderStatus | null>> = {
  approve: { open: 'approved', approved: 'approved', in_progress: 'in_progress', ready: 'ready', delivered: null, cancelled: null },
  start: { open: null, approved: 'in_progress', in_progress: null, ready: null, delivered: null, cancelled: null },
  qc_pass: { open: null, approved: null, in_progress: 'ready', ready: null, delivered: null, cancelled: null },
  qc_fail: { open: null, approved: null, in_progress: 'in_progress', ready: null, delivered: null, cancelled: null },
  deliver: { open: null, approved: null, in_progress: null, ready: 'delivered', delivered: null, cancelled: null },
  cancel: { open: 'cancelled', approved: 'cancelled', in_progress: 'cancelled', ready: 'cancelled', delivered: null, cancelled: null },
  edit: { open: 'open', approved: 'approved', in_progress: 'in_progress', ready: 'ready', delivered: null, cancelled: null },
  pay: { open: 'open', approved: 'approved', in_progress: 'in_progress', ready: 'ready', delivered: 'delivered', cancelled: null },
};

describe('order status machine', () => {
  const cases = (Object.keys(EXPECTED) as OrderAction[]).flatMap((action) =>
    ORDER_STATUSES.map((status) => [action, status, EXPECTED[action][status]] as const),
  );
  it('covers every action and status', () => {
    expect(cases).toHaveLength(8 * 6);
  });
  it.each(cases)('%s from %s → %s', (action, status, expected) => {
    expect(nextStatus(status, action)).toBe(expected);
    if (expected) {
      expect(transition('RO-20261123-0001', status, action)).toBe(expected);
    } else {
      let err: unknown;
      try {
        transition('RO-20261123-0001', status, action);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PitstopError);
      expect((err as PitstopError).exitCode).toBe(4);
      expect((err as PitstopError).message).toContain(`it is ${status}`);
      expect((err as PitstopError).message).toContain('RO-20261123-0001');
    }
  });
});

describe('line amounts (half up to the cent)', () => {
  it.each([
    ['1.5 h × 33.33 = 49.995 → 50.00', { kind: 'labor' as const, hoursCenti: 150, unitPriceCents: 3333 }, 5000],
    ['0.5 h × 0.01 = 0.005 → 0.01', { kind: 'labor' as const, hoursCenti: 50, unitPriceCents: 1 }, 1],
    ['0.33 h × 0.01 = 0.0033 → 0.00', { kind: 'labor' as const, hoursCenti: 33, unitPriceCents: 1 }, 0],
    ['1.25 h × 120 = 150.00', { kind: 'labor' as const, hoursCenti: 125, unitPriceCents: 12000 }, 15000],
    ['2.5 × 0.99 = 2.475 → 2.48', { kind: 'part' as const, qtyMilli: 2500, unitPriceCents: 99 }, 248],
    ['0.333 × 10.00 = 3.33', { kind: 'part' as const, qtyMilli: 333, unitPriceCents: 1000 }, 333],
    ['0.125 × 0.04 = 0.005 → 0.01', { kind: 'part' as const, qtyMilli: 125, unitPriceCents: 4 }, 1],
    ['0.124 × 0.04 = 0.00496 → 0.00', { kind: 'part' as const, qtyMilli: 124, unitPriceCents: 4 }, 0],
    ['customer-supplied part costs nothing', { kind: 'part' as const, qtyMilli: 4000, unitPriceCents: 5000, customerSupplied: true }, 0],
    ['fee is its price', { kind: 'fee' as const, unitPriceCents: 1050 }, 1050],
  ])('%s', (_name, input, cents) => {
    expect(lineAmount(input)).toBe(cents);
  });

  it.each([
    [{ kind: 'part' as const, grade: 'oem', customer_supplied: 0 }, false],
    [{ kind: 'part' as const, grade: 'aftermarket', customer_supplied: 0 }, true],
    [{ kind: 'part' as const, grade: 'used', customer_supplied: 0 }, true],
    [{ kind: 'part' as const, grade: 'oem', customer_supplied: 1 }, true],
    [{ kind: 'labor' as const, grade: null, customer_supplied: 0 }, false],
  ])('no quality guarantee %o → %s', (line, expected) => {
    expect(noQualityGuarantee(line)).toBe(expected);
  });
});

describe('order totals', () => {
  const lines = [
    { kind: 'labor' as const, status: 'approved' as const, amount_cents: 5000 },
    { kind: 'part' as const, status: 'approved' as const, amount_cents: 38000 },
    { kind: 'fee' as const, status: 'approved' as const, amount_cents: 1000 },
    { kind: 'part' as const, status: 'declined' as const, amount_cents: 99900 },
    { kind: 'labor' as const, status: 'proposed' as const, amount_cents: 6000 },
  ];
  it('counts approved lines only, minus the discount; balance after payments', () => {
    expect(orderTotals(lines, 2000, [{ amount_cents: 30000 }, { amount_cents: 1000 }])).toEqual({
      labor_cents: 5000, parts_cents: 38000, fees_cents: 1000, total_cents: 42000, paid_cents: 31000, balance_cents: 11000, proposed_cents: 6000,
    });
  });
  it('nothing approved: zero total, a deposit is a credit', () => {
    expect(orderTotals([{ kind: 'part', status: 'proposed', amount_cents: 100 }], 0, [{ amount_cents: 500 }])).toMatchObject({ total_cents: 0, balance_cents: -500 });
  });
});

describe('settlement check', () => {
  const T0 = '2026-11-23T02:00:00.000Z';
  const T1 = '2026-11-23T04:00:00.000Z';
  const base = [
    { line_no: 1, description: 'brake pads', status: 'approved' as const, amount_cents: 43000, additional: 0, approved_at: T0 },
    { line_no: 2, description: 'disposal', status: 'declined' as const, amount_cents: 1000, additional: 0, approved_at: null },
  ];
  it('within the estimate', () => {
    expect(settlementCheck(43000, 43000, T0, base)).toEqual({ estimate_cents: 43000, final_cents: 43000, difference_cents: 0, exceeds: false, extra_lines: [] });
  });
  it('a discount keeps the final below the estimate', () => {
    expect(settlementCheck(43000, 41000, T0, base)).toMatchObject({ exceeds: false, difference_cents: -2000 });
  });
  it('additional work over the estimate names the lines', () => {
    const lines = [...base, { line_no: 3, description: 'wipers', status: 'approved' as const, amount_cents: 6000, additional: 1, approved_at: T1 }];
    expect(settlementCheck(43000, 49000, T0, lines)).toEqual({
      estimate_cents: 43000, final_cents: 49000, difference_cents: 6000, exceeds: true, extra_lines: [{ line_no: 3, description: 'wipers', amount_cents: 6000 }],
    });
  });
  it('a quoted line agreed to after the first approval is outside the estimate too', () => {
    const lines = [...base, { line_no: 3, description: 'filter', status: 'approved' as const, amount_cents: 800, additional: 0, approved_at: T1 }];
    expect(settlementCheck(43000, 43800, T0, lines).extra_lines.map((l) => l.line_no)).toEqual([3]);
  });
  it('additional lines not approved do not count', () => {
    const lines = [...base, { line_no: 3, description: 'wipers', status: 'proposed' as const, amount_cents: 6000, additional: 1, approved_at: null }];
    expect(settlementCheck(43000, 43000, T0, lines)).toMatchObject({ exceeds: false, extra_lines: [] });
  });
  it('before any approval there is no estimate', () => {
    expect(settlementCheck(null, 0, null, [])).toEqual({ estimate_cents: null, final_cents: 0, difference_cents: 0, exceeds: false, extra_lines: [] });
  });
});

describe('order numbers', () => {
  it.each([
    ['2026-11-23', 1, 'RO-20261123-0001'],
    ['2026-01-05', 42, 'RO-20260105-0042'],
    ['2026-01-05', 10000, 'RO-20260105-10000'],
  ])('%s #%i → %s', (day, seq, number) => {
    expect(formatOrderNumber(day, seq)).toBe(number);
    expect(number.startsWith(orderNumberPrefix(day))).toBe(true);
  });
  it.each([
    ['RO-20261123-0001', 'RO-20261123-0001'],
    ['ro-20261123-1', 'RO-20261123-0001'],
    [' ＲＯ-20261123-0012 ', 'RO-20261123-0012'],
    ['20261123-0003', 'RO-20261123-0003'],
  ])('parse %s', (text, number) => {
    expect(parseOrderNumber(text)).toBe(number);
  });
  it.each(['', 'RO-2026112-0001', 'XX-20261123-0001', 'RO-20261123'])('refuses %j (exit 2)', (text) => {
    expect(() => parseOrderNumber(text)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe('repeat repair', () => {
  it.each([
    ['2026-11-01', '2026-11-23', 30, true],
    ['2026-10-24', '2026-11-23', 30, true], // exactly 30 days
    ['2026-10-23', '2026-11-23', 30, false], // 31 days
    ['2026-11-23', '2026-11-23', 30, true], // same day
    ['2026-11-22', '2026-11-23', 0, false], // 0 turns it off
    ['2026-11-24', '2026-11-23', 30, false], // delivered after: not before this visit
  ])('delivered %s, opened %s, within %i days → %s', (delivered, opened, days, expected) => {
    expect(isRepeatRepair(delivered, opened, days)).toBe(expected);
  });
});

describe('check-in and line parsers', () => {
  it('fuel levels', () => {
    expect(['E', '1/4', '1/2', '3/4', 'F', 'e', ' f '].map(parseFuel)).toEqual(['E', '1/4', '1/2', '3/4', 'F', 'E', 'F']);
    expect(() => parseFuel('half')).toThrow(/invalid fuel "half"/);
  });
  it('call window', () => {
    expect(parseCallWindow('9:00-12:00')).toBe('09:00-12:00');
    expect(parseCallWindow('14:00 – 18:30')).toBe('14:00-18:30');
    expect(() => parseCallWindow('12:00-09:00')).toThrow(/end must be after the start/);
    expect(() => parseCallWindow('morning')).toThrow(/invalid call-window/);
  });
  it('category', () => {
    expect(parseCategory(undefined)).toBe('repair');
    expect(parseCategory('Maintenance')).toBe('maintenance');
    expect(() => parseCategory('tuning')).toThrow(/invalid category "tuning"/);
  });
  it('line numbers and finding ids', () => {
    expect(parseLineNumbers('1,2 3,2')).toEqual([1, 2, 3]);
    expect(() => parseLineNumbers('0')).toThrow(/invalid lines/);
    expect(() => parseLineNumbers('a')).toThrow(/invalid lines/);
    expect(parseFindingIds('F3,f4 5')).toEqual([3, 4, 5]);
    expect(() => parseFindingIds('G3')).toThrow(/invalid resolves/);
  });
  it('payment methods: deposit only comes from a booking', () => {
    expect(parsePayMethod('WeChat')).toBe('wechat');
    expect(() => parsePayMethod('deposit')).toThrow(/invalid method "deposit"/);
  });
});
