/** The arrears plan (SPEC §6.8): an unpaid order on D → its row. Pure. */
import { daysBetween, type Day } from '../time.js';
import type { Row } from './types.js';

/** An unpaid order as the query finds it: `paid` is what was paid by the end of D. */
export interface ArrearsOrder {
  number: string;
  delivered_at: string;
  total_cents: number;
  paid: number;
  customer_name: string;
  phone: string;
  plate: string;
}

/** The rows of a page of unpaid orders on `day`; `toDay` gives an instant's shop-local day. */
export function arrearsRows(page: readonly ArrearsOrder[], day: Day, toDay: (instant: string) => Day): Row[] {
  return page.map((r) => {
    const deliveredOn = toDay(r.delivered_at);
    return {
      order_number: r.number,
      delivered_on: deliveredOn,
      days_outstanding: daysBetween(deliveredOn, day),
      customer_name: r.customer_name,
      phone: r.phone,
      plate: r.plate,
      total: r.total_cents,
      paid: r.paid,
      balance: r.total_cents - r.paid,
    };
  });
}
