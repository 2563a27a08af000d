/**
 * A stand-in PostgreSQL that asks for a password and refuses it with SQLSTATE 28P01, as a real server
 * with scram or md5 authentication does (the test server here trusts every login: PITFALLS.md). Runs in
 * its own process, since the tests call the binary synchronously. Prints its port, then serves until killed.
 */
import net from 'node:net';

const server = net.createServer((socket) => {
  let step = 0;
  socket.on('data', () => {
    step++;
    if (step === 1) {
      // AuthenticationCleartextPassword
      socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
    } else if (step === 2) {
      const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "x"\0\0');
      const head = Buffer.alloc(5);
      head.write('E', 0);
      head.writeInt32BE(fields.length + 4, 1);
      socket.end(Buffer.concat([head, fields]));
    }
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
