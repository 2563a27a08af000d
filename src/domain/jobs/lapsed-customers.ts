/** The lapsed-customers plan (SPEC §6.4): the candidates found → the list of D, in order. Pure. */
import { isLapsedOn, platesCell } from '../lapsed.js';
import { localDay, type Day } from '../time.js';
import type { Row } from './types.js';

/** A candidate customer as the query finds them. */
export interface LapsedCustomer {
  id: number;
  name: string;
  phone: string;
  last_opened_at: string;
  last_order_number: string;
  visits: number;
  lifetime_spend_cents: number;
  /** active plates joined by char(31) */
  plates: string | null;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Customers whose latest visit (shop-local day in `zone`) + `months` is exactly `day` (last_visit_on, then phone). */
export function lapsedRows(found: readonly LapsedCustomer[], day: Day, months: number, zone: string, callAgain: readonly LapsedCustomer[] = []): Row[] {
  const rows: Row[] = [];
  const listed = new Set<number>();
  for (const c of [...found, ...callAgain]) {
    const lastVisit = localDay(c.last_opened_at, zone);
    // a customer who asked to be called again today is listed whatever the day of their last visit
    if (listed.has(c.id) || (!isLapsedOn(lastVisit, day, months) && !callAgain.includes(c))) continue;
    listed.add(c.id);
    rows.push({
      customer_name: c.name,
      phone: c.phone,
      plates: platesCell(c.plates ? c.plates.split('\u001f') : []),
      last_visit_on: lastVisit,
      last_order_number: c.last_order_number,
      visits: c.visits,
      lifetime_spend: c.lifetime_spend_cents,
      _subject: c.id,
    });
  }
  return rows.sort((a, b) => cmp(a.last_visit_on as string, b.last_visit_on as string) || cmp(a.phone as string, b.phone as string));
}
