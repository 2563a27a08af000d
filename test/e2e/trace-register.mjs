// `node --import …/trace-register.mjs`: installs the hooks of trace-loads.mjs (see test/e2e/xlsx.test.ts).
import { register } from 'node:module';
register('./trace-loads.mjs', import.meta.url);
