/** overdue (SPEC §10), the pure part: the order of the list, each row's stage and hours at the measuring moment. */
import { overdueHours } from '../board.js';

export interface OverdueRow {
  kind: 'order' | 'complaint';
  reference: string;
  plate: string | null;
  customer_name: string;
  phone: string;
  advisor: string | null;
  due_at: string;
  /** for orders: when each stage was reached, to tell the stage at the measuring moment */
  status: string;
  approved_at: string | null;
  started_at: string | null;
}

/** An order's stage at `at` from when it reached each one (the list re-run for an earlier day). */
export function stageAt(o: { kind: string; status: string; approved_at: string | null; started_at: string | null }, at: string): string {
  if (o.kind !== 'order') return o.status;
  if (o.started_at && o.started_at <= at) return 'in_progress';
  if (o.approved_at && o.approved_at <= at) return 'approved';
  return 'open';
}

/** By due time, then kind, then reference; hours overdue and the stage at `at`. */
export function overdueRows(found: readonly OverdueRow[], at: Date) {
  const atIso = at.toISOString();
  return [...found]
    .sort((a, b) => (a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.reference < b.reference ? -1 : 1))
    .map((r) => ({
      kind: r.kind, reference: r.reference, plate: r.plate, customer_name: r.customer_name, phone: r.phone, advisor: r.advisor,
      due_at: r.due_at, overdue_hours: overdueHours(Date.parse(r.due_at), at.getTime()), stage: stageAt(r, atIso),
    }));
}
