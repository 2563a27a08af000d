import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound, usage } from '../errors.js';
import { cleanName, cleanSearch, cleanText, normalizePhone, type CustomerKind } from '../domain/identity.js';
import { toIso } from '../domain/time.js';
import { normalizePlate } from '../domain/identity.js';
import { vehicleByPlate } from '../db/vehicles.js';
import {
  customerByAlias, customersByName, customerById, customerByPhone, insertCustomer, searchCustomers, updateCustomer, type DbCustomer, type NewCustomer,
} from '../db/customers.js';

export interface CustomerInput {
  name?: string;
  phone?: string;
  kind?: string;
  company?: string;
  address?: string;
  note?: string;
  doNotContact?: boolean;
  /** accepts calls (--calls / --no-calls) */
  calls?: boolean;
  /** accepts messages (--messages / --no-messages) */
  messages?: boolean;
}

/**
 * Consent per channel (SPEC §13, §16): `--do-not-contact` refuses both (its negation allows both), then
 * `--calls/--no-calls` and `--messages/--no-messages` set one each; what is not given stays.
 * `do_not_contact` is kept as "both refused".
 */
export function consentOf(input: Pick<CustomerInput, 'doNotContact' | 'calls' | 'messages'>, current: { no_calls: 0 | 1; no_messages: 0 | 1 } = { no_calls: 0, no_messages: 0 }) {
  let noCalls = current.no_calls === 1;
  let noMessages = current.no_messages === 1;
  if (input.doNotContact !== undefined) noCalls = noMessages = input.doNotContact;
  if (input.calls !== undefined) noCalls = !input.calls;
  if (input.messages !== undefined) noMessages = !input.messages;
  return { no_calls: noCalls ? 1 : 0, no_messages: noMessages ? 1 : 0, do_not_contact: noCalls && noMessages ? 1 : 0 } as const;
}

export function parseKind(text: string | undefined): CustomerKind {
  const k = (text ?? 'private').normalize('NFKC').trim().toLowerCase();
  if (k === 'private' || k === 'fleet') return k;
  throw invalid('kind', text, 'expected private or fleet');
}

/**
 * Validate a whole new customer; pure apart from `now` (an instant, or its stored text when a caller
 * validates many rows at one moment). Used by `customer add` and the importer.
 */
export function validateCustomer(input: CustomerInput, now: Date | string): NewCustomer {
  if (input.name === undefined || input.name === '') throw usage('missing required --name');
  if (input.phone === undefined || input.phone === '') throw usage('missing required --phone');
  const kind = parseKind(input.kind);
  return {
    name: cleanName('name', input.name),
    phone: normalizePhone(input.phone, kind),
    kind,
    company: cleanText('company', input.company, 200),
    address: cleanText('address', input.address, 500),
    note: cleanText('note', input.note, 2000),
    ...consentOf(input),
    created_at: typeof now === 'string' ? now : toIso(now),
  };
}

export async function addCustomer(ctx: Ctx, input: CustomerInput): Promise<DbCustomer> {
  const c = validateCustomer(input, ctx.now);
  return ctx.db.transaction(async (db) => {
    const dup = await customerByPhone(db, c.phone);
    if (dup) throw conflict(`phone ${c.phone} already belongs to customer ${dup.id} (${dup.name})`);
    const id = await insertCustomer(db, c);
    await audit(ctx, 'add', 'customer', id, { name: c.name, phone: c.phone });
    return { id, ...c };
  });
}

/**
 * A customer reference, looked up as id (digits shorter than a phone), then phone (a merged customer's
 * phone finds the survivor), then plate (the vehicle's owner), then exact name (SPEC §16). Several
 * customers with that name is exit 4 listing them, so the desk can give the id.
 */
export async function findCustomer(ctx: Ctx, ref: string, flag = 'customer'): Promise<DbCustomer> {
  const text = String(ref ?? '').normalize('NFKC').trim();
  if (!text) throw invalid(flag, ref, 'expected a customer id, phone, plate or name');
  if (/^\d{1,9}$/.test(text)) {
    const c = await customerById(ctx.db, Number(text));
    if (c) return c;
    throw notFound(flag, text);
  }
  let phone: string | null = null;
  try {
    phone = normalizePhone(text, 'fleet');
  } catch {
    phone = null;
  }
  if (phone !== null) {
    const c = (await customerByPhone(ctx.db, phone)) ?? (await customerByAlias(ctx.db, phone));
    if (!c) throw notFound(flag, text);
    return c;
  }
  let plate: string | null = null;
  try {
    plate = normalizePlate(text);
  } catch {
    plate = null;
  }
  if (plate !== null) {
    const v = await vehicleByPlate(ctx.db, plate);
    if (v) return (await customerById(ctx.db, v.customer_id))!;
  }
  const named = await customersByName(ctx.db, text);
  if (named.length === 1) return named[0]!;
  if (!named.length) throw notFound(flag, text);
  throw conflict(
    `${named.length} customers are named ${JSON.stringify(text)}: give the id (--${flag} ID)`,
    named.map((c) => `${c.id}  ${c.name}  ${c.phone}${c.company ? `  ${c.company}` : ''}`),
  );
}

export async function editCustomer(ctx: Ctx, ref: string, input: CustomerInput): Promise<DbCustomer> {
  return ctx.db.transaction(async (db) => {
    const current = await findCustomer(ctx, ref);
    const changes: Partial<NewCustomer> = {};
    const kind = input.kind !== undefined ? parseKind(input.kind) : current.kind;
    if (input.kind !== undefined) changes.kind = kind;
    if (input.name !== undefined) changes.name = cleanName('name', input.name);
    if (input.phone !== undefined) changes.phone = normalizePhone(input.phone, kind);
    else if (kind !== current.kind) normalizePhone(current.phone, kind); // a landline cannot become private
    if (input.company !== undefined) changes.company = cleanText('company', input.company, 200);
    if (input.address !== undefined) changes.address = cleanText('address', input.address, 500);
    if (input.note !== undefined) changes.note = cleanText('note', input.note, 2000);
    if (input.doNotContact !== undefined || input.calls !== undefined || input.messages !== undefined) Object.assign(changes, consentOf(input, current));
    if (changes.phone && changes.phone !== current.phone) {
      // a new number: whatever a call found wrong was about the old one
      if (current.phone_bad_at) (changes as Partial<DbCustomer>).phone_bad_at = null;
      const dup = await customerByPhone(db, changes.phone);
      if (dup) throw conflict(`phone ${changes.phone} already belongs to customer ${dup.id} (${dup.name})`);
    }
    const changed = Object.fromEntries(Object.entries(changes).filter(([k, v]) => current[k as keyof DbCustomer] !== v));
    if (Object.keys(changed).length) {
      await updateCustomer(db, current.id, changed);
      await audit(ctx, 'edit', 'customer', current.id, changed);
    }
    return { ...current, ...changed } as DbCustomer;
  });
}

export function listCustomers(ctx: Ctx, search: string | undefined, limit: number) {
  return searchCustomers(ctx.db, cleanSearch(search), limit);
}

export interface CustomerPicture {
  customer: DbCustomer;
  vehicles: Record<string, unknown>[];
  visits: Record<string, unknown>[];
  open_complaints: Record<string, unknown>[];
  callbacks: Record<string, unknown>[];
  balance_owed_cents: number;
}

/** Everything the desk should see about a customer on one screen. */
export async function showCustomer(ctx: Ctx, ref: string, visitsLimit = 20): Promise<CustomerPicture> {
  const customer = await findCustomer(ctx, ref);
  const db = ctx.db;
  const [vehicles, visits, openComplaints, callbacks, owed] = await Promise.all([
    db.all('SELECT id, plate, vin, make, model, color, year, active FROM vehicles WHERE customer_id = ? ORDER BY active DESC, plate', [customer.id]),
    db.all(
      `SELECT o.number, o.opened_at, o.status, o.category, v.plate, o.total_cents, o.paid_cents,
              o.total_cents - o.paid_cents AS balance_cents, o.delivered_at
         FROM orders o JOIN vehicles v ON v.id = o.vehicle_id
        WHERE o.customer_id = ? ORDER BY o.opened_at DESC LIMIT ?`,
      [customer.id, visitsLimit],
    ),
    db.all(`SELECT id, order_id, category, description, opened_at, reply_by FROM complaints WHERE customer_id = ? AND status = 'open' ORDER BY opened_at`, [customer.id]),
    db.all(
      `SELECT o.number, cb.attempted_at, cb.result, cb.q1, cb.q2, cb.q3, cb.q4, cb.q5, cb.comment
         FROM callbacks cb JOIN orders o ON o.id = cb.order_id WHERE o.customer_id = ? ORDER BY cb.attempted_at DESC LIMIT 10`,
      [customer.id],
    ),
    db.get<{ owed: number | null }>(
      `SELECT SUM(total_cents - paid_cents) AS owed FROM orders WHERE customer_id = ? AND status = 'delivered' AND total_cents > paid_cents`,
      [customer.id],
    ),
  ]);
  return { customer, vehicles, visits, open_complaints: openComplaints, callbacks, balance_owed_cents: owed?.owed ?? 0 };
}
