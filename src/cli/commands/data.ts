import type { Command } from 'commander';

/** Not built yet: registers nothing. */
export function registerData(program: Command): void {
  void program;
}
