/**
 * The dealer group (SPEC §15, §16): `group init`, `group store add|list`, `group push` and
 * `group report`. The store's SQLite stays the store's database; PostgreSQL is the group's. Only these
 * use-cases load `pg` (through src/db/group/pg.ts), so the daily jobs and `--help` never do.
 */
import type { Ctx } from './context.js';
import { connectGroup, databaseOf, describeServer, pgError, type PgClient } from '../db/group/pg.js';
import { addStore, assertPushable, initSchema, listStores, readSchema, requireSchema, type InitResult, type StoreRow } from '../db/group/schema.js';
import {
  changesAfter, lastChange, pruneChanges, pushDeletions, pushLines, readState, rowsAfter, rowsByIds, sweepRange, writeState, type PushState,
} from '../db/group/push.js';
import { GROUP_TABLES } from '../db/group/tables.js';
import { groupRoles, parseStoreCode } from '../domain/group.js';
import { PitstopError, Exit, usage } from '../errors.js';

/** Where the group's URL comes from: --pg, else PITSTOP_GROUP_PG, else (for a store) the setting group.pg. */
export function groupUrl(flag: string | undefined, env: NodeJS.ProcessEnv, setting?: string): string {
  const url = flag || env.PITSTOP_GROUP_PG || setting || '';
  if (!url) {
    throw usage(`no group PostgreSQL given: pass --pg postgres://user:password@host:port/database${setting !== undefined ? ', set PITSTOP_GROUP_PG or pitstop config set group.pg URL' : ' or set PITSTOP_GROUP_PG'}`);
  }
  return url;
}

/** Run `fn` on a connection to the group, ended whatever happens; PostgreSQL's errors become pitstop's. */
export async function withGroup<T>(url: string, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await connectGroup(url);
  try {
    return await fn(client);
  } catch (err) {
    throw pgError(err, url);
  } finally {
    await client.end().catch(() => {});
  }
}

/** `group init`: the group schema and roles, created or upgraded (idempotent). */
export async function initGroup(url: string): Promise<InitResult & { roles: ReturnType<typeof groupRoles>; where: string }> {
  const where = describeServer(url);
  return withGroup(url, async (client) => {
    const roles = groupRoles(databaseOf(url));
    return { ...(await initSchema(client, roles, where)), roles, where };
  });
}

/** `group store add CODE --name N`: the store's row and login role; returns the role, its password and a URL with them. */
export async function addGroupStore(url: string, codeText: string, nameText: string | undefined) {
  const code = parseStoreCode('CODE', codeText);
  const name = String(nameText ?? '').trim();
  if (!name) throw usage('missing required --name (the store\'s name)');
  if (name.length > 200) throw usage(`invalid --name: at most 200 characters (got ${name.length})`);
  return withGroup(url, async (client) => {
    const roles = groupRoles(databaseOf(url));
    assertPushable(await readSchema(client), describeServer(url));
    const { role, password } = await addStore(client, roles, code, name);
    const u = new URL(url);
    u.username = role;
    u.password = password;
    return { code, name, role, password, url: u.toString() };
  });
}

/** `group store list`. */
export async function listGroupStores(url: string): Promise<StoreRow[]> {
  return withGroup(url, async (client) => {
    requireSchema(await readSchema(client), describeServer(url));
    return listStores(client);
  });
}

// ---------------------------------------------------------------- push

export interface PushOptions {
  url: string;
  /** rows a batch of a first (whole-table) push carries; changes a later batch carries */
  batch?: number;
  progress?: (text: string) => void;
}

export interface PushResult {
  store: string;
  where: string;
  rows: number;
  deleted: number;
  batches: number;
  first: boolean;
  seq: number;
}

const FULL_BATCH = 20_000;
const CHANGE_BATCH = 10_000;

/**
 * Who this connection pushes as: a store's own role is that store (and must be group.store's);
 * a role allowed to become the store's role (the group's owner, a superuser) becomes it with SET ROLE,
 * which PostgreSQL allows only to members. Either way current_user is the store's role from here on,
 * and row-level security holds the session to that store's rows.
 */
async function becomeStore(client: PgClient, code: string, where: string): Promise<void> {
  const me = (await client.query<{ me: string; code: string | null }>(
    'SELECT current_user AS me, (SELECT s.code FROM pitstop.stores s WHERE s.role = current_user) AS code',
  )).rows[0]!;
  if (me.code === code) return;
  if (me.code) throw usage(`group.pg logs in as store ${me.code}'s role (${me.me}), but group.store is ${code}: a store pushes only as itself — nothing was pushed`);
  const role = (await client.query<{ role: string }>('SELECT role FROM pitstop.stores WHERE code = $1', [code])).rows[0]?.role;
  if (!role) throw new PitstopError(Exit.notFound, `store ${code} (group.store) is not registered in the group at ${where}; head office runs pitstop group store add ${code} --name NAME — nothing was pushed`);
  try {
    await client.query(`SET ROLE "${role.replace(/"/g, '""')}"`);
  } catch (err) {
    if ((err as { code?: string }).code === '42501') {
      throw new PitstopError(Exit.conflict, `role ${me.me} may not push as store ${code}: use the role and password group store add printed for it — nothing was pushed`);
    }
    throw err;
  }
}

/**
 * `group push`: everything the store changed since its last push, in bounded batches, each committed
 * with the watermark (SPEC §16). The first push sends the tables whole (by id, resumable), from a
 * change number taken before it starts; later pushes send the rows the change log names, and rows that
 * are gone as tombstones. Pushes of one store take turns (an advisory lock): two at once never
 * duplicate. The store's SQLite is only read, and its change log pruned once the group holds it.
 */
export async function pushGroup(ctx: Ctx, options: PushOptions): Promise<PushResult> {
  const code = ctx.settings.get('group.store');
  if (!code) throw usage('group.store is not set: pitstop config set group.store CODE (the code head office registered with group store add)');
  const where = describeServer(options.url);
  const fullBatch = options.batch ?? FULL_BATCH;
  const changeBatch = options.batch ?? CHANGE_BATCH;
  return withGroup(options.url, async (client) => {
    assertPushable(await readSchema(client), where);
    try {
      return await pushAs(ctx, client, code, where, fullBatch, changeBatch, options.progress);
    } finally {
      // the store's lock goes; and a session that outlives the connection (PGlite's one backend) gets
      // back its own role
      await client.query(`SELECT pg_advisory_unlock_all()`).catch(() => {});
      await client.query('RESET ROLE').catch(() => {});
    }
  });
}

async function pushAs(
  ctx: Ctx, client: PgClient, code: string, where: string, fullBatch: number, changeBatch: number, progress?: (text: string) => void,
): Promise<PushResult> {
  const by = ctx.actor;
  await becomeStore(client, code, where);
  await client.query(`SELECT pg_advisory_lock(hashtext('pitstop.group.push'), hashtext($1))`, [code]);
  const useCopy = !/PGlite/.test((await client.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v);
  const result: PushResult = { store: code, where, rows: 0, deleted: 0, batches: 0, first: false, seq: 0 };
  let state: PushState | null = await readState(client, code);
  const last = await lastChange(ctx.db);
  // A change log behind the group's watermark was rewound (a restored backup, another copy of the
  // store): its next changes would be numbered below the watermark and never sent. Send every table
  // whole again instead.
  const rewound = state !== null && (state.phase === 'changes' ? last < state.seq : last < state.full_from);
  if (!state || rewound) {
    result.first = true;
    // over a group that holds this store's rows already, what the store no longer has goes too
    state = { phase: 'full', full_from: last, full_table: GROUP_TABLES[0]!.name, full_last_id: 0, full_sweep: rewound, seq: 0 };
  }
  const batch = async (work: () => Promise<number>, next: PushState) => {
    await client.query('BEGIN');
    try {
      const rows = await work();
      await writeState(client, code, next, rows, by, ctx.tz);
      await client.query('COMMIT');
      result.batches++;
      state = next;
      progress?.(`pushed ${result.rows + result.deleted} rows`);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  };
  // the first push: each table whole, in id order
  while (state.phase === 'full') {
    const s: PushState = state;
    const at = GROUP_TABLES.findIndex((t) => t.name === s.full_table);
    const t = GROUP_TABLES[Math.max(at, 0)]!;
    const after = at < 0 ? 0 : s.full_last_id;
    const page = await rowsAfter(ctx.db, t, after, fullBatch);
    const following = GROUP_TABLES[Math.max(at, 0) + 1];
    const full = page.ids.length === fullBatch;
    const next: PushState = full
      ? { ...s, full_last_id: page.ids[page.ids.length - 1]! }
      : following
        ? { ...s, full_table: following.name, full_last_id: 0 }
        : { ...s, phase: 'changes', full_table: null, full_last_id: 0, full_sweep: false, seq: s.full_from };
    await batch(async () => {
      const n = await pushLines(client, t, code, page.lines, useCopy);
      result.rows += n;
      const gone = s.full_sweep ? await sweepRange(client, t, code, after, full ? page.ids[page.ids.length - 1]! : null, page.ids) : 0;
      result.deleted += gone;
      return n + gone;
    }, next);
  }
  // then the changes since
  for (;;) {
    const s: PushState = state;
    const changes = await changesAfter(ctx.db, s.seq, changeBatch);
    if (!changes.length) break;
    const byTable = new Map<string, Set<number>>();
    for (const c of changes) {
      if (!byTable.has(c.tbl)) byTable.set(c.tbl, new Set());
      byTable.get(c.tbl)!.add(c.row_id);
    }
    const pages: Array<{ t: (typeof GROUP_TABLES)[number]; page: { ids: number[]; lines: string[] }; gone: number[] }> = [];
    for (const t of GROUP_TABLES) {
      const ids = byTable.get(t.name);
      if (!ids) continue;
      const page = await rowsByIds(ctx.db, t, [...ids]);
      const present = new Set(page.ids);
      pages.push({ t, page, gone: [...ids].filter((id) => !present.has(id)) });
    }
    await batch(async () => {
      let n = 0;
      for (const { t, page, gone } of pages) {
        const up = await pushLines(client, t, code, page.lines, useCopy);
        const down = await pushDeletions(client, t, code, gone);
        result.rows += up;
        result.deleted += down;
        n += up + down;
      }
      return n;
    }, { ...s, seq: changes[changes.length - 1]!.seq });
  }
  result.seq = state.seq;
  // the group holds every change up to seq: the store's log of them can go
  await pruneChanges(ctx.db, state.seq);
  return result;
}

