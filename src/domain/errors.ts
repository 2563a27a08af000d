/** Exit codes of SPEC §2. Only the CLI entry point turns them into process.exitCode. */
export const Exit = {
  ok: 0,
  internal: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  storage: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];

/** The one error type of pitstop: a user-facing message and the exit code it maps to. */
export class PitstopError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = 'PitstopError';
  }
}

/** Show a value in a message: quoted, with control characters made visible. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > 60 ? text.slice(0, 57) + '...' : text;
  return JSON.stringify(cut);
}

export const invalid = (field: string, value: unknown, expected: string, details?: string[]) =>
  new PitstopError(Exit.usage, `invalid ${field} ${show(value)}: ${expected}`, details);
export const missing = (flag: string) => new PitstopError(Exit.usage, `missing required ${flag}`);
export const usage = (message: string, details?: string[]) => new PitstopError(Exit.usage, message, details);
export const notFound = (what: string, key: unknown) => new PitstopError(Exit.notFound, `${what} ${show(key)} not found`);
export const conflict = (message: string, details?: string[]) => new PitstopError(Exit.conflict, message, details);
export const storage = (message: string) => new PitstopError(Exit.storage, message);
