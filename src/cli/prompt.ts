/**
 * Questions at the desk, on stderr so stdout stays clean for scripts. Loaded only when a person is
 * at a terminal (see canPrompt); inquirer is never imported otherwise.
 */
interface TextQuestion {
  message: string;
  default?: string;
  required?: boolean;
  /**
   * Return an error message, or null when the answer is fine; may look things up (a duplicate phone,
   * an unknown plate): the question is asked again right away with the message shown.
   */
  check?: (value: string) => string | null | Promise<string | null>;
}

/**
 * Every way a question can end without an answer ends it like Ctrl-C (exit 130, nothing written).
 * inquirer settles its prompt on Ctrl-C only: at Ctrl-D (EOF) readline closes and the prompt is left
 * pending, the event loop drains, and node-sqlite3's close callback then runs while Node tears the
 * process down — a native abort (exit 134). So each question also listens for Ctrl-D, the end or
 * error of stdin (a closed terminal), SIGHUP/SIGTERM, and, as the last resort, the event loop
 * running dry; any of them aborts the question (AbortPromptError, which the entry maps to 130).
 */
import { endedBy } from './kit.js';

let rawModeGuarded = false;

/**
 * When the terminal goes away, readline's close sets the terminal back to cooked mode, which throws
 * EIO from inside an event handler (an uncaught exception, then the same native abort). A terminal
 * that is gone has no mode to restore: that failure is ignored.
 */
function guardRawMode(): void {
  if (rawModeGuarded || typeof process.stdin.setRawMode !== 'function') return;
  rawModeGuarded = true;
  const stdin = process.stdin;
  const setRawMode = stdin.setRawMode.bind(stdin);
  stdin.setRawMode = (mode: boolean) => {
    try {
      return setRawMode(mode);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EIO' || code === 'EBADF' || code === 'ENOTTY') return stdin;
      throw err;
    }
  };
}

async function guarded<T>(ask: (context: { input: NodeJS.ReadStream; output: NodeJS.WriteStream; signal: AbortSignal }) => Promise<T>): Promise<T> {
  guardRawMode();
  const controller = new AbortController();
  const abort = (why: string) => () => controller.abort(new Error(why));
  const onKey = (_s: unknown, key?: { ctrl?: boolean; name?: string }) => {
    if (key?.ctrl && key.name === 'd') controller.abort(new Error('Ctrl-D'));
  };
  const onEnd = () => {
    // the terminal is gone (hung up): end as a hang-up does, see endedBy
    endedBy.signal = 'SIGHUP';
    controller.abort(new Error('end of input'));
  };
  const onHangup = () => {
    endedBy.signal = 'SIGHUP';
    controller.abort(new Error('terminal closed'));
  };
  const onTerm = () => {
    endedBy.signal = 'SIGTERM';
    controller.abort(new Error('terminated'));
  };
  const onDrained = abort('input closed');
  // A terminal that went away makes writes to it fail: that must not crash the way out.
  const ignore = () => {};
  process.stdin.on('keypress', onKey);
  process.stdin.on('end', onEnd);
  process.stdin.on('close', onEnd);
  process.stdin.on('error', onEnd);
  process.stderr.on('error', ignore);
  process.on('SIGHUP', onHangup);
  process.on('SIGTERM', onTerm);
  process.on('beforeExit', onDrained);
  try {
    return await ask({ input: process.stdin, output: process.stderr, signal: controller.signal });
  } finally {
    process.stdin.off('keypress', onKey);
    process.stdin.off('end', onEnd);
    process.stdin.off('close', onEnd);
    process.stdin.off('error', onEnd);
    process.off('SIGHUP', onHangup);
    process.off('SIGTERM', onTerm);
    process.off('beforeExit', onDrained);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.replace(/^invalid /, '') : String(err);
}

/**
 * Run a validator that throws, as an inquirer validate function; `then` may look the valid value up
 * and return a problem (or null).
 */
export function checkWith<T>(fn: (value: string) => T, then?: (valid: T) => Promise<string | null>): (value: string) => string | null | Promise<string | null> {
  return (value) => {
    let valid: T;
    try {
      valid = fn(value);
    } catch (err) {
      return messageOf(err);
    }
    return then ? then(valid) : null;
  };
}

export async function askText(q: TextQuestion): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  const answer = await guarded((context) => input(
    {
      message: q.message,
      default: q.default,
      validate: async (value: string) => {
        if (q.required && !value.trim()) return 'required';
        if (!value.trim()) return true;
        try {
          return (await q.check?.(value)) ?? true;
        } catch (err) {
          return messageOf(err);
        }
      },
    },
    context,
  ));
  return answer.trim();
}

export async function askChoice<T extends string>(message: string, choices: ReadonlyArray<{ value: T; name?: string }>, def?: T): Promise<T> {
  const { select } = await import('@inquirer/prompts');
  return guarded((context) => select<T>({ message, choices: choices.map((c) => ({ value: c.value, name: c.name ?? c.value })), default: def }, context));
}

export async function askConfirm(message: string, def = true): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return guarded((context) => confirm({ message, default: def }, context));
}
