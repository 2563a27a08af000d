/**
 * Undo and merge in the archive (SPEC §10, §16): reactivate a vehicle or a staff member, merge two
 * records of one customer, amend a callback recorded by mistake. One transaction each, audited with
 * before and after; a merge keeps every order, booking, callback and complaint and the merged phone.
 */
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import { cleanName, cleanText } from '../domain/identity.js';
import { toIso } from '../domain/time.js';
import { checkCallbackForm, parseReason, parseResult, parseScores, type CallbackResult, type Reason } from '../domain/followup.js';
import { customerById, updateCustomer, type DbCustomer } from '../db/customers.js';
import { updateVehicle, type DbVehicle } from '../db/vehicles.js';
import { setStaffActive, staffByName, type DbStaff } from '../db/staff.js';
import { callbackRow, type DbCallback } from '../db/followup.js';
import { deleteCustomer, insertAlias, moveCustomerRows, updateCallback } from '../db/corrections.js';
import { findCustomer } from './customers.js';
import { findVehicle } from './vehicles.js';
import { findStaff } from './staff.js';

export async function reactivateVehicle(ctx: Ctx, plateText: string): Promise<DbVehicle> {
  return ctx.db.transaction(async (db) => {
    const v = await findVehicle(ctx, plateText);
    if (v.active) return v;
    await updateVehicle(db, v.id, { active: 1 });
    await audit(ctx, 'reactivate', 'vehicle', v.id, { plate: v.plate });
    return { ...v, active: 1 };
  });
}

export async function reactivateStaff(ctx: Ctx, nameText: string): Promise<DbStaff> {
  const name = cleanName('name', nameText, 50);
  return ctx.db.transaction(async (db) => {
    const s = await staffByName(db, name);
    if (!s) throw notFound('staff', name);
    if (s.active) return s;
    await setStaffActive(db, s.id, true);
    await audit(ctx, 'reactivate', 'staff', s.id, { name });
    return { ...s, active: 1 };
  });
}

export interface MergeResult {
  survivor: DbCustomer;
  merged: DbCustomer;
  moved: Record<string, number>;
}

/**
 * Merge customer `ref` into `intoRef`: its vehicles, orders, bookings and complaints (and so their
 * callbacks and findings) move to the survivor; the survivor keeps the stricter consent and fills its
 * empty company/address/note; the merged phone stays as an alias that finds the survivor. Different
 * names need `force` (phones are unique, so two records of one person always differ in phone).
 */
export async function mergeCustomers(ctx: Ctx, ref: string, input: { into?: string; force?: boolean }): Promise<MergeResult> {
  if (!input.into) throw usage('missing required --into');
  return ctx.db.transaction(async (db) => {
    const merged = await findCustomer(ctx, ref);
    const survivor = await findCustomer(ctx, input.into!, 'into');
    if (merged.id === survivor.id) throw invalid('into', input.into, `is customer ${merged.id} itself: a customer cannot be merged into itself`);
    if (merged.name !== survivor.name && !input.force) {
      throw conflict(`customer ${merged.id} is named ${JSON.stringify(merged.name)}, customer ${survivor.id} ${JSON.stringify(survivor.name)}: names differ; give --force if they are one customer`);
    }
    const changes: Partial<DbCustomer> = {};
    // the stricter consent of the two, per channel
    if (merged.no_calls && !survivor.no_calls) changes.no_calls = 1;
    if (merged.no_messages && !survivor.no_messages) changes.no_messages = 1;
    if ((merged.no_calls || survivor.no_calls) && (merged.no_messages || survivor.no_messages) && !survivor.do_not_contact) changes.do_not_contact = 1;
    for (const k of ['company', 'address', 'note'] as const) if (!survivor[k] && merged[k]) changes[k] = merged[k];
    const moved = await moveCustomerRows(db, merged.id, survivor.id);
    await insertAlias(db, { phone: merged.phone, customer_id: survivor.id, name: merged.name, merged_at: toIso(ctx.now) });
    await deleteCustomer(db, merged.id);
    if (Object.keys(changes).length) await updateCustomer(db, survivor.id, changes);
    await audit(ctx, 'merge', 'customer', survivor.id, { merged: merged, moved, ...(Object.keys(changes).length ? { changed: changes } : {}), ...(input.force ? { forced: true } : {}) });
    return { survivor: (await customerById(db, survivor.id))!, merged, moved };
  });
}

export interface CallbackAmend {
  result?: string;
  scores?: string;
  reason?: string;
  comment?: string;
  suggestion?: string;
  agent?: string;
}

/** Correct a callback recorded by mistake; the form's rules hold for the amended callback as a whole. */
export async function amendCallback(ctx: Ctx, idText: string, input: CallbackAmend) {
  const s = String(idText ?? '').normalize('NFKC').trim();
  if (!/^\d{1,9}$/.test(s)) throw invalid('callback id', idText, 'expected a callback id like 12');
  const id = Number(s);
  const given = (Object.keys(input) as (keyof CallbackAmend)[]).filter((k) => input[k] !== undefined);
  if (!given.length) throw usage('nothing to change: give --result, --scores, --reason, --comment, --suggestion or --agent');
  return ctx.db.transaction(async (db) => {
    const cb = await db.get<DbCallback>('SELECT * FROM callbacks WHERE id = ?', [id]);
    if (!cb) throw notFound('callback', id);
    const changes: Record<string, string | number | null> = {};
    if (input.result !== undefined) changes.result = parseResult(input.result);
    if (input.scores !== undefined) {
      const scores = input.scores === '' ? [null, null, null, null, null] : parseScores(input.scores);
      scores.forEach((v, i) => (changes[`q${i + 1}`] = v));
    }
    if (input.reason !== undefined) changes.reason = input.reason === '' ? null : parseReason(input.reason);
    if (input.comment !== undefined) changes.comment = cleanText('comment', input.comment, 2000);
    if (input.suggestion !== undefined) changes.suggestion = cleanText('suggestion', input.suggestion, 2000);
    if (input.agent !== undefined) changes.agent_id = input.agent === '' ? null : (await findStaff(ctx, 'agent', input.agent, 'agent')).id;
    const next = { ...cb, ...changes } as DbCallback;
    const scores = next.q1 === null ? null : [next.q1, next.q2, next.q3, next.q4, next.q5] as number[];
    checkCallbackForm(next.result as CallbackResult, scores, next.reason as Reason | null);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(changes)) {
      if (cb[k as keyof DbCallback] === v) continue;
      before[k] = cb[k as keyof DbCallback];
      after[k] = v;
    }
    await updateCallback(db, id, changes);
    if (Object.keys(after).length) await audit(ctx, 'amend', 'callback', id, { before, after });
    return { callback: (await callbackRow(db, id))!, before, after };
  });
}
