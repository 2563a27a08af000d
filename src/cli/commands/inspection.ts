/**
 * Vehicle inspection (SPEC §12): `inspection template import|list|show` and `order inspect`, added to
 * the `order` noun registered before (so this module comes after order.ts in the command table).
 */
import type { Command } from 'commander';
import { canPrompt, collect, json as jsonOut, out, withCtx } from '../kit.js';

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));

export function registerInspection(program: Command): void {
  const inspection = program.command('inspection').description('vehicle inspection templates (环车检查)');
  const template = inspection.command('template').description('inspection templates: the built-in 常规检查 and imported ones');

  template
    .command('import')
    .description('import a template from CSV: item,group,kind,unit,better,yellow_at,red_at,min,max,wear_per_1000km (a name again replaces it)')
    .argument('<file>')
    .option('--name <name>', 'the template name (default: the file name without extension)')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, file) => {
        const { importTemplate } = await import('../../app/inspection.js');
        const r = await importTemplate(ctx, file, str(opts.name));
        if (opts.json) return out(jsonOut(r));
        out(`template ${r.name}: ${r.items} item(s) ${r.replaced ? 'replaced' : 'imported'}\n`);
      }),
    );

  template
    .command('list')
    .description('the templates')
    .option('--json', 'print JSON')
    .action(
      withCtx(async (ctx, opts) => {
        const { listTemplates } = await import('../../app/inspection.js');
        const { table } = await import('../format.js');
        const rows = await listTemplates(ctx);
        if (opts.json) return out(jsonOut(rows));
        out(table(rows, [
          { header: 'name', value: (r) => r.name },
          { header: 'items', value: (r) => r.items, right: true },
          { header: 'source', value: (r) => r.source },
        ]));
      }),
    );

  template
    .command('show')
    .description('the items of one template and their thresholds')
    .argument('[name]', 'template name', '常规检查')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, name) => {
        const { showTemplate } = await import('../../app/inspection.js');
        const { table } = await import('../format.js');
        const t = await showTemplate(ctx, name);
        if (opts.json) return out(jsonOut(t));
        out(table(t.items, [
          { header: 'item', value: (i) => i.item },
          { header: 'group', value: (i) => i.group },
          { header: 'kind', value: (i) => i.kind },
          { header: 'unit', value: (i) => i.unit },
          { header: 'better', value: (i) => i.better },
          { header: 'yellow_at', value: (i) => i.yellow_at, right: true },
          { header: 'red_at', value: (i) => i.red_at, right: true },
          { header: 'min', value: (i) => i.min, right: true },
          { header: 'max', value: (i) => i.max, right: true },
          { header: 'wear/1000km', value: (i) => i.wear_per_1000km, right: true },
        ]));
      }),
    );

  const order = program.commands.find((c) => c.name() === 'order');
  if (!order) throw new Error('the order command must be registered before the inspection');
  order
    .command('inspect')
    .description('record an inspection of the car: values get green/yellow/red; red and yellow become findings (at a terminal with no --set, asks item by item)')
    .argument('<order>')
    .option('--template <name>', 'the inspection template', '常规检查')
    .option('--set <item=value[:note]>', 'a reading, e.g. 前制动片=3.5 or 雨刮片=fail:左侧老化 (repeatable)', collect, [])
    .option('--photo <item=file>', 'a photo of an item (JPEG, PNG, HEIC, WebP; at most 20 MB), copied into <data dir>/attachments (repeatable)', collect, [])
    .option('--at <time>', 'when, "YYYY-MM-DD HH:mm"')
    .option('--json', 'print JSON')
    .action(
      withCtx<[string]>(async (ctx, opts, number) => {
        const { inspectOrder, loadTemplate } = await import('../../app/inspection.js');
        let sets = (opts.set as string[] | undefined) ?? [];
        const tpl = String(opts.template ?? '常规检查');
        if (!sets.length && canPrompt(opts)) {
          const { askText } = await import('../prompt.js');
          const { parseValue } = await import('../../domain/inspection.js');
          const items = await loadTemplate(ctx, tpl);
          process.stderr.write(`inspection ${tpl}: ${items.length} items; Enter skips an item\n`);
          for (const it of items) {
            const hint = it.kind === 'pass_fail' ? 'pass/fail' : `${it.unit ?? ''} ${it.min ?? ''}–${it.max ?? ''}`.trim();
            const answer = await askText({
              message: `${it.group} · ${it.item} (${hint})`,
              check: (v: string) => {
                const [value, ...note] = v.split(/[:：]/);
                parseValue(it, value!, note.join(':') || null);
                return null;
              },
            });
            if (answer) sets = [...sets, `${it.item}=${answer}`];
          }
        }
        const r = await inspectOrder(ctx, number, { template: tpl, sets, photos: (opts.photo as string[] | undefined) ?? [], at: str(opts.at) });
        if (opts.json) return out(jsonOut(r));
        const { table } = await import('../format.js');
        out(`${r.order_number}: inspected with ${r.template}, ${r.readings.length} reading(s)${r.findings.length ? `; finding(s) ${r.findings.join(', ')}` : ''}\n`);
        out(table(r.readings, [
          { header: 'item', value: (x) => x.item },
          { header: 'value', value: (x) => (x.value !== null ? `${x.value}${x.unit ?? ''}` : x.passed ? 'pass' : 'fail') },
          { header: 'colour', value: (x) => x.colour },
          { header: 'finding', value: (x) => x.finding },
          { header: 'photos', value: (x) => (x.photos.length || '') },
          { header: 'note', value: (x) => x.note },
        ]));
      }),
    );
}
