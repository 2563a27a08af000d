/**
 * What every command needs: open the context from the global flags, print, prompt only when a person
 * is there. Kept free of heavy imports so `pitstop --help` stays fast; the app modules load lazily.
 */
import type { Command } from 'commander';
import type { Ctx } from '../app/context.js';
import { maskOutput } from '../domain/privacy.js';
import { json, setOutputZone } from './format.js';

export { json };

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

/**
 * Set when a question was ended by a hang-up (the terminal closed, SIGHUP) or SIGTERM. The entry then
 * ends the process by that signal once everything is closed, as a shell's jobs end: exiting normally
 * would make Node restore the terminal's mode, and on a terminal that is gone that is a native abort.
 */
export const endedBy: { signal: NodeJS.Signals | null } = { signal: null };

export function out(text: string): void {
  process.stdout.write(maskScreen ? maskOutput(text) : text);
}

/** Progress and notes for a person: stderr, never stdout. */
export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
}

/** `customer add`, `jobs run`…: the command's words below the program. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * May this command create a database where there is none (SPEC §9)? Only those that record what the
 * user entered (`config set`, `… add`, `order open`, `import`) — and init, demo and restore, which
 * have their own actions. Every other command on a missing file is exit 3: a mistyped path must never
 * make empty lists.
 */
export function createsDatabase(path: string): boolean {
  return path === 'config set' || path === 'order open' || path === 'import' || path.endsWith(' add');
}

/**
 * Wrap a command action: open the database and context, run, always close.
 * `fn` gets the context, the merged options (global ones included) and the positional arguments.
 * A database this command created is taken back when it fails, and after `--dry-run`.
 */
export function withCtx<P extends unknown[]>(fn: (ctx: Ctx, opts: GlobalOptions, ...args: P) => Promise<void>) {
  return async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.optsWithGlobals() as GlobalOptions;
    const positional = args.slice(0, -2) as P;
    const { openContext, discardNewDatabase } = await import('../app/context.js');
    const create = createsDatabase(commandPath(cmd));
    const ctx = await openContext({ db: opts.db, now: opts.now, actor: opts.actor, create, mkdirs: false, note: (t) => note(`pitstop: ${t}`) });
    maskScreen = opts.maskPhone ?? ctx.settings.get('privacy.mask_phone') === 'true';
    let done = false;
    try {
      await setOutputZone(ctx.tz);
      await fn(ctx, opts, ...positional);
      done = true;
    } finally {
      await ctx.db.close().catch(() => {});
      if (ctx.created && (!done || opts.dryRun)) discardNewDatabase(ctx.created);
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
  else if (opts.json) out(json(record));
  else out(human.endsWith('\n') ? human : human + '\n');
}

/** Collect a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
