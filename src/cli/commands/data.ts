import type { Command } from 'commander';
import { note, out, withCtx } from '../kit.js';
import { json } from '../format.js';

export function registerData(program: Command): void {
  program
    .command('import')
    .description('import customers or vehicles from a CSV file (UTF-8 or GBK) or an .xlsx workbook (its first sheet), English or Chinese headers; all or nothing unless --skip-invalid')
    .argument('<what>', 'customers or vehicles')
    .argument('<file>', 'the CSV or .xlsx file')
    .option('--dry-run', 'check every row and report; write nothing')
    .option('--skip-invalid', 'import the valid rows; write the rejected ones to <name>.rejected.csv')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Columns (English key or Chinese label; header on line 1):
  customers: name 姓名*, phone 手机*, kind 类型 (private/fleet, 私人/单位), company 单位, address 地址,
             note 备注, do_not_contact 勿扰 (1/0, 是/否)
  vehicles:  customer_phone 车主手机*, plate 车牌号*, vin 车架号, make 品牌, model 车型, color 颜色,
             year 年款, purchased_on 购车日期, mileage 里程, interval_km 保养间隔公里,
             interval_months 保养间隔月, last_service_on 上次保养日期, last_service_km 上次保养里程
  (* required; vehicles need their owners imported first)`,
    )
    .action(
      withCtx<[string, string]>(async (ctx, opts, what, file) => {
        const { importFile, IMPORT_KINDS } = await import('../../app/importer.js');
        const { invalid } = await import('../../errors.js');
        const kind = what.normalize('NFKC').trim().toLowerCase();
        if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw invalid('what', what, 'expected customers or vehicles');
        const tty = !!process.stderr.isTTY;
        const r = await importFile(ctx, kind as 'customers' | 'vehicles', file, {
          dryRun: !!opts.dryRun,
          skipInvalid: !!opts.skipInvalid,
          onProgress: tty ? (phase, done, fraction) => process.stderr.write(`\r${phase} ${done} rows (${Math.floor(fraction * 100)}% of the file)\x1b[K`) : undefined,
        });
        if (tty && r.rows >= 10_000) process.stderr.write('\r\x1b[K');
        if (r.rejected.length && opts.skipInvalid) {
          note(`pitstop: ${r.rejected.length} row${r.rejected.length === 1 ? '' : 's'} rejected${r.rejectedFile ? `, written to ${r.rejectedFile}` : ''}`);
          if (r.dryRun) for (const x of r.rejected) note(`  line ${x.line}: ${x.error}`);
        }
        if (opts.json) return out(json(r));
        const { count } = await import('../../domain/words.js');
        const kindCount = (n: number) => count(n, r.kind.replace(/s$/, ''), r.kind);
        out(r.dryRun
          ? `dry run: ${kindCount(r.rows - r.rejected.length)} would be imported from ${file}, ${r.rejected.length} rejected; nothing written\n`
          : `imported ${kindCount(r.imported)} from ${file}${r.rejected.length ? `, ${r.rejected.length} rejected` : ''}\n`);
      }),
    );

  program
    .command('export')
    .description('write one table as CSV (UTF-8 with BOM, CRLF) for Excel/WPS or other tools')
    .argument('<table>', 'customers, vehicles, staff, bookings, orders, order_lines, findings, payments, callbacks, complaints, job_runs, job_listings, audit_log or settings')
    .option('--out <file>', 'write to this file (created 0600, replaced whole); default stdout')
    .option('--mask-phone', 'mask phone numbers (138****0001), also those typed into notes and complaints (default: privacy.mask_phone)')
    .option('--format <format>', 'csv (default), xlsx (an Excel workbook; needs --out) or both (--out x.csv writes x.csv and x.xlsx)')
    .action(
      withCtx<[string]>(async (ctx, opts, table) => {
        const { exportTable } = await import('../../app/exporter.js');
        const { parseFileFormat } = await import('../../domain/file-format.js');
        const format = opts.format === undefined ? undefined : parseFileFormat('--format', opts.format as string);
        const r = await exportTable(ctx, table, { out: opts.out as string | undefined, maskPhone: opts.maskPhone ?? ctx.settings.get('privacy.mask_phone') === 'true', format });
        const rows = (await import('../../domain/words.js')).count(r.rows, 'row');
        for (const file of r.files ?? (r.file ? [r.file] : [])) note(`exported ${rows} of ${r.table} to ${file}`);
      }),
    );
}
