/** credits (SPEC §10), the pure part: which rows are listed, in what order, and the cells. */
import { daysBetween, type Day } from '../time.js';

export interface CreditRow {
  reference: string;
  since: string;
  customer_name: string;
  phone: string;
  plate: string;
  amount_cents: number;
}

/** Rows owed at `end` (an amount above zero, owed since before `end`), oldest first, then by reference. */
export function planCredits<T extends { reference: string; since: string; amount_cents: number }>(rows: readonly T[], end: string): T[] {
  return rows
    .filter((r) => r.amount_cents > 0 && r.since < end)
    .sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
}

export function creditsRows(found: readonly CreditRow[], end: string, day: Day, toDay: (instant: string) => Day) {
  return planCredits(found, end).map((r) => {
    const since = toDay(r.since);
    return {
      reference: r.reference, since, days_outstanding: daysBetween(since, day),
      customer_name: r.customer_name, phone: r.phone, plate: r.plate, amount: r.amount_cents,
    };
  });
}
