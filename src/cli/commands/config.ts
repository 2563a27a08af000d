import type { Command } from 'commander';
import { out, withCtx } from '../kit.js';
import { json, table } from '../format.js';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('shop settings, stored in the database');

  config
    .command('list')
    .description('every setting with its value (* = changed from the default)')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { listConfig } = await import('../../app/config.js');
        const rows = listConfig(ctx);
        if (opts.json) return out(json(Object.fromEntries(rows.map((r) => [r.key, r.value]))));
        out(table(rows, [
          { header: 'key', value: (r) => r.key },
          { header: '', value: (r) => (r.is_default ? '' : '*') },
          { header: 'value', value: (r) => r.value },
        ]));
      }),
    );

  config
    .command('get')
    .description('print one setting')
    .argument('<key>')
    .action(
      withCtx<[string]>(async (ctx, _opts, key) => {
        const { getConfig } = await import('../../app/config.js');
        out(getConfig(ctx, key) + '\n');
      }),
    );

  config
    .command('set')
    .description('change one setting (validated; see the README for each key)')
    .argument('<key>')
    .argument('<value>')
    .action(
      withCtx<[string, string]>(async (ctx, _opts, key, value) => {
        const { setConfig } = await import('../../app/config.js');
        const stored = await setConfig(ctx, key, value);
        out(`${key} = ${stored}\n`);
      }),
    );
}
