/**
 * Corrections (SPEC §10, §16), the pure part: how an edited line is recomputed and what may be refunded.
 * Nothing here touches the database or the clock.
 */
import { conflict, invalid, usage } from './errors.js';
import { formatYuan, parseScaled, parseYuan } from './money.js';
import { lineAmount, type LineKind } from './order.js';

export interface EditableLine {
  kind: LineKind;
  description: string;
  qty_milli: number | null;
  hours_centi: number | null;
  unit_price_cents: number;
  amount_cents: number;
  customer_supplied: number;
}

export interface LineEdit {
  qty?: string;
  hours?: string;
  price?: string;
  rate?: string;
  description?: string;
}

/** The line after `edit`: only the flags that fit its kind; the amount recomputed half up. */
export function editedLine(line: EditableLine, edit: LineEdit): EditableLine {
  const given = (Object.keys(edit) as (keyof LineEdit)[]).filter((k) => edit[k] !== undefined);
  if (!given.length) throw usage('nothing to change: give --qty, --hours, --price, --rate or --description');
  const allowed: Record<LineKind, (keyof LineEdit)[]> = {
    labor: ['hours', 'rate', 'description'],
    part: line.customer_supplied ? ['qty', 'description'] : ['qty', 'price', 'description'],
    fee: ['price', 'description'],
  };
  for (const k of given) {
    if (!allowed[line.kind].includes(k)) {
      throw invalid(k, edit[k], `a ${line.customer_supplied ? 'customer-supplied ' : ''}${line.kind} line takes ${allowed[line.kind].map((a) => `--${a}`).join(', ')}`);
    }
  }
  const next = { ...line };
  if (edit.description !== undefined) {
    const d = String(edit.description).normalize('NFKC').trim();
    if (!d) throw invalid('description', edit.description, 'must not be empty');
    if (d.length > 500) throw invalid('description', edit.description, 'at most 500 characters');
    next.description = d;
  }
  if (edit.hours !== undefined) next.hours_centi = parseScaled('hours', edit.hours, 2, { min: 1, max: 100_000 });
  if (edit.qty !== undefined) next.qty_milli = parseScaled('qty', edit.qty, 3, { min: 1, max: 1_000_000_000 });
  if (edit.rate !== undefined) next.unit_price_cents = parseYuan('rate', edit.rate);
  if (edit.price !== undefined) next.unit_price_cents = parseYuan('price', edit.price);
  next.amount_cents = lineAmount({
    kind: line.kind, hoursCenti: next.hours_centi, qtyMilli: next.qty_milli, unitPriceCents: next.unit_price_cents, customerSupplied: !!line.customer_supplied,
  });
  return next;
}

/** The most that may be refunded: what was paid above the total, or — with a goodwill discount — all that was paid. */
export function refundable(totalCents: number, paidCents: number, goodwill: boolean): number {
  if (goodwill) return Math.max(0, paidCents);
  return Math.max(0, paidCents - totalCents);
}

/** Refuse a refund above the limit, naming the most that can be refunded (exit 4). */
export function checkRefund(number: string, amountCents: number, totalCents: number, paidCents: number, goodwill: boolean): void {
  const most = refundable(totalCents, paidCents, goodwill);
  if (amountCents <= most) return;
  const why = goodwill
    ? `${formatYuan(paidCents)} was paid`
    : `only what was overpaid can be refunded (paid ${formatYuan(paidCents)}, total ${formatYuan(totalCents)}); a goodwill refund needs --goodwill --by MANAGER`;
  throw conflict(`refund ${formatYuan(amountCents)} on order ${number} is more than can be refunded: at most ${formatYuan(most)} (${why})`);
}
