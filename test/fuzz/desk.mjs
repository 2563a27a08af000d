// A service desk for the soak test: loops over whole visits until its time is up, each step a separate
// "command" (open the context, one use-case, close — what a CLI process does), appending every
// acknowledged write to a JSON-lines log. With --cli the steps run through the real binary instead.
//   node test/fuzz/desk.mjs DB DESK_NO SECONDS ACK_LOG [--cli]
// Errors are logged to stderr as `desk N error: <code> <message>` and the desk goes on.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [dbFile, deskText, secondsText, ackLog, mode] = process.argv.slice(2);
const desk = Number(deskText);
const until = Date.now() + Number(secondsText) * 1000;
const NOW = '2026-11-23 10:00';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'pitstop.js');
const letter = 'ABCDEFGH'[desk];
let errors = 0;

const ack = (record) => fs.appendFileSync(ackLog, JSON.stringify({ desk, ...record }) + '\n');

const app = mode === '--cli' ? null : {
  context: await import('../../dist/src/app/context.js'),
  customers: await import('../../dist/src/app/customers.js'),
  vehicles: await import('../../dist/src/app/vehicles.js'),
  bookings: await import('../../dist/src/app/bookings.js'),
  orders: await import('../../dist/src/app/orders.js'),
};

/** One step as its own command: a fresh connection each time, like a separate CLI process. */
async function step(fn) {
  const ctx = await app.context.openContext({ db: dbFile, now: NOW, actor: `desk${desk}`, env: {} });
  try {
    return await fn(ctx);
  } finally {
    await ctx.db.close();
  }
}

function cli(args) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PITSTOP_DB: dbFile, PITSTOP_NOW: NOW, PITSTOP_USER: `desk${desk}` },
  });
  if (r.status !== 0) {
    const err = new Error(r.stderr.trim());
    err.exitCode = r.status;
    throw err;
  }
  return r.stdout.trim();
}

async function visitInProcess(i) {
  const phone = `13${desk + 1}${String(i).padStart(8, '0')}`;
  const plate = `京${letter}${String(i).padStart(5, '0')}`;
  const c = await step((ctx) => app.customers.addCustomer(ctx, { name: `客户${desk}-${i}`, phone }));
  ack({ kind: 'customer', id: c.id, phone });
  await step((ctx) => app.vehicles.addVehicle(ctx, { customer: String(c.id), plate, mileage: '20000' }));
  ack({ kind: 'vehicle', plate });
  const b = await step((ctx) => app.bookings.addBooking(ctx, { plate, at: `2026-11-24 ${String(9 + (i % 8)).padStart(2, '0')}:00`, service: '常规保养', force: true }));
  ack({ kind: 'booking', id: b.booking.id, plate });
  const o = await step((ctx) => app.orders.openOrder(ctx, { bookingId: String(b.booking.id), mileage: '20100', category: 'maintenance' }));
  const number = o.order.number;
  ack({ kind: 'order', number, plate });
  await step((ctx) => app.orders.addLine(ctx, number, 'labor', { description: '保养工时', hours: '1.5' }));
  ack({ kind: 'line', number });
  await step((ctx) => app.orders.addLine(ctx, number, 'part', { description: '机油', qty: '4', price: '68.50' }));
  ack({ kind: 'line', number });
  await step((ctx) => app.orders.approveOrder(ctx, number, {}));
  ack({ kind: 'approve', number });
  await step((ctx) => app.orders.payOrder(ctx, number, { amount: '100', method: 'wechat' }));
  ack({ kind: 'payment', number, cents: 10000 });
}

async function visitCli(i) {
  const phone = `13${desk + 1}${String(i).padStart(8, '0')}`;
  const plate = `京${letter}${String(i).padStart(5, '0')}`;
  const id = Number(cli(['customer', 'add', '--name', `客户${desk}-${i}`, '--phone', phone, '-q']));
  ack({ kind: 'customer', id, phone });
  cli(['vehicle', 'add', '--customer', String(id), '--plate', plate, '--mileage', '20000', '-q']);
  ack({ kind: 'vehicle', plate });
  const booking = Number(cli(['booking', 'add', '--plate', plate, '--at', `2026-11-24 ${String(9 + (i % 8)).padStart(2, '0')}:00`, '--force', '-q']));
  ack({ kind: 'booking', id: booking, plate });
  const number = cli(['order', 'open', '--booking', String(booking), '--mileage', '20100', '--category', 'maintenance', '-q']);
  ack({ kind: 'order', number, plate });
  cli(['order', 'labor', number, '保养工时', '--hours', '1.5', '-q']);
  ack({ kind: 'line', number });
  cli(['order', 'part', number, '机油', '--qty', '4', '--price', '68.50', '-q']);
  ack({ kind: 'line', number });
  cli(['order', 'approve', number]);
  ack({ kind: 'approve', number });
  cli(['order', 'pay', number, '--amount', '100', '--method', 'wechat']);
  ack({ kind: 'payment', number, cents: 10000 });
}

let i = 0;
while (Date.now() < until) {
  try {
    await (mode === '--cli' ? visitCli(i) : visitInProcess(i));
  } catch (err) {
    errors++;
    process.stderr.write(`desk ${desk} error: ${err.exitCode ?? err.code ?? ''} ${err.message}\n`);
    if (errors > 20) break;
  }
  i++;
}
process.stdout.write(JSON.stringify({ desk, visits: i, errors }) + '\n');
