/**
 * Forward-only migrations on PRAGMA user_version. Each entry moves the schema one version up and
 * never changes once released: each is literal SQL text here or in src/db/released/ (no schema module
 * feeds one), and test/integration/migrations-frozen.test.ts compares each with its stored checksum.
 * A schema change is a new entry at the end. A database whose version is above ours came from a newer pitstop:
 * it is refused untouched (exit 5).
 */
import type { Db } from './sqlite.js';
import { Exit, PitstopError } from '../errors.js';
import { MIGRATION_1 } from './released/0001-schema.js';
import { MIGRATION_3 } from './released/0003-corrections.js';
import { MIGRATION_4 } from './released/0004-inspection.js';
import { MIGRATION_5 } from './released/0005-signatures.js';
import { MIGRATION_6 } from './released/0006-contacts.js';
import { MIGRATION_7 } from './released/0007-outbox.js';
import { MIGRATION_8 } from './released/0008-group-changes.js';

export const migrations: readonly string[] = [
  // 1: the documented schema of SPEC §7, as the first release ran it (literal text, frozen)
  MIGRATION_1,
  // 2: today's arrears list streams in its own order (delivery time, order number) from the unpaid
  // orders, with no sort before the first row (jobs/arrears.ts)
  `CREATE INDEX orders_unpaid_delivered ON orders (delivered_at, number) WHERE status = 'delivered' AND total_cents > paid_cents;`,
  // 3: corrections (SPEC §10): refunds, removed lines, reopen, revenue adjustments, deposits, merged customers
  MIGRATION_3,
  // 4: vehicle inspection (SPEC §12, §16): templates, readings, photos, finding severity and follow-up
  MIGRATION_4,
  // 5: sign-offs as records (SPEC §11, §16): who signed what on an order, and when
  MIGRATION_5,
  // 6: reaching the customer (SPEC §13, §16): consent per channel, wrong phones, the contact log
  MIGRATION_6,
  // 7: the message outbox and its send log (SPEC §13, §16)
  MIGRATION_7,
  // 8: the change marker of `group push` (SPEC §15, §16): triggers log each changed row of a pushed table
  MIGRATION_8,
];

export const SCHEMA_VERSION = migrations.length;

async function userVersion(db: Db): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

function refuseNewer(version: number, file: string): PitstopError {
  return new PitstopError(
    Exit.storage,
    `database ${file} has schema version ${version}, newer than this pitstop understands (${SCHEMA_VERSION}); upgrade pitstop — the file was not modified`,
  );
}

/** Bring the database up to SCHEMA_VERSION. Safe when several processes start at once. */
export async function migrate(db: Db): Promise<void> {
  const seen = await userVersion(db);
  if (seen > SCHEMA_VERSION) throw refuseNewer(seen, db.file);
  if (seen === SCHEMA_VERSION) return;
  await db.transaction(async () => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const current = await userVersion(db);
    if (current > SCHEMA_VERSION) throw refuseNewer(current, db.file);
    for (let v = current; v < SCHEMA_VERSION; v++) {
      await db.exec(migrations[v]!);
      await db.exec(`PRAGMA user_version = ${v + 1}`);
    }
  });
}

/** The version a database file is at, for doctor and restore. */
export { userVersion };
