/**
 * The group schema in PostgreSQL (SPEC §15, §16): versioned like the store's SQLite migrations, in
 * pitstop.meta. `group init` brings it up to GROUP_SCHEMA_VERSION in one transaction (idempotent; a
 * newer schema is refused untouched) and creates the group's roles; `group store add` registers a store
 * and its role. Released group migrations never change: a change is a new entry, additive where it can
 * be (then compatible_from stays, and older pitstops keep pushing).
 */
import crypto from 'node:crypto';
import type { PgClient } from './pg.js';
import { ident } from './pg.js';
import { GROUP_MIGRATION_1 } from './released/0001-group.js';
import { PitstopError, Exit, conflict } from '../../errors.js';

export const GROUP_MIGRATIONS: readonly string[] = [
  // 1: stores, push state, tombstones and the pushed tables, with row-level security
  GROUP_MIGRATION_1,
];
export const GROUP_SCHEMA_VERSION = GROUP_MIGRATIONS.length;

export interface GroupRoles {
  headOffice: string;
  stores: string;
  store: (code: string) => string;
}

export interface SchemaState {
  version: number;
  compatibleFrom: number;
}

/** The group schema's version, or null when the database has none. */
export async function readSchema(client: PgClient): Promise<SchemaState | null> {
  const has = await client.query<{ t: string | null }>(`SELECT to_regclass('pitstop.meta')::text AS t`);
  if (!has.rows[0]?.t) return null;
  const rows = (await client.query<{ key: string; value: string }>('SELECT key, value FROM pitstop.meta')).rows;
  const get = (k: string) => Number(rows.find((r) => r.key === k)?.value ?? 0);
  return { version: get('schema_version'), compatibleFrom: get('compatible_from') || 1 };
}

/** The group schema, or exit 3 when the database has none. */
export function requireSchema(state: SchemaState | null, where: string): SchemaState {
  if (!state || state.version < 1) throw new PitstopError(Exit.notFound, `group PostgreSQL ${where} has no pitstop group schema; run pitstop group init --pg URL there first`);
  return state;
}

/** Refuse a group schema this pitstop cannot write to (exit 5), or none at all (exit 3). */
export function assertPushable(found: SchemaState | null, where: string): SchemaState {
  const state = requireSchema(found, where);
  if (state.compatibleFrom > GROUP_SCHEMA_VERSION) {
    throw new PitstopError(Exit.storage, `group PostgreSQL ${where} has group schema ${state.version}, which needs pitstop group schema ${state.compatibleFrom} or later to push (this pitstop has ${GROUP_SCHEMA_VERSION}); upgrade pitstop — nothing was pushed`);
  }
  if (state.version < GROUP_SCHEMA_VERSION) {
    throw new PitstopError(Exit.storage, `group PostgreSQL ${where} has group schema ${state.version}, older than this pitstop's ${GROUP_SCHEMA_VERSION}; run pitstop group init --pg URL to upgrade it — nothing was pushed`);
  }
  return state;
}

/** A random password: 24 URL-safe characters, so it can sit in a postgres:// URL as is. */
export const newPassword = () => crypto.randomBytes(18).toString('base64url');

/**
 * The SCRAM-SHA-256 verifier of a password (RFC 7677, PostgreSQL's pg_authid format): CREATE ROLE
 * carries this instead of the password, so the password is in no server log either.
 */
export function scramVerifier(password: string, salt = crypto.randomBytes(16), iterations = 4096): string {
  const salted = crypto.pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = crypto.createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = crypto.createHash('sha256').update(clientKey).digest();
  const serverKey = crypto.createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function roleExists(client: PgClient, name: string): Promise<boolean> {
  return (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount! > 0;
}

export interface InitResult {
  from: number;
  to: number;
  /** set when this run created the head office role */
  headOfficePassword?: string;
}

/**
 * Create or upgrade the group schema and roles, in one transaction under an advisory lock (two
 * inits at once run one after the other). A schema newer than ours is refused, untouched.
 */
export async function initSchema(client: PgClient, roles: GroupRoles, where: string): Promise<InitResult> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('pitstop.group.init'))`);
    const state = await readSchema(client);
    const from = state?.version ?? 0;
    if (from > GROUP_SCHEMA_VERSION) {
      throw new PitstopError(Exit.storage, `group PostgreSQL ${where} has group schema ${from}, newer than this pitstop understands (${GROUP_SCHEMA_VERSION}); upgrade pitstop — nothing was changed`);
    }
    const result: InitResult = { from, to: GROUP_SCHEMA_VERSION };
    if (!(await roleExists(client, roles.stores))) await client.query(`CREATE ROLE ${ident(roles.stores)} NOLOGIN`);
    if (!(await roleExists(client, roles.headOffice))) {
      result.headOfficePassword = newPassword();
      await client.query(`CREATE ROLE ${ident(roles.headOffice)} LOGIN PASSWORD ${literal(scramVerifier(result.headOfficePassword))}`);
    }
    if (from === 0) await client.query('CREATE SCHEMA IF NOT EXISTS pitstop');
    await client.query(`GRANT USAGE ON SCHEMA pitstop TO ${ident(roles.stores)}, ${ident(roles.headOffice)}`);
    for (let v = from; v < GROUP_SCHEMA_VERSION; v++) {
      await client.query(GROUP_MIGRATIONS[v]!.replaceAll('{{stores}}', ident(roles.stores)).replaceAll('{{head_office}}', ident(roles.headOffice)));
    }
    await client.query(`INSERT INTO pitstop.meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(GROUP_SCHEMA_VERSION)]);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

export interface StoreRow {
  code: string;
  name: string;
  role: string;
  created_at: string;
  pushed_at: string | null;
  rows_pushed: string | null;
  phase: string | null;
}

/** Register a store and create its login role (member of the stores role). Exit 4 when the code exists. */
export async function addStore(client: PgClient, roles: GroupRoles, code: string, name: string): Promise<{ role: string; password: string }> {
  const role = roles.store(code);
  const password = newPassword();
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('pitstop.group.init'))`);
    const known = await client.query('SELECT code FROM pitstop.stores WHERE code = $1 OR role = $2', [code, role]);
    if (known.rowCount) throw conflict(`store ${code} is already in the group (role ${role}); choose another code`);
    if (await roleExists(client, role)) throw conflict(`a PostgreSQL role ${role} already exists on this server; choose another store code`);
    await client.query(`CREATE ROLE ${ident(role)} LOGIN PASSWORD ${literal(scramVerifier(password))} IN ROLE ${ident(roles.stores)}`);
    await client.query('INSERT INTO pitstop.stores (code, name, role) VALUES ($1, $2, $3)', [code, name, role]);
    await client.query('COMMIT');
    return { role, password };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Every store with its last push, by code. */
export async function listStores(client: PgClient): Promise<StoreRow[]> {
  return (await client.query<StoreRow>(`SELECT s.code, s.name, s.role, s.created_at::text AS created_at, p.pushed_at::text AS pushed_at,
           p.rows_pushed::text AS rows_pushed, p.phase
      FROM pitstop.stores s LEFT JOIN pitstop.push_state p ON p.store = s.code ORDER BY s.code`)).rows;
}
