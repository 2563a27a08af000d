/**
 * Which SQLite file is pitstop's (SPEC §9, §16 "Databases"). A pitstop database carries
 * `PRAGMA application_id` 0x50495453 ("PITS"); one made by the first release has 0 there and is
 * recognized by its schema version and its own tables. Any other file with tables, or with another
 * application's id, is refused before anything writes to it (the check runs before the WAL switch).
 */
import type { Db } from './sqlite.js';
import { Exit, PitstopError } from '../errors.js';

export const APPLICATION_ID = 0x50495453;

export interface Ownership {
  /** No table and no schema version yet: a database pitstop may make its own. */
  fresh: boolean;
  applicationId: number;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** The pure rule: is a file with this header and these tables pitstop's, new, or someone else's? */
export function judgeOwnership(applicationId: number, userVersion: number, tables: readonly string[]): { fresh: boolean; foreign: string | null } {
  const own = tables.filter((t) => !t.startsWith('sqlite_'));
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    return { fresh: false, foreign: `its application_id is ${hex(applicationId)}, another application's (pitstop's is ${hex(APPLICATION_ID)})` };
  }
  if (own.length === 0 && userVersion === 0) return { fresh: true, foreign: null };
  if (applicationId === APPLICATION_ID) return { fresh: false, foreign: null };
  if (userVersion >= 1 && own.includes('job_runs') && own.includes('audit_log')) return { fresh: false, foreign: null };
  const shown = own.slice(0, 5).join(', ') + (own.length > 5 ? `, … (${own.length} tables)` : '');
  return { fresh: false, foreign: own.length ? `it holds another application's tables (${shown})` : `it has schema version ${userVersion} but none of pitstop's tables` };
}

/** Read the file's identity; a foreign file is exit 2 and is left exactly as it was. */
export async function checkOwnership(db: Db): Promise<Ownership> {
  const app = await db.get<{ application_id: number }>('PRAGMA application_id');
  const version = await db.get<{ user_version: number }>('PRAGMA user_version');
  const tables = await db.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  const applicationId = app?.application_id ?? 0;
  const verdict = judgeOwnership(applicationId, version?.user_version ?? 0, tables.map((t) => t.name));
  if (verdict.foreign) throw notPitstopDatabase(db.file, verdict.foreign);
  return { fresh: verdict.fresh, applicationId };
}

export function notPitstopDatabase(file: string, why: string): PitstopError {
  return new PitstopError(
    Exit.usage,
    `${file} is not a pitstop database: ${why}; it was not changed — check --db / PITSTOP_DB`,
  );
}

/** Mark a pitstop database as such (new ones, and first-release ones on their first open). */
export async function claimDatabase(db: Db, seen: number): Promise<void> {
  if (seen !== APPLICATION_ID) await db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
}
