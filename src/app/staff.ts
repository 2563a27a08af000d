import type { Ctx } from './context.js';
import { audit } from './audit.js';
import { conflict, invalid, notFound } from '../errors.js';
import { cleanName } from '../domain/identity.js';
import { insertStaff, listStaff, setStaffActive, staffByName, type DbStaff } from '../db/staff.js';

export const ROLES = ['advisor', 'technician', 'inspector', 'agent', 'manager'] as const;
export type Role = (typeof ROLES)[number];

/** `advisor,agent` → the normalized, de-duplicated set in the canonical order. */
export function parseRoles(text: string): string {
  const given = String(text ?? '').normalize('NFKC').split(/[,，\s]+/).map((r) => r.trim().toLowerCase()).filter(Boolean);
  if (!given.length) throw invalid('role', text, `expected one or more of ${ROLES.join(',')}`);
  for (const r of given) if (!(ROLES as readonly string[]).includes(r)) throw invalid('role', r, `expected one or more of ${ROLES.join(',')}`);
  return ROLES.filter((r) => given.includes(r)).join(',');
}

export function hasRole(staff: Pick<DbStaff, 'role'>, role: Role): boolean {
  return staff.role.split(',').includes(role);
}

export async function addStaff(ctx: Ctx, input: { name: string; role: string }): Promise<DbStaff> {
  const name = cleanName('name', input.name, 50);
  const role = parseRoles(input.role);
  return ctx.db.transaction(async (db) => {
    if (await staffByName(db, name)) throw conflict(`staff ${JSON.stringify(name)} already exists`);
    const id = await insertStaff(db, { name, role, active: 1 });
    await audit(ctx, 'add', 'staff', id, { name, role });
    return { id, name, role, active: 1 };
  });
}

export async function deactivateStaff(ctx: Ctx, nameText: string): Promise<DbStaff> {
  const name = cleanName('name', nameText, 50);
  return ctx.db.transaction(async (db) => {
    const s = await staffByName(db, name);
    if (!s) throw notFound('staff', name);
    if (!s.active) return s;
    await setStaffActive(db, s.id, false);
    await audit(ctx, 'deactivate', 'staff', s.id, { name });
    return { ...s, active: 0 };
  });
}

export function staffList(ctx: Ctx, all = false): Promise<DbStaff[]> {
  return listStaff(ctx.db, all);
}

/**
 * The active staff member `name` (for `--advisor`, `--tech`, `--by`…); with `role`, they must hold it.
 * `flag` names the option in the message.
 */
export async function findStaff(ctx: Ctx, flag: string, nameText: string, role?: Role): Promise<DbStaff> {
  const name = String(nameText ?? '').normalize('NFKC').trim();
  const s = await staffByName(ctx.db, name);
  if (!s) throw notFound(`staff (${flag})`, name);
  if (!s.active) throw conflict(`staff ${JSON.stringify(name)} (${flag}) is deactivated`);
  if (role && !hasRole(s, role)) throw conflict(`staff ${JSON.stringify(name)} (${flag}) is not a ${role} (roles: ${s.role})`);
  return s;
}
