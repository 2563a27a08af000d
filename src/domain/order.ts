/**
 * Repair orders (维修委托书, SPEC §5.2), the pure part: the status machine, line amounts, totals, the
 * settlement check (final bill against the signed estimate), order numbers and the repeat-repair rule.
 * Nothing here touches the database or the clock.
 */
import { conflict, invalid } from './errors.js';
import { laborAmount, partAmount } from './money.js';
import { daysBetween, parseClock, formatClock, type Day } from './time.js';

export const ORDER_STATUSES = ['open', 'approved', 'in_progress', 'ready', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const CATEGORIES = ['maintenance', 'repair', 'accident', 'warranty', 'inspection', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const FUEL_LEVELS = ['E', '1/4', '1/2', '3/4', 'F'] as const;
export const GRADES = ['oem', 'aftermarket', 'used'] as const;
export type Grade = (typeof GRADES)[number];
/** Methods a person may enter; `deposit` only comes from a booking's deposit at check-in. */
export const PAY_METHODS = ['cash', 'card', 'wechat', 'alipay', 'transfer', 'warranty'] as const;
export type PayMethod = (typeof PAY_METHODS)[number] | 'deposit';

/**
 * What can happen to an order. `approve` moves open → approved and, later, approves additional work
 * without moving; `edit` is adding lines, declining, findings and discounts; `pay` is taking money.
 */
export type OrderAction = 'approve' | 'start' | 'qc_pass' | 'qc_fail' | 'deliver' | 'cancel' | 'edit' | 'pay' | 'reopen';

const WORKING = ['open', 'approved', 'in_progress', 'ready'] as const;
const same = (states: readonly OrderStatus[]) => Object.fromEntries(states.map((s) => [s, s])) as Partial<Record<OrderStatus, OrderStatus>>;

export const TRANSITIONS: Readonly<Record<OrderAction, Partial<Record<OrderStatus, OrderStatus>>>> = {
  approve: { open: 'approved', approved: 'approved', in_progress: 'in_progress', ready: 'ready' },
  start: { approved: 'in_progress' },
  qc_pass: { in_progress: 'ready' },
  // a failed check sends the car back to the bay: it stays in progress and counts as rework
  qc_fail: { in_progress: 'in_progress' },
  deliver: { ready: 'delivered' },
  cancel: Object.fromEntries(WORKING.map((s) => [s, 'cancelled'])) as Partial<Record<OrderStatus, OrderStatus>>,
  edit: same(WORKING),
  // money may come in before delivery and, for arrears, after it
  pay: same([...WORKING, 'delivered']),
  // a comeback or a billing mistake: back to the bay, QC again before the next delivery (SPEC §10)
  reopen: { delivered: 'in_progress' },
};

const VERBS: Record<OrderAction, string> = {
  approve: 'approve lines of',
  start: 'start work on',
  qc_pass: 'pass the quality check of',
  qc_fail: 'fail the quality check of',
  deliver: 'deliver',
  cancel: 'cancel',
  edit: 'change',
  pay: 'take a payment on',
  reopen: 'reopen',
};

/** The status after `action`, or null when the action is not allowed in `status`. */
export function nextStatus(status: OrderStatus, action: OrderAction): OrderStatus | null {
  return TRANSITIONS[action][status] ?? null;
}

/** The status after `action`; an illegal change is exit 4 naming the current status. */
export function transition(number: string, status: OrderStatus, action: OrderAction): OrderStatus {
  const next = nextStatus(status, action);
  if (next) return next;
  const allowed = Object.keys(TRANSITIONS[action]).join(', ');
  throw conflict(`cannot ${VERBS[action]} order ${number}: it is ${status} (allowed when ${allowed})`);
}

// ---------------------------------------------------------------- order numbers

/** `RO-YYYYMMDD-NNNN`: the shop-local open day and the sequence of that day (more digits past 9999). */
export function formatOrderNumber(day: Day, seq: number): string {
  return `RO-${day.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}

/** The prefix every order number of `day` starts with. */
export function orderNumberPrefix(day: Day): string {
  return `RO-${day.replaceAll('-', '')}-`;
}

/** An order number as typed: `ro-20261123-1`, full-width characters and spaces are fine. */
export function parseOrderNumber(text: string): string {
  const s = String(text ?? '').normalize('NFKC').trim().toUpperCase();
  const m = /^(?:RO-?)?(\d{8})-?(\d{1,6})$/.exec(s);
  if (!m) throw invalid('order', text, 'expected an order number like RO-20261123-0001');
  return `RO-${m[1]}-${m[2]!.padStart(4, '0')}`;
}

// ---------------------------------------------------------------- check-in fields

export function parseCategory(text: string | undefined): Category {
  const s = String(text ?? 'repair').normalize('NFKC').trim().toLowerCase();
  if ((CATEGORIES as readonly string[]).includes(s)) return s as Category;
  throw invalid('category', text, `expected one of ${CATEGORIES.join(', ')}`);
}

export function parseFuel(text: string): string {
  const s = String(text ?? '').normalize('NFKC').trim().toUpperCase();
  if ((FUEL_LEVELS as readonly string[]).includes(s)) return s;
  throw invalid('fuel', text, `expected one of ${FUEL_LEVELS.join(', ')}`);
}

/** `HH:mm-HH:mm`, when the customer may be called; the end after the start. */
export function parseCallWindow(text: string): string {
  const s = String(text ?? '').normalize('NFKC').trim();
  const m = /^(\d{1,2}:\d{2})\s*[-~–]\s*(\d{1,2}:\d{2})$/.exec(s);
  if (!m) throw invalid('call-window', text, 'expected "HH:mm-HH:mm", like 09:00-12:00');
  const pad = (t: string) => t.padStart(5, '0');
  const from = parseClock('call-window', pad(m[1]!));
  const to = parseClock('call-window', pad(m[2]!));
  if (to <= from) throw invalid('call-window', text, 'the end must be after the start');
  return `${formatClock(from)}-${formatClock(to)}`;
}

export function parseGrade(text: string | undefined): Grade {
  const s = String(text ?? 'oem').normalize('NFKC').trim().toLowerCase();
  if ((GRADES as readonly string[]).includes(s)) return s as Grade;
  throw invalid('grade', text, `expected one of ${GRADES.join(', ')}`);
}

export function parsePayMethod(text: string | undefined): PayMethod {
  const s = String(text ?? '').normalize('NFKC').trim().toLowerCase();
  if ((PAY_METHODS as readonly string[]).includes(s)) return s as PayMethod;
  throw invalid('method', text, `expected one of ${PAY_METHODS.join(', ')}`);
}

/** `--lines 1,2 3` → [1, 2, 3], distinct, in the order given. */
export function parseLineNumbers(text: string): number[] {
  const parts = String(text ?? '').normalize('NFKC').split(/[\s,，]+/).filter(Boolean);
  if (!parts.length) throw invalid('lines', text, 'expected line numbers like 1,2');
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,4}$/.test(p) || +p < 1) throw invalid('lines', text, 'expected line numbers like 1,2');
    if (!out.includes(+p)) out.push(+p);
  }
  return out;
}

/** `--resolves F3,4` → finding ids [3, 4]. */
export function parseFindingIds(text: string): number[] {
  const parts = String(text ?? '').normalize('NFKC').split(/[\s,，]+/).filter(Boolean);
  if (!parts.length) throw invalid('resolves', text, 'expected finding ids like F3,F4');
  const out: number[] = [];
  for (const p of parts) {
    const m = /^F?(\d{1,9})$/i.exec(p);
    if (!m) throw invalid('resolves', text, 'expected finding ids like F3,F4');
    if (!out.includes(+m[1]!)) out.push(+m[1]!);
  }
  return out;
}

export const findingLabel = (id: number) => `F${id}`;

// ---------------------------------------------------------------- lines and totals

export type LineKind = 'labor' | 'part' | 'fee';
export type LineStatus = 'proposed' | 'approved' | 'declined';

export interface LineAmountInput {
  kind: LineKind;
  /** labour: hours × 100 */
  hoursCenti?: number | null;
  /** part: quantity × 1000 */
  qtyMilli?: number | null;
  /** labour: the hourly rate; part: the unit price; fee: the price (cents) */
  unitPriceCents: number;
  customerSupplied?: boolean;
}

/** A line's amount in cents, half up: hours × rate, qty × price, or the fee. Customer-supplied parts cost nothing. */
export function lineAmount(l: LineAmountInput): number {
  if (l.kind === 'labor') return laborAmount(l.hoursCenti ?? 0, l.unitPriceCents);
  if (l.kind === 'part') return l.customerSupplied ? 0 : partAmount(l.qtyMilli ?? 0, l.unitPriceCents);
  return l.unitPriceCents;
}

/** Aftermarket, used and customer-supplied parts carry no quality guarantee (printed on the order). */
export function noQualityGuarantee(l: { kind: LineKind; grade?: string | null; customer_supplied?: number | boolean | null }): boolean {
  return l.kind === 'part' && (!!l.customer_supplied || l.grade === 'aftermarket' || l.grade === 'used');
}

export interface TotalsLine {
  kind: LineKind;
  status: LineStatus;
  amount_cents: number;
}

export interface OrderTotals {
  labor_cents: number;
  parts_cents: number;
  fees_cents: number;
  /** Σ approved lines − discount */
  total_cents: number;
  paid_cents: number;
  /** total − paid; negative when a deposit exceeds the bill (to refund) */
  balance_cents: number;
  /** Σ proposed lines: quoted, not yet agreed */
  proposed_cents: number;
}

/** `total = Σ approved lines − discount`, `balance = total − Σ payments` (SPEC §5.2). */
export function orderTotals(lines: readonly TotalsLine[], discountCents: number, payments: readonly { amount_cents: number }[]): OrderTotals {
  const t = { labor_cents: 0, parts_cents: 0, fees_cents: 0, proposed_cents: 0 };
  for (const l of lines) {
    if (l.status === 'proposed') t.proposed_cents += l.amount_cents;
    if (l.status !== 'approved') continue;
    if (l.kind === 'labor') t.labor_cents += l.amount_cents;
    else if (l.kind === 'part') t.parts_cents += l.amount_cents;
    else t.fees_cents += l.amount_cents;
  }
  const total = t.labor_cents + t.parts_cents + t.fees_cents - discountCents;
  const paid = payments.reduce((s, p) => s + p.amount_cents, 0);
  return { ...t, total_cents: total, paid_cents: paid, balance_cents: total - paid };
}

export interface SettlementLine {
  line_no: number;
  description: string;
  status: LineStatus;
  amount_cents: number;
  additional: number | boolean;
  approved_at: string | null;
}

export interface Settlement {
  /** total of the lines approved at the first approval (the signed estimate); null before it */
  estimate_cents: number | null;
  final_cents: number;
  /** final − estimate */
  difference_cents: number;
  exceeds: boolean;
  /** approved lines that were not in the signed estimate: added or approved after the first approval */
  extra_lines: Array<{ line_no: number; description: string; amount_cents: number }>;
}

/**
 * The settlement check of delivery: the final bill against what the customer signed. Any approved line
 * approved after the first approval (additional work, or a quoted line agreed to later) is listed.
 */
export function settlementCheck(estimateCents: number | null, finalCents: number, firstApprovedAt: string | null, lines: readonly SettlementLine[]): Settlement {
  const extra = firstApprovedAt === null
    ? []
    : lines.filter((l) => l.status === 'approved' && (!!l.additional || (l.approved_at !== null && l.approved_at > firstApprovedAt)));
  const difference = estimateCents === null ? 0 : finalCents - estimateCents;
  return {
    estimate_cents: estimateCents,
    final_cents: finalCents,
    difference_cents: difference,
    exceeds: estimateCents !== null && difference > 0,
    extra_lines: extra.map((l) => ({ line_no: l.line_no, description: l.description, amount_cents: l.amount_cents })),
  };
}

// ---------------------------------------------------------------- repeat repair

/**
 * A repeat repair (返修): the vehicle was delivered from an earlier order within `repeatDays` shop-local
 * days before this check-in. `repeatDays` 0 turns the check off.
 */
export function isRepeatRepair(deliveredOn: Day, openedOn: Day, repeatDays: number): boolean {
  if (repeatDays <= 0) return false;
  const days = daysBetween(deliveredOn, openedOn);
  return days >= 0 && days <= repeatDays;
}
