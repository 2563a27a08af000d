/** Money is integer cents everywhere; yuan text only at the edges. */
import { invalid } from './errors.js';

const MAX_CENTS = 100_000_000_000; // 1 000 000 000 yuan: far above any shop bill, far below 2^53

/** Parse yuan as typed by a person ("1234.5", "１２３４.50") into cents. No commas, no 3rd decimal. */
export function parseYuan(field: string, text: string, opts: { allowZero?: boolean } = {}): number {
  const s = String(text ?? '').normalize('NFKC').trim().replace(/^[¥￥]/, '').replace(/元$/, '').trim();
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw invalid(field, text, 'expected an amount in yuan with at most 2 decimals, like 1234.50 (no commas)');
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (cents > MAX_CENTS) throw invalid(field, text, 'amount is too large');
  if (cents === 0 && opts.allowZero === false) throw invalid(field, text, 'must be more than 0');
  return cents;
}

/** Cents as yuan with exactly 2 decimals: 123450 → "1234.50", -5 → "-0.05". */
export function formatYuan(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Round half up (away from zero for positives) of numerator / denominator, exactly, with BigInt. */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (2n * d);
  return Number(negative ? -q : q);
}

/** Labour line amount: hours (in hundredths) × rate (cents per hour), half up to the cent. */
export function laborAmount(hoursCenti: number, rateCents: number): number {
  return divRoundHalfUp(BigInt(hoursCenti) * BigInt(rateCents), 100n);
}

/** Part line amount: quantity (in thousandths) × unit price (cents), half up to the cent. */
export function partAmount(qtyMilli: number, priceCents: number): number {
  return divRoundHalfUp(BigInt(qtyMilli) * BigInt(priceCents), 1000n);
}

/** Parse a decimal with at most `decimals` places into an integer of that scale ("1.5", 2 → 150). */
export function parseScaled(field: string, text: string, decimals: number, opts: { min?: number; max?: number } = {}): number {
  const s = String(text ?? '').normalize('NFKC').trim();
  const m = new RegExp(`^(\\d{1,9})(?:\\.(\\d{1,${decimals}}))?$`).exec(s);
  if (!m) throw invalid(field, text, `expected a number with at most ${decimals} decimals, like ${decimals === 2 ? '1.5' : '2'}`);
  const value = Number(m[1]) * 10 ** decimals + Number((m[2] ?? '').padEnd(decimals, '0'));
  const scale = 10 ** decimals;
  if (opts.min !== undefined && value < opts.min) throw invalid(field, text, `must be at least ${opts.min / scale}`);
  if (opts.max !== undefined && value > opts.max) throw invalid(field, text, `must be at most ${opts.max / scale}`);
  return value;
}
