/** The credits and overdue lists' pure rules (SPEC §10): which rows are listed and in what order. */

/** Rows owed at `end` (an amount above zero, owed since before `end`), oldest first, then by reference. */
export function planCredits<T extends { reference: string; since: string; amount_cents: number }>(rows: readonly T[], end: string): T[] {
  return rows
    .filter((r) => r.amount_cents > 0 && r.since < end)
    .sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
}

/** An order's stage at `at` from when it reached each one (the overdue list re-run for an earlier day). */
export function stageAt(o: { kind: string; status: string; approved_at: string | null; started_at: string | null }, at: string): string {
  if (o.kind !== 'order') return o.status;
  if (o.started_at && o.started_at <= at) return 'in_progress';
  if (o.approved_at && o.approved_at <= at) return 'approved';
  return 'open';
}
