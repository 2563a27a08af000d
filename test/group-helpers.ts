/**
 * A PostgreSQL for the group tests (issue 18): the server PITSTOP_TEST_PG names (CI sets it to the
 * machine's, 127.0.0.1:5432, trust authentication), each test file in a database of its own; without it,
 * an embedded PostgreSQL — PGlite behind its socket server — started for the file. PGlite takes one
 * connection at a time and its socket server cannot take COPY FROM STDIN or a role per connection:
 * tests that need two connections at once, or a login as a store's own role, run on the real server
 * only (`realServer`), and say so when skipped.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import type { Db } from '../src/db/sqlite.js';
import { GROUP_TABLES } from '../src/db/group/tables.js';

export interface TestPg {
  kind: 'server' | 'pglite';
  /** A URL of the file's own database, as its owner (a superuser). */
  url: string;
  /** The database's name (the role names carry it). */
  database: string;
  /** The URL with another user and password. */
  as(user: string, password?: string): string;
  /** Empty the group: drop the schema and the group's roles. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const realServer = !!process.env.PITSTOP_TEST_PG;
export const SKIP_PGLITE = 'needs two connections at once or a login as a store role: runs against PITSTOP_TEST_PG (the real server), not the embedded PGlite';

async function query(url: string, sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

async function dropRoles(url: string, database: string) {
  const roles = (await query(url, `SELECT rolname FROM pg_roles WHERE rolname LIKE $1`, [`${database}\\_%`])).rows.map((r) => r.rolname as string);
  // store roles first: they are members of the stores role
  roles.sort((a, b) => Number(b.includes('_store_')) - Number(a.includes('_store_')));
  for (const r of roles) await query(url, `DROP ROLE IF EXISTS "${r}"`).catch(() => {});
}

export async function startTestPg(): Promise<TestPg> {
  const server = process.env.PITSTOP_TEST_PG;
  if (server) {
    const database = `pitstop_t_${crypto.randomBytes(4).toString('hex')}`;
    await query(server, `CREATE DATABASE ${database}`);
    const u = new URL(server);
    u.pathname = `/${database}`;
    const url = u.toString();
    const as = (user: string, password = 'x') => {
      const v = new URL(url);
      v.username = user;
      v.password = password;
      return v.toString();
    };
    return {
      kind: 'server', url, database, as,
      reset: async () => {
        await query(url, 'DROP SCHEMA IF EXISTS pitstop CASCADE');
        await dropRoles(server, database);
      },
      stop: async () => {
        await query(server, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await dropRoles(server, database);
      },
    };
  }
  const child = spawn(process.execPath, [path.join(path.dirname(new URL(import.meta.url).pathname), 'pglite-server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (b: Buffer) => resolve(Number(String(b).trim())));
    child.once('exit', (code) => reject(new Error(`test/pglite-server.mjs ended (${code})`)));
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    kind: 'pglite', url, database: 'postgres',
    as: () => url,
    reset: async () => {
      await query(url, 'DROP SCHEMA IF EXISTS pitstop CASCADE');
      await dropRoles(url, 'postgres');
    },
    stop: async () => {
      const ended = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      await ended;
    },
  };
}

/** Each pushed table's rows, in id order, as the group's columns: [count, sha256] per table. */
export async function storeChecksums(db: Db): Promise<Record<string, [number, string]>> {
  const out: Record<string, [number, string]> = {};
  for (const t of GROUP_TABLES) {
    const rows = await db.all<Record<string, unknown>>(`SELECT ${t.columns.map(([c]) => `"${c}"`).join(', ')} FROM "${t.name}" ORDER BY id`);
    out[t.name] = [rows.length, digest(rows.map((r) => t.columns.map(([c]) => r[c] ?? null)))];
  }
  return out;
}

/** The same of one store's rows in the group. */
export async function groupChecksums(url: string, store: string): Promise<Record<string, [number, string]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, [number, string]> = {};
    for (const t of GROUP_TABLES) {
      const rows = (await c.query(`SELECT ${t.columns.map(([col]) => `"${col}"`).join(', ')} FROM pitstop."${t.name}" WHERE store = $1 ORDER BY id`, [store])).rows;
      out[t.name] = [rows.length, digest(rows.map((r) => t.columns.map(([col, type]) => (r[col] === null ? null : type === 'bigint' ? Number(r[col]) : r[col]))))];
    }
    return out;
  } finally {
    await c.end();
  }
}

function digest(rows: unknown[][]): string {
  const h = crypto.createHash('sha256');
  for (const r of rows) h.update(JSON.stringify(r) + '\n');
  return h.digest('hex');
}

/** One statement on the group as `url`'s user. */
export async function pgQuery(url: string, sql: string, params: unknown[] = []) {
  return query(url, sql, params);
}
