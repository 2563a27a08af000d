/**
 * The follow-up callback list of SPEC §6.2: priority, reason tags, order and agent rotation. Pure.
 */
import { daysBetween, type Day } from '../time.js';
import type { Row } from './types.js';

export type CallbackTag = 'complaint' | 'repeat' | 'rework' | 'first_visit';

export interface CallbackFacts {
  /** the order number */
  number: string;
  /** stored UTC instant */
  deliveredAt: string;
  advisorId: number | null;
  openComplaint: boolean;
  repeat: boolean;
  qcFailures: number;
  /** The customer's first delivered order. */
  firstVisit: boolean;
}

export function callbackTags(f: CallbackFacts): CallbackTag[] {
  const tags: CallbackTag[] = [];
  if (f.openComplaint) tags.push('complaint');
  if (f.repeat) tags.push('repeat');
  if (f.qcFailures > 0) tags.push('rework');
  if (f.firstVisit) tags.push('first_visit');
  return tags;
}

/** 1: complaint, repeat repair or failed QC; 2: first delivered order; else 3. */
export function callbackPriority(tags: readonly CallbackTag[]): 1 | 2 | 3 {
  if (tags.some((t) => t !== 'first_visit')) return 1;
  return tags.includes('first_visit') ? 2 : 3;
}

/**
 * Hands calls to agents in turn (agents sorted by staff id), skipping the order's own advisor: nobody
 * calls back a customer they received. Returns the assigner; `null` when no agent can take the call
 * (no agents, or the only agent is the advisor) — the turn does not advance then.
 */
export function agentRotation(agentIds: readonly number[]): (advisorId: number | null) => number | null {
  const agents = [...agentIds].sort((a, b) => a - b);
  let next = 0;
  return (advisorId) => {
    for (let i = 0; i < agents.length; i++) {
      const k = (next + i) % agents.length;
      if (agents[k] !== advisorId) {
        next = k + 1;
        return agents[k]!;
      }
    }
    return null;
  };
}

export interface PlannedCallback<T extends CallbackFacts> {
  facts: T;
  tags: CallbackTag[];
  priority: 1 | 2 | 3;
  agentId: number | null;
}

/** What a call's place in the list depends on. */
export interface CallbackPlace {
  priority: number;
  deliveredAt: string;
  number: string;
}

/**
 * The list's order — priority, then delivery time, then order number — as one text, so that a list
 * sorts by one string compare a pair (priority is one digit; U+0000, which validated text never holds,
 * ends the delivery time so that a shorter one sorts first).
 */
export function callbackOrderKey(p: CallbackPlace): string {
  return `${p.priority}${p.deliveredAt}\u0000${p.number}`;
}

/**
 * The list: tags and priority per order, sorted by priority, delivery time and order number (by
 * callbackOrderKey, one text compare), then agents assigned in turn down the sorted list.
 */
export function planCallbacks<T extends CallbackFacts>(candidates: readonly T[], agentIds: readonly number[]): PlannedCallback<T>[] {
  const planned = candidates.map((facts) => {
    const tags = callbackTags(facts);
    const priority = callbackPriority(tags);
    return { facts, tags, priority, agentId: null as number | null, key: callbackOrderKey({ priority, deliveredAt: facts.deliveredAt, number: facts.number }) };
  });
  planned.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const assign = agentRotation(agentIds);
  for (const p of planned) p.agentId = assign(p.facts.advisorId);
  return planned;
}

// ---------------------------------------------------------------- the callbacks plan

/** A candidate order with what the list shows about it. */
export interface CallbackCandidate extends CallbackFacts {
  category: string;
  totalCents: number;
  callWindow: string | null;
  customerName: string;
  phone: string;
  plate: string;
  model: string | null;
  advisor: string | null;
}

/** What the list reads from the settings. */
export interface CallbackSettings {
  /** callback.window: the call window of an order that has none */
  defaultWindow: string;
}

/** The list of D, in order, agents assigned; `toDay` gives an instant's shop-local day. */
export function callbackRows(
  candidates: readonly CallbackCandidate[],
  agents: ReadonlyArray<{ id: number; name: string }>,
  s: CallbackSettings,
  day: Day,
  toDay: (instant: string) => Day,
): Row[] {
  const agentName = new Map(agents.map((a) => [a.id, a.name]));
  const age = new Map<Day, number>();
  const rows: Row[] = [];
  for (const p of planCallbacks(candidates, agents.map((a) => a.id))) {
    const f = p.facts;
    const deliveredOn = toDay(f.deliveredAt);
    let days = age.get(deliveredOn);
    if (days === undefined) age.set(deliveredOn, (days = daysBetween(deliveredOn, day)));
    rows.push({
      order_number: f.number,
      delivered_on: deliveredOn,
      days_since_delivery: days,
      customer_name: f.customerName,
      phone: f.phone,
      plate: f.plate,
      model: f.model,
      category: f.category,
      total: f.totalCents,
      advisor: f.advisor,
      agent: p.agentId === null ? null : agentName.get(p.agentId),
      call_window: f.callWindow || s.defaultWindow,
      priority: p.priority,
      reason: p.tags.join(';'),
    });
  }
  return rows;
}
