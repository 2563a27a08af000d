/** callbacks (SPEC §6.2): its queries and row types; the rule is in src/domain/jobs/callbacks.ts. */
import type { Db } from '../sqlite.js';
import type { CallbackCandidate } from '../../domain/jobs/callbacks.js';

// orders_delivered index: a few days of deliveries; callbacks/complaints by order; orders_customer for
// the first visit. The candidates come back as one JSON array of tuples: node-sqlite3 would build a JS
// object per row on the main thread (~1 µs a row plus ~0.4 µs a cell: ~20 ms for the large data set's
// 2 869 rows of 15 cells), JSON.parse of the one text takes ~3 ms. planCallbacks sorts the list.
export const SQL = `
SELECT json_group_array(json_array(
         o.number, o.delivered_at, o.category, o.total_cents, o.call_window, o.advisor_id,
         o.repeat_of_order_id IS NOT NULL, o.qc_failures, c.name, c.phone, v.plate, v.model, s.name,
         EXISTS (SELECT 1 FROM complaints k WHERE k.order_id = o.id AND k.status = 'open'),
         NOT EXISTS (SELECT 1 FROM orders p
                      WHERE p.customer_id = o.customer_id AND p.status = 'delivered' AND p.id <> o.id
                        AND (p.delivered_at < o.delivered_at OR (p.delivered_at = o.delivered_at AND p.id < o.id))))) AS t
  FROM orders o
  JOIN customers c ON c.id = o.customer_id
  JOIN vehicles v ON v.id = o.vehicle_id
  LEFT JOIN staff s ON s.id = o.advisor_id
 WHERE o.delivered_at >= $from AND o.delivered_at < $to
   AND o.status = 'delivered'
   AND c.do_not_contact = 0 AND c.no_calls = 0 AND c.phone_bad_at IS NULL
   AND v.active = 1
   AND NOT EXISTS (SELECT 1 FROM callbacks cb
                    WHERE cb.order_id = o.id AND cb.result IN ('reached', 'refused') AND cb.attempted_at < $asOf
                      AND cb.attempted_at >= o.delivered_at)`;

function factsOf(t: Tuple): CallbackCandidate {
  const [number, deliveredAt, category, totalCents, callWindow, advisorId, repeat, qcFailures, customerName, phone, plate, model, advisor, openComplaint, firstVisit] = t;
  return {
    number, deliveredAt, advisorId, openComplaint: openComplaint === 1, repeat: repeat === 1, qcFailures, firstVisit: firstVisit === 1,
    category, totalCents, callWindow, customerName, phone, plate, model, advisor,
  };
}

/** One element of SQL's array. */
type Tuple = [
  number: string, deliveredAt: string, category: string, totalCents: number, callWindow: string | null, advisorId: number | null,
  repeat: 0 | 1, qcFailures: number, customerName: string, phone: string, plate: string, model: string | null, advisor: string | null,
  openComplaint: 0 | 1, firstVisit: 0 | 1,
];

const AGENTS = `SELECT id, name FROM staff WHERE active = 1 AND (',' || role || ',') LIKE '%,agent,%' ORDER BY id`;

/** The orders delivered in [from, to) with no callback reached or refused before `asOf`, unsorted. */
export async function callbackCandidates(db: Db, from: string, to: string, asOf: string): Promise<CallbackCandidate[]> {
  const found = await db.get<{ t: string }>(SQL, { $from: from, $to: to, $asOf: asOf });
  return (JSON.parse(found?.t ?? '[]') as Tuple[]).map(factsOf);
}

/** Active staff with the agent role, by id. */
export function callbackAgents(db: Db): Promise<Array<{ id: number; name: string }>> {
  return db.all<{ id: number; name: string }>(AGENTS);
}
