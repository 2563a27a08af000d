/** Parsers for option values that commander can check before anything runs (exit 2 on failure). */
import { InvalidArgumentError } from 'commander';

export function positiveInt(max = 1_000_000) {
  return (value: string): number => {
    const s = value.normalize('NFKC').trim();
    if (!/^\d+$/.test(s) || +s < 1 || +s > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`);
    return +s;
  };
}
