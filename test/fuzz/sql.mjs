// Run an SQL script on a database file through pitstop's adapter, as an outside SQL tool would
// (foreign keys on unless the script turns them off):  node test/fuzz/sql.mjs DB "SQL…"
// With --query, print the rows of one statement as JSON.
import { Db } from '../../dist/src/db/sqlite.js';

const [file, sql, flag] = process.argv.slice(2);
const db = await Db.open(file);
try {
  if (flag === '--query') process.stdout.write(JSON.stringify(await db.all(sql)) + '\n');
  else await db.exec(sql);
} finally {
  await db.close();
}
