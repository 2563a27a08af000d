/**
 * What every command needs: open the context from the global flags, print, prompt only when a person
 * is there. Kept free of heavy imports so `pitstop --help` stays fast; the app modules load lazily.
 */
import type { Command } from 'commander';
import type { Ctx } from '../app/context.js';
import { maskOutput } from '../domain/privacy.js';

export interface GlobalOptions {
  db?: string;
  now?: string;
  actor?: string;
  /** false with --no-input */
  input?: boolean;
  json?: boolean;
  quiet?: boolean;
  /** true with --mask-phone, false with --no-mask-phone, else undefined (the setting decides) */
  maskPhone?: boolean;
  [key: string]: unknown;
}

/** Set for the command when its screen output is masked (`--mask-phone`, privacy.mask_phone). */
let maskScreen = false;

export function out(text: string): void {
  process.stdout.write(maskScreen ? maskOutput(text) : text);
}

/** Progress and notes for a person: stderr, never stdout. */
export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
}

/**
 * Wrap a command action: open the database and context, run, always close.
 * `fn` gets the context, the merged options (global ones included) and the positional arguments.
 */
export function withCtx<P extends unknown[]>(fn: (ctx: Ctx, opts: GlobalOptions, ...args: P) => Promise<void>) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as GlobalOptions;
    const positional = args.slice(0, -2) as P;
    const { openContext } = await import('../app/context.js');
    const ctx = await openContext({ db: opts.db, now: opts.now, actor: opts.actor });
    maskScreen = opts.maskPhone ?? ctx.settings.get('privacy.mask_phone') === 'true';
    try {
      await fn(ctx, opts, ...positional);
    } finally {
      await ctx.db.close().catch(() => {});
    }
  };
}

/** Prompts only when stdin and stderr are terminals and --no-input was not given (PITFALLS.md). */
export function canPrompt(opts: GlobalOptions): boolean {
  return opts.input !== false && !!process.stdin.isTTY && !!process.stderr.isTTY && !process.env.CI;
}

/** Print a new record: `-q` the identifier alone, `--json` the record, else a friendly line. */
export function printCreated(opts: GlobalOptions, id: string | number, record: unknown, human: string): void {
  if (opts.quiet) out(`${id}\n`);
  else if (opts.json) out(JSON.stringify(record, null, 2) + '\n');
  else out(human.endsWith('\n') ? human : human + '\n');
}

/** Collect a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
