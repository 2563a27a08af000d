/**
 * The embedded PostgreSQL of the group tests when PITSTOP_TEST_PG names no server: PGlite behind its
 * socket server on a free loopback port, in a process of its own (the e2e tests call the binary
 * synchronously, which would stall a server in the test's own process). Prints the port; serves
 * until stdin closes or it is killed.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const db = await PGlite.create();
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
await server.start();
process.stdout.write(`${String(server.getServerConn()).split(':').pop()}\n`);
const stop = async () => {
  await server.stop().catch(() => {});
  await db.close().catch(() => {});
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
