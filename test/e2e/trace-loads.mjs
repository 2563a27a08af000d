// Module hooks for the e2e tests: append every module URL the process loads to $PITSTOP_TRACE_LOADS.
import fs from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.PITSTOP_TRACE_LOADS) fs.appendFileSync(process.env.PITSTOP_TRACE_LOADS, r.url + '\n');
  return r;
}
