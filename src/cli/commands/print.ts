/** `pitstop print booking|estimate|settlement|release REF` (SPEC §11): documents the customer reads and signs. */
import type { Command } from 'commander';
import { out, withCtx } from '../kit.js';

export function registerPrint(program: Command): void {
  program
    .command('print')
    .description('print a document: booking slip, estimate (维修委托书), settlement (结算单) or release note (出厂通知单); HTML, or PDF through Chromium')
    .argument('<kind>', 'booking, estimate, settlement or release')
    .argument('<ref>', 'a booking id (booking) or an order number')
    .option('--out <file>', 'where to write (default <data dir>/documents/<KIND>-<REF>.html)')
    .option('--format <format>', 'html (default) or pdf (the HTML is written beside it)')
    .option('--lang <lang>', 'zh-CN or en (default: the locale setting)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Prints one line per file written. A PDF needs Chromium or Chrome: the print.browser setting, or
chromium / google-chrome on PATH (Debian: apt-get install chromium fonts-noto-cjk).
PITSTOP_PRINT_TIMEOUT (seconds, default 60) stops a browser that hangs; nothing is written then.
Exit status: 0 written; 2 a bad KIND, --format or --lang, or no browser for --format pdf;
3 no such booking or order; 5 the browser failed or timed out, or the file cannot be written.`,
    )
    .action(
      withCtx<[string, string]>(async (ctx, opts, kind, ref) => {
        const { printDocument } = await import('../../app/documents.js');
        const r = await printDocument(ctx, kind, ref, { out: opts.out as string | undefined, format: opts.format as string | undefined, lang: opts.lang as string | undefined });
        for (const w of r.warnings) process.stderr.write(`pitstop: warning: ${w}\n`);
        if (opts.json) return out(JSON.stringify(r, null, 2) + '\n');
        for (const f of r.files) out(`${f}\n`);
      }),
    );
}
