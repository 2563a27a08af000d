#!/usr/bin/env node
// Runs the compiled CLI. Build with `npm run build` (npm install does it through `prepare`).
import('../dist/src/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
    process.stderr.write('pitstop: not built yet; run `npm run build` (or `npm install`) first\n');
  } else {
    process.stderr.write(`pitstop: ${err && err.stack ? err.stack : err}\n`);
  }
  process.exitCode = 1;
});
