/**
 * declined-work (SPEC §12, §16), the pure part: which findings are due on D (their follow-up day has
 * come: the day set at `order decline --follow-up`, else `declined.follow_up_days` after the order's
 * delivery or cancellation), one row per vehicle, safety first, then the oldest.
 */
import { addDays, daysBetween, type Day } from '../time.js';

export interface DeclinedCandidate {
  id: number;
  vehicle_id: number;
  plate: string;
  model: string | null;
  customer_name: string;
  phone: string;
  item: string;
  severity: 'safety' | 'advised';
  created_at: string;
  follow_up_on: string | null;
  /** when the order that found it was delivered or cancelled (null: still open) */
  closed_at: string | null;
  order_number: string;
  order_opened_at: string;
  estimate_cents: number;
}

/** The follow-up day of a finding, or null while its order is neither delivered nor cancelled. */
export function followUpDay(c: Pick<DeclinedCandidate, 'follow_up_on' | 'closed_at'>, followUpDays: number, toDay: (instant: string) => Day): Day | null {
  if (c.follow_up_on) return c.follow_up_on;
  if (!c.closed_at) return null;
  return addDays(toDay(c.closed_at), followUpDays);
}

export interface DeclinedRow {
  plate: string;
  model: string;
  customer_name: string;
  phone: string;
  items: string;
  severity: 'safety' | 'advised';
  found_on: Day;
  order_number: string;
  estimate: number;
  days_open: number;
  last_contact: string;
  _subject: number;
}

export function declinedWorkRows(found: readonly DeclinedCandidate[], day: Day, followUpDays: number, toDay: (instant: string) => Day): DeclinedRow[] {
  const byVehicle = new Map<number, DeclinedCandidate[]>();
  for (const c of found) {
    const due = followUpDay(c, followUpDays, toDay);
    if (due === null || due > day) continue;
    const list = byVehicle.get(c.vehicle_id) ?? [];
    list.push(c);
    byVehicle.set(c.vehicle_id, list);
  }
  const rows: DeclinedRow[] = [];
  for (const [vehicleId, list] of byVehicle) {
    list.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id));
    const oldest = list[0]!;
    const latest = [...list].sort((a, b) => (a.order_opened_at < b.order_opened_at ? 1 : a.order_opened_at > b.order_opened_at ? -1 : b.id - a.id))[0]!;
    const foundOn = toDay(oldest.created_at);
    rows.push({
      plate: oldest.plate, model: oldest.model ?? '', customer_name: oldest.customer_name, phone: oldest.phone,
      items: list.map((c) => c.item).join(';'),
      severity: list.some((c) => c.severity === 'safety') ? 'safety' : 'advised',
      found_on: foundOn, order_number: latest.order_number,
      estimate: list.reduce((s, c) => s + c.estimate_cents, 0),
      days_open: daysBetween(foundOn, day), last_contact: '', _subject: vehicleId,
    });
  }
  return rows.sort((a, b) =>
    a.severity !== b.severity ? (a.severity === 'safety' ? -1 : 1)
      : a.found_on !== b.found_on ? (a.found_on < b.found_on ? -1 : 1)
        : a.plate < b.plate ? -1 : a.plate > b.plate ? 1 : 0);
}
