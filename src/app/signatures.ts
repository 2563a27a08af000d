/** `order sign` (SPEC §11, §16): record that a signature exists on paper, who made it and when. */
import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { eventTimeOn, findOrder } from './orders.js';
import { cleanText } from '../domain/identity.js';
import { defaultSignWhat, parseSignRole, parseSignWhat, type SignWhat } from '../domain/signatures.js';
import { conflict, missing } from '../errors.js';
import { toIso } from '../domain/time.js';
import { insertEvent } from '../db/orders.js';
import { insertSignature, signaturesOf, type DbSignature } from '../db/signatures.js';

export interface SignInput {
  as?: string;
  name?: string;
  what?: string;
  at?: string;
}

export async function signOrder(ctx: Ctx, numberText: string, input: SignInput): Promise<{ order_number: string; signature: DbSignature; signatures: DbSignature[] }> {
  if (input.as === undefined) throw missing('--as customer|advisor|technician|inspector');
  const role = parseSignRole(input.as);
  const name = cleanText('name', input.name, 100);
  return ctx.db.transaction(async (db) => {
    const order = await findOrder(ctx, numberText);
    if (order.status === 'cancelled') throw conflict(`order ${order.number} is cancelled: nothing to sign`);
    let what: SignWhat;
    if (input.what !== undefined) what = parseSignWhat(input.what);
    else {
      const d = defaultSignWhat(order.status);
      if (!d) throw conflict(`order ${order.number} is ${order.status}: say what is signed with --what estimate|additional|declined|delivery`);
      what = d;
    }
    const signedAt = eventTimeOn(ctx, order, input.at);
    const id = await insertSignature(db, { order_id: order.id, role, name, what, signed_at: signedAt, recorded_at: toIso(ctx.now) });
    await insertEvent(db, { order_id: order.id, at: signedAt, event: 'signed', details: { role, what, ...(name ? { name } : {}) } });
    await audit(ctx, 'sign', 'order', order.number, { role, what, ...(name ? { name } : {}), signed_at: signedAt });
    const signatures = await signaturesOf(db, order.id);
    return { order_number: order.number, signature: signatures.find((s) => s.id === id)!, signatures };
  });
}
