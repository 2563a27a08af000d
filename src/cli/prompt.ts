/**
 * Questions at the desk, on stderr so stdout stays clean for scripts. Loaded only when a person is
 * at a terminal (see canPrompt); inquirer is never imported otherwise.
 */
interface TextQuestion {
  message: string;
  default?: string;
  required?: boolean;
  /** Return an error message, or null when the answer is fine. */
  check?: (value: string) => string | null;
}

const context = () => ({ input: process.stdin, output: process.stderr });

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message.replace(/^invalid /, '') : String(err);
}

/** Run a validator that throws, as an inquirer validate function. */
export function checkWith(fn: (value: string) => unknown): (value: string) => string | null {
  return (value) => {
    try {
      fn(value);
      return null;
    } catch (err) {
      return messageOf(err);
    }
  };
}

export async function askText(q: TextQuestion): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  const answer = await input(
    {
      message: q.message,
      default: q.default,
      validate: (value: string) => {
        if (q.required && !value.trim()) return 'required';
        if (!value.trim()) return true;
        return q.check?.(value) ?? true;
      },
    },
    context(),
  );
  return answer.trim();
}

export async function askChoice<T extends string>(message: string, choices: ReadonlyArray<{ value: T; name?: string }>, def?: T): Promise<T> {
  const { select } = await import('@inquirer/prompts');
  return select<T>({ message, choices: choices.map((c) => ({ value: c.value, name: c.name ?? c.value })), default: def }, context());
}

export async function askConfirm(message: string, def = true): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message, default: def }, context());
}
