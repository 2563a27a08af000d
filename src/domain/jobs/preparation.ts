/** The preparation plan (SPEC §6.7): a booking of D+1 → the workshop's row. Pure. */
import { localDay } from '../time.js';
import type { Row } from './types.js';

export interface PreparationBooking {
  booking_id: number;
  scheduled_at: string;
  plate: string;
  model: string | null;
  customer_name: string;
  advisor: string | null;
  service: string | null;
  complaint: string | null;
  parts_value_cents: number;
  deposit_cents: number;
  repeat_of: string | null;
  open_findings: string | null;
  declined_items: string | null;
  last_opened_at: string | null;
  last_mileage: number | null;
}

/** A booking's row; its last visit as a shop-local day in `zone`. */
export function preparationRow(b: PreparationBooking, zone: string): Row {
  return {
    booking_id: b.booking_id,
    scheduled_at: b.scheduled_at,
    plate: b.plate,
    model: b.model,
    customer_name: b.customer_name,
    advisor: b.advisor,
    service: b.service,
    complaint: b.complaint,
    parts_value: b.parts_value_cents,
    deposit: b.deposit_cents,
    repeat_of: b.repeat_of,
    open_findings: b.open_findings,
    declined_items: b.declined_items,
    last_visit_on: b.last_opened_at ? localDay(b.last_opened_at, zone) : null,
    last_mileage: b.last_mileage,
  };
}
