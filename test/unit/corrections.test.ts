/** The pure rules of corrections (SPEC §10, §16): edited lines and refund limits. */
import { describe, expect, it } from 'vitest';
import { checkRefund, editedLine, refundable } from '../../src/domain/corrections.js';
import { nextStatus } from '../../src/domain/order.js';
import { PitstopError } from '../../src/errors.js';

const labor = { kind: 'labor' as const, description: '保养', qty_milli: null, hours_centi: 100, unit_price_cents: 12000, amount_cents: 12000, customer_supplied: 0 };
const part = { kind: 'part' as const, description: '机油', qty_milli: 4000, hours_centi: null, unit_price_cents: 6800, amount_cents: 27200, customer_supplied: 0 };
const fee = { kind: 'fee' as const, description: '洗车', qty_milli: null, hours_centi: null, unit_price_cents: 3000, amount_cents: 3000, customer_supplied: 0 };

describe('editedLine', () => {
  it.each([
    [labor, { hours: '1.5' }, 18000],
    [labor, { rate: '33.33', hours: '1.5' }, 5000], // 49.995 → 50.00 half up
    [part, { qty: '3' }, 20400],
    [part, { price: '0.005' }, -1],
    [part, { price: '70', qty: '0.5' }, 3500],
    [fee, { price: '45' }, 4500],
    [fee, { description: '精洗' }, 3000],
  ])('%o + %o → %i cents', (line, edit, cents) => {
    if (cents < 0) expect(() => editedLine(line, edit)).toThrow(PitstopError);
    else expect(editedLine(line, edit).amount_cents).toBe(cents);
  });

  it.each([
    [labor, { qty: '2' }, /invalid qty "2": a labor line takes --hours, --rate, --description/],
    [part, { hours: '2' }, /invalid hours "2": a part line takes --qty, --price, --description/],
    [fee, { rate: '2' }, /invalid rate/],
    [{ ...part, customer_supplied: 1 }, { price: '2' }, /customer-supplied part line takes --qty, --description/],
    [fee, {}, /nothing to change/],
    [fee, { description: '  ' }, /must not be empty/],
  ])('%o + %o is exit 2', (line, edit, message) => {
    try {
      editedLine(line, edit);
      expect.unreachable();
    } catch (err) {
      expect((err as PitstopError).exitCode).toBe(2);
      expect((err as PitstopError).message).toMatch(message);
    }
  });
});

describe('refunds', () => {
  it.each([
    // total, paid, goodwill, most
    [20000, 20000, false, 0],
    [17000, 20000, false, 3000],
    [0, 50000, false, 50000], // a deposit on an order with nothing approved
    [20000, 5000, false, 0],
    [20000, 20000, true, 20000],
    [20000, 0, true, 0],
  ])('total %i paid %i goodwill %s → at most %i', (total, paid, goodwill, most) => {
    expect(refundable(total, paid, goodwill)).toBe(most);
    expect(() => checkRefund('RO-1', most, total, paid, goodwill)).not.toThrow();
    expect(() => checkRefund('RO-1', most + 1, total, paid, goodwill)).toThrow(/at most/);
  });

  it('reopen is allowed only from delivered', () => {
    expect(nextStatus('delivered', 'reopen')).toBe('in_progress');
    for (const s of ['open', 'approved', 'in_progress', 'ready', 'cancelled'] as const) expect(nextStatus(s, 'reopen')).toBeNull();
  });
});
