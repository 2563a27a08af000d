// A writer process for the reliability tests: commits batches of customers (BATCH rows and one audit row
// per transaction) in a loop through pitstop's own adapter, printing each committed batch number.
//   node test/fuzz/writer.mjs DB BATCH [MAX_BATCHES] [--hang-inside]
// --hang-inside: start one transaction, insert half a batch, print "inside", then wait forever
// (the test SIGKILLs it there: nothing of the batch may survive).
import { Db } from '../../dist/src/db/sqlite.js';

const [file, batchText = '10', maxText = '1000000000', flag] = process.argv.slice(2);
const batch = Number(batchText);
const max = Number(maxText);
const db = await Db.open(file);
const start = (await db.get('SELECT COUNT(*) AS n FROM customers')).n;
let k = Math.floor(start / batch);
const created = new Date(Date.UTC(2026, 10, 23, 2, 0)).toISOString();
const phone = (i) => `139${String(i).padStart(8, '0')}`;

if (flag === '--hang-inside') {
  await db.transaction(async () => {
    for (let i = 0; i < batch / 2; i++) {
      await db.run('INSERT INTO customers (name, phone, created_at) VALUES (?, ?, ?)', [`w${k}-${i}`, phone(k * batch + i), created]);
    }
    process.stdout.write('inside\n');
    await new Promise(() => {}); // never commits
  });
}

for (let n = 0; n < max; n++, k++) {
  await db.transaction(async () => {
    const rows = [];
    for (let i = 0; i < batch; i++) rows.push(`w${k}-${i}`, phone(k * batch + i), created);
    await db.run(
      `INSERT INTO customers (name, phone, created_at) VALUES ${new Array(batch).fill('(?, ?, ?)').join(',')}`,
      rows,
    );
    await db.run('INSERT INTO audit_log (at, actor, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)', [
      created, 'writer', 'add', 'customer', String(k), null,
    ]);
  });
  process.stdout.write(`${k}\n`);
}
await db.close();
