/**
 * The group's PostgreSQL connection (SPEC §15): one `pg` client per command, loaded only by the group
 * commands, ended in a `finally` (an open client keeps the process alive under cron). PostgreSQL's
 * errors become `pitstop:` messages with the documented exit codes, naming the server but never the
 * password.
 */
import type { Client, ClientConfig } from 'pg';
import { PitstopError, Exit, usage } from '../../errors.js';
import { checkGroupUrl, maskUrl } from '../../domain/group.js';

export type PgClient = Client;

/** Seconds to wait for the server to answer a connection (PITSTOP_PG_CONNECT_TIMEOUT overrides). */
const CONNECT_TIMEOUT_S = 10;

/** Connect to the group's server at `url`. Never prints the password. */
export async function connectGroup(url: string, env: NodeJS.ProcessEnv = process.env): Promise<PgClient> {
  assertGroupUrl(url);
  const pg = (await import('pg')).default;
  // bigint sums and counts stay exact as text: the group code converts them deliberately
  const config: ClientConfig = {
    connectionString: url,
    connectionTimeoutMillis: 1000 * (Number(env.PITSTOP_PG_CONNECT_TIMEOUT) || CONNECT_TIMEOUT_S),
    application_name: 'pitstop',
  };
  const client = new pg.Client(config);
  // a connection the server ends (a restart, a killed backend) is reported by the query that needed it
  client.on('error', () => {});
  try {
    await client.connect();
    // the group's statements are index lookups over a store's period: compiling them (JIT) costs more
    // than it saves (about 100 ms a report here)
    await client.query('SET jit = off').catch(() => {});
  } catch (err) {
    await client.end().catch(() => {});
    throw pgError(err, url, true);
  }
  return client;
}

/**
 * A URL the group commands can use: postgres:// or postgresql://, a host and a database (the role
 * names carry the database's name, and without one PostgreSQL would pick the user's). Exit 2 otherwise,
 * the password masked.
 */
export function assertGroupUrl(url: string): void {
  try {
    if (!url || !checkGroupUrl(url)) throw new Error('empty');
  } catch {
    throw usage(`invalid group PostgreSQL URL ${JSON.stringify(maskUrl(url))}: expected postgres://user:password@host:port/database`);
  }
}

/**
 * PostgreSQL's SQLSTATE classes and node's socket errors → a PitstopError. `connecting`: the error came
 * before anything was sent; later, a lost connection may follow batches a push already committed.
 */
export function pgError(err: unknown, url: string, connecting = false): PitstopError {
  if (err instanceof PitstopError) return err;
  const e = err as { code?: string; message?: string };
  const where = describeServer(url);
  const code = e.code ?? '';
  const message = (e.message ?? String(err)).replace(/:\/\/[^@\s]*@/g, '://…@');
  const lost = ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE'].includes(code) || /timeout expired|Connection terminated/i.test(message);
  if (lost && connecting) {
    return new PitstopError(Exit.storage, `group PostgreSQL ${where} is unreachable (${code || message}); check group.pg or PITSTOP_GROUP_PG, and that the server runs — nothing was changed`);
  }
  if (code === '28P01' || code === '28000') {
    return new PitstopError(Exit.usage, `group PostgreSQL ${where} refused the login (${code === '28P01' ? 'wrong password' : 'not allowed'}) for role ${JSON.stringify(userOf(url))}; check the password in group.pg — nothing was changed`);
  }
  if (code === '3D000') return new PitstopError(Exit.notFound, `group PostgreSQL ${where}: the database does not exist; create it, then run pitstop group init`);
  if (code === '42501') return new PitstopError(Exit.conflict, `group PostgreSQL ${where}: permission denied (${message}) — nothing was changed`);
  if (lost || code === '57P01' || code === '57P02' || code === '57P03' || code === '08006' || code === '08003') {
    return new PitstopError(Exit.storage, `group PostgreSQL ${where} went away (${code || message}); batches committed before stay, and a push resumes after them on the next try`);
  }
  if (code === '53100' || code === '53200') return new PitstopError(Exit.storage, `group PostgreSQL ${where} is out of space or memory (${message})`);
  return new PitstopError(Exit.internal, `group PostgreSQL ${where}: ${message}${code ? ` (SQLSTATE ${code})` : ''}`);
}

function userOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || '(default)';
  } catch {
    return '(unknown)';
  }
}

/** host:port/database of a URL, for messages. */
export function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(bad URL)';
  }
}

/** The database name of a URL (the role names carry it). */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** A quoted identifier. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
