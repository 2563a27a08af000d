/**
 * The entry point: builds the command tree, runs it, and is the only place that turns an error into
 * an exit code (SPEC §2). Command modules are light; what they run is imported when they run.
 */
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { Exit, PitstopError } from '../errors.js';
import { commandModules } from './commands/index.js';
import { endedBy } from './kit.js';
import { mapFsError } from '../db/sqlite.js';

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

export function buildProgram(): Command {
  const program = new Command('pitstop');
  program
    .description('After-sales service desk: bookings, repair orders, follow-up callbacks, daily CSV lists.')
    .version(version(), '-V, --version', 'print the version')
    .option('--db <path>', 'database file (default $PITSTOP_DB, else $XDG_DATA_HOME/pitstop/pitstop.db)')
    .option('--now <time>', 'act as if it were this shop-local time "YYYY-MM-DD HH:mm" (default $PITSTOP_NOW, else the clock)')
    .option('--actor <name>', 'who is making the change, for the audit log (default $PITSTOP_USER, else the OS user)')
    .option('--no-input', 'never prompt; a missing value is an error (exit 2)')
    .option('--mask-phone', 'print phone numbers masked (138****0001), also those typed into notes; default: the setting privacy.mask_phone')
    .option('--no-mask-phone', 'print phone numbers in full, whatever privacy.mask_phone says')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      outputError: (text, write) => write(`pitstop: ${text.replace(/^error: /, '')}`),
    });
  for (const register of commandModules) register(program);
  return program;
}

/** Map anything thrown to stderr and an exit code. */
export function report(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return Exit.ok;
    // `pitstop help customer` asked for help (0); `pitstop customer` without a verb shows it as an error (1 → 2)
    if (err.code === 'commander.help' && err.exitCode === 0) return Exit.ok;
    // commander has already printed its message (through outputError)
    return err.code === 'commander.executeSubCommandAsync' ? Exit.internal : Exit.usage;
  }
  // A file write that failed for lack of space or permission is storage (exit 5), not a crash.
  const mapped = mapFsError(err);
  if (mapped instanceof PitstopError) err = mapped;
  if (err instanceof PitstopError) {
    process.stderr.write(`pitstop: ${err.message}\n`);
    for (const line of err.details ?? []) process.stderr.write(`  ${line}\n`);
    return err.exitCode;
  }
  const name = (err as Error)?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError') {
    process.stderr.write('pitstop: cancelled, nothing written\n');
    return Exit.interrupted;
  }
  process.stderr.write(`pitstop: internal error: ${(err as Error)?.message ?? String(err)}\n`);
  if (process.env.PITSTOP_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  else process.stderr.write('pitstop: run again with PITSTOP_DEBUG=1 for details\n');
  return Exit.internal;
}

export async function main(argv: string[]): Promise<void> {
  // `pitstop … | head`: a reader that goes away early is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err);
  }
  if (endedBy.signal) {
    // a question ended by a hang-up or SIGTERM: everything is closed, nothing written; end by the signal
    process.removeAllListeners(endedBy.signal);
    process.kill(process.pid, endedBy.signal);
  }
}
