/** The exit code a use-case or rule would give the CLI: 0, or the PitstopError's code (anything else is rethrown). */
import { PitstopError } from '../src/errors.js';

export async function exitOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 0;
  } catch (err) {
    if (err instanceof PitstopError) return err.exitCode;
    throw err;
  }
}

export function exitOfSync(fn: () => unknown): number {
  try {
    fn();
    return 0;
  } catch (err) {
    if (err instanceof PitstopError) return err.exitCode;
    throw err;
  }
}
