/**
 * The dealer group's pure rules (SPEC §15, §16): store codes, the PostgreSQL role names derived from
 * them, connection URLs shown with their password masked, and the group report's totals. Pure.
 */
import { invalid } from './errors.js';

/** A store code: a letter or digit, then up to 19 letters, digits, `_` or `-`; kept upper-case. */
export function parseStoreCode(field: string, value: string): string {
  const v = String(value).normalize('NFKC').trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$/.test(v)) throw invalid(field, value, 'expected a store code: 1 to 20 letters, digits, _ or -, starting with a letter or digit');
  return v.toUpperCase();
}

/** PostgreSQL's limit on a name (NAMEDATALEN − 1 bytes). */
const MAX_NAME = 63;

/**
 * The group's role names. Roles are server-wide, so each carries the group database's name:
 * `<db>_head_office`, `<db>_stores` (the role every store role is a member of) and
 * `<db>_store_<code>` (lower-case; `-` becomes `_`).
 */
export function groupRoles(database: string) {
  const base = database.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const check = (name: string) => {
    if (new TextEncoder().encode(name).length > MAX_NAME) throw invalid('database', database, `the role name ${name} would be longer than PostgreSQL's ${MAX_NAME} bytes; use a shorter database or store code`);
    return name;
  };
  return {
    headOffice: check(`${base}_head_office`),
    stores: check(`${base}_stores`),
    store: (code: string) => check(`${base}_store_${code.toLowerCase().replace(/-/g, '_')}`),
  };
}

/** A postgres:// URL as it may be shown: the password replaced by `********`. Not a URL: shown masked whole. */
export function maskUrl(url: string): string {
  if (!url) return url;
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '********';
    return u.toString().replace('%2A%2A%2A%2A%2A%2A%2A%2A', '********');
  } catch {
    return '********';
  }
}

/** `group.pg`'s check: empty, or a postgres:// or postgresql:// URL naming a host and a database. */
export function checkGroupUrl(v: string): string {
  if (!v) return v;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error('a postgres://user:password@host:port/database URL');
  }
  if ((u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') || !u.hostname || u.pathname.length < 2) {
    throw new Error('a postgres://user:password@host:port/database URL');
  }
  return v;
}
